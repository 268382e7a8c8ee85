// Package jwtauth verifies and signs the two JWTs a company's backend hands
// to the platform: the end-user token that authenticate() returns, and the
// signed custom data of a chat. Both are HS256 JWTs signed with the company
// secret; nothing else is accepted (no alg "none", no other HMAC size, no
// public-key algorithm), so a token can never choose how it is checked.
//
// Every failure is an *api.Error with code unauthorized and a message that
// says precisely what was wrong, without echoing the token.
package jwtauth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/golang-jwt/jwt/v5"
)

// DefaultLeeway is the clock skew tolerated on exp, nbf and iat when
// Options.Leeway is zero: company backends and the platform do not share a
// clock.
const DefaultLeeway = 30 * time.Second

// DefaultMaxLifetime is how far ahead a token's exp may be when
// Options.MaxLifetime is zero. Company backends mint a token per sign-in;
// one that is valid for years is a stolen credential waiting to happen.
const DefaultMaxLifetime = 24 * time.Hour

// MaxTokenLength bounds the token size accepted, so a hostile caller cannot
// make the platform decode megabytes of base64.
const MaxTokenLength = 16 << 10

// Options tune verification. The zero value is ready to use.
type Options struct {
	// Leeway is the tolerated clock skew; zero means DefaultLeeway and a
	// negative value means none.
	Leeway time.Duration
	// Issuer, when set, must equal the token's iss claim.
	Issuer string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxLifetime caps how far ahead of now exp may be (beyond the
	// leeway); zero means DefaultMaxLifetime and a negative value means no
	// cap.
	MaxLifetime time.Duration
}

func (o Options) leeway() time.Duration {
	switch {
	case o.Leeway == 0:
		return DefaultLeeway
	case o.Leeway < 0:
		return 0
	}
	return o.Leeway
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Claims are the end-user token's claims. Identifier is required, even for
// anonymous users; Name, Email and Phone are optional.
type Claims struct {
	Identifier string
	Name       string
	Email      string
	Phone      string
	Issuer     string
	IssuedAt   time.Time
	ExpiresAt  time.Time
}

// endUserClaims is the wire form of Claims.
type endUserClaims struct {
	Identifier string `json:"identifier"`
	Name       string `json:"name,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
	jwt.RegisteredClaims
}

// VerifyEndUser checks an end-user token: HS256 signed with secret, exp
// present and not past, nbf and iat not in the future (each with the
// leeway), iss equal to opts.Issuer when that is set, and a non-empty
// identifier. It returns the claims of a valid token.
func VerifyEndUser(token string, secret []byte, opts Options) (Claims, error) {
	var c endUserClaims
	if err := parse("end-user token", token, secret, opts, &c); err != nil {
		return Claims{}, err
	}
	if strings.TrimSpace(c.Identifier) == "" {
		return Claims{}, unauthorized("end-user token", "no identifier claim; identifier is required, even for anonymous users")
	}
	out := Claims{
		Identifier: c.Identifier,
		Name:       c.Name,
		Email:      c.Email,
		Phone:      c.Phone,
		Issuer:     c.Issuer,
	}
	if c.IssuedAt != nil {
		out.IssuedAt = c.IssuedAt.Time
	}
	if c.ExpiresAt != nil {
		out.ExpiresAt = c.ExpiresAt.Time
	}
	return out, nil
}

// SignEndUser returns an HS256 end-user token for c, as a company backend
// would make it; the demo's token endpoint and the tests use it. It refuses
// an empty secret or identifier and a zero ExpiresAt, which VerifyEndUser
// would reject anyway. A zero IssuedAt is left out of the token.
func SignEndUser(secret []byte, c Claims) (string, error) {
	if len(secret) == 0 {
		return "", api.Errorf(api.CodeInvalidArgument, "sign end-user token: empty secret")
	}
	if strings.TrimSpace(c.Identifier) == "" {
		return "", api.Errorf(api.CodeInvalidArgument, "sign end-user token: empty identifier")
	}
	if c.ExpiresAt.IsZero() {
		return "", api.Errorf(api.CodeInvalidArgument, "sign end-user token: no expiry")
	}
	wc := endUserClaims{
		Identifier: c.Identifier,
		Name:       c.Name,
		Email:      c.Email,
		Phone:      c.Phone,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    c.Issuer,
			ExpiresAt: jwt.NewNumericDate(c.ExpiresAt),
		},
	}
	if !c.IssuedAt.IsZero() {
		wc.IssuedAt = jwt.NewNumericDate(c.IssuedAt)
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, wc).SignedString(secret)
}

// parse verifies token into claims and maps every failure to a precise
// unauthorized error.
func parse(what, token string, secret []byte, opts Options, claims jwt.Claims) error {
	if len(secret) == 0 {
		// An empty HMAC key would let anyone forge tokens.
		return unauthorized(what, "no company secret is configured to verify the token")
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return unauthorized(what, "token is empty")
	}
	if len(token) > MaxTokenLength {
		return unauthorized(what, "token is longer than %d bytes", MaxTokenLength)
	}
	popts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithLeeway(opts.leeway()),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(opts.now),
	}
	if opts.Issuer != "" {
		popts = append(popts, jwt.WithIssuer(opts.Issuer))
	}
	p := jwt.NewParser(popts...)
	alg, err := headerAlg(token)
	if err != nil {
		return unauthorized(what, "%v", err)
	}
	if alg != jwt.SigningMethodHS256.Alg() {
		if alg == "" {
			return unauthorized(what, "token has no alg header; only HS256 is accepted")
		}
		return unauthorized(what, "token algorithm %q is not allowed; only HS256 is accepted", truncate(alg, 20))
	}
	_, err = p.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		// WithValidMethods and headerAlg already pin HS256; checking the
		// method type again keeps the key from ever reaching another
		// algorithm.
		if m, ok := t.Method.(*jwt.SigningMethodHMAC); !ok || m.Alg() != jwt.SigningMethodHS256.Alg() {
			return nil, errAlg
		}
		return secret, nil
	})
	if err != nil {
		return describe(what, err)
	}
	if max := opts.MaxLifetime; max >= 0 {
		if max == 0 {
			max = DefaultMaxLifetime
		}
		exp, err := claims.GetExpirationTime()
		if err == nil && exp != nil && exp.Time.After(opts.now().Add(max+opts.leeway())) {
			return unauthorized(what, "token expires more than %s from now; tokens may live %s at most", max, max)
		}
	}
	return nil
}

// headerAlg returns the alg of token's header, so that a token with another
// algorithm gets a precise error before any verification.
func headerAlg(token string) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", fmt.Errorf("token is malformed: it has %d parts, want 3", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil {
		return "", errors.New("token is malformed: header is not base64url")
	}
	var h struct {
		Alg any `json:"alg"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return "", errors.New("token is malformed: header is not a JSON object")
	}
	alg, _ := h.Alg.(string)
	if h.Alg != nil && alg == "" {
		alg = fmt.Sprint(h.Alg)
	}
	return alg, nil
}

var errAlg = errors.New("algorithm not allowed")

// describe turns a jwt error into an unauthorized *api.Error whose message
// names the cause.
func describe(what string, err error) *api.Error {
	switch {
	case errors.Is(err, jwt.ErrInvalidType):
		return unauthorized(what, "token has a claim of the wrong type (exp, nbf and iat must be numbers)")
	case errors.Is(err, jwt.ErrTokenMalformed):
		return unauthorized(what, "token is malformed: it must be three base64url parts of JSON, with numeric exp, nbf and iat")
	case errors.Is(err, errAlg):
		return unauthorized(what, "token algorithm is not allowed; only HS256 is accepted")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return unauthorized(what, "token signature is invalid: not signed with the company secret")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return unauthorized(what, "token has no exp claim; an expiry is required")
	case errors.Is(err, jwt.ErrTokenExpired):
		return unauthorized(what, "token is expired")
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return unauthorized(what, "token is not valid yet (nbf is in the future)")
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return unauthorized(what, "token is issued in the future (iat is after now)")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return unauthorized(what, "token issuer (iss) is not the expected one")
	}
	return unauthorized(what, "token is invalid: %v", err)
}

// unauthorized returns an unauthorized error about what (the kind of token).
func unauthorized(what, format string, args ...any) *api.Error {
	e := api.Errorf(api.CodeUnauthorized, "%s: %s", what, fmt.Sprintf(format, args...))
	e.Status = api.StatusFor(api.CodeUnauthorized)
	return e
}
