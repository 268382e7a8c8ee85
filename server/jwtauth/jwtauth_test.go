package jwtauth_test

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/jwtauth"
	"github.com/golang-jwt/jwt/v5"
)

var (
	secret = []byte("company-secret-for-tests-0123456789")
	now    = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	opts   = jwtauth.Options{Now: func() time.Time { return now }}
)

// b64 is base64url without padding, as JWT uses.
func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// handToken builds a JWT from raw header and claims JSON, signed with
// HMAC-SHA256 over secret — independent of the jwt library.
func handToken(t *testing.T, header, claims string, key []byte) string {
	t.Helper()
	signing := b64([]byte(header)) + "." + b64([]byte(claims))
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signing))
	return signing + "." + b64(m.Sum(nil))
}

// libToken signs claims with the jwt library's method and key.
func libToken(t *testing.T, m jwt.SigningMethod, claims jwt.MapClaims, key any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func claims(mod func(jwt.MapClaims)) jwt.MapClaims {
	c := jwt.MapClaims{
		"iss":        "acme-backend",
		"iat":        now.Add(-time.Minute).Unix(),
		"exp":        now.Add(time.Hour).Unix(),
		"identifier": "user-42",
		"name":       "Ada",
		"email":      "ada@example.com",
		"phone":      "+391234567",
	}
	if mod != nil {
		mod(c)
	}
	return c
}

func TestVerifyEndUserValid(t *testing.T) {
	t.Parallel()
	tok := libToken(t, jwt.SigningMethodHS256, claims(nil), secret)
	got, err := jwtauth.VerifyEndUser(tok, secret, opts)
	if err != nil {
		t.Fatalf("VerifyEndUser: %v", err)
	}
	want := jwtauth.Claims{
		Identifier: "user-42", Name: "Ada", Email: "ada@example.com", Phone: "+391234567",
		Issuer: "acme-backend", IssuedAt: now.Add(-time.Minute), ExpiresAt: now.Add(time.Hour),
	}
	if got.Identifier != want.Identifier || got.Name != want.Name || got.Email != want.Email ||
		got.Phone != want.Phone || got.Issuer != want.Issuer ||
		!got.IssuedAt.Equal(want.IssuedAt) || !got.ExpiresAt.Equal(want.ExpiresAt) {
		t.Fatalf("claims = %+v, want %+v", got, want)
	}
}

func TestVerifyEndUserHandMadeHS256(t *testing.T) {
	t.Parallel()
	// A token made without the jwt library, with a minimal header, as some
	// backends produce it.
	tok := handToken(t, `{"alg":"HS256"}`,
		`{"identifier":"anon-1","exp":`+itoa(now.Add(time.Minute).Unix())+`}`, secret)
	got, err := jwtauth.VerifyEndUser(tok, secret, opts)
	if err != nil {
		t.Fatalf("VerifyEndUser: %v", err)
	}
	if got.Identifier != "anon-1" || !got.IssuedAt.IsZero() {
		t.Fatalf("claims = %+v", got)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestVerifyEndUserRejects(t *testing.T) {
	t.Parallel()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	valid := libToken(t, jwt.SigningMethodHS256, claims(nil), secret)
	parts := strings.Split(valid, ".")
	validClaimsJSON, _ := json.Marshal(claims(nil))

	tamperedPayload := parts[0] + "." + b64([]byte(strings.Replace(string(validClaimsJSON), "user-42", "user-43", 1))) + "." + parts[2]
	sig := []byte(parts[2])
	sig[3] ^= 1
	tamperedSig := parts[0] + "." + parts[1] + "." + string(sig)

	tests := []struct {
		name    string
		token   string
		secret  []byte
		opts    jwtauth.Options
		message string // a part of the error message
	}{
		{"tampered payload", tamperedPayload, secret, opts, "signature is invalid"},
		{"tampered signature", tamperedSig, secret, opts, "signature is invalid"},
		{"wrong secret", valid, []byte("another-secret"), opts, "signature is invalid"},
		{"empty secret", valid, nil, opts, "no company secret"},
		{"alg none", b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + b64(validClaimsJSON) + ".", secret, opts, `"none" is not allowed`},
		{"alg none uppercase", b64([]byte(`{"alg":"NONE","typ":"JWT"}`)) + "." + b64(validClaimsJSON) + ".", secret, opts, "not allowed"},
		{"no alg", handToken(t, `{"typ":"JWT"}`, string(validClaimsJSON), secret), secret, opts, "no alg header"},
		{"HS256 header but HS512 signature", handToken(t, `{"alg":"HS512","typ":"JWT"}`, string(validClaimsJSON), secret), secret, opts, `"HS512" is not allowed`},
		{"HS512", libToken(t, jwt.SigningMethodHS512, claims(nil), secret), secret, opts, `"HS512" is not allowed`},
		{"HS384", libToken(t, jwt.SigningMethodHS384, claims(nil), secret), secret, opts, `"HS384" is not allowed`},
		{"RS256", libToken(t, jwt.SigningMethodRS256, claims(nil), rsaKey), secret, opts, `"RS256" is not allowed`},
		// The classic confusion attack: RS256 header, HMAC signature made with
		// a key the attacker knows.
		{"RS256 header with HMAC signature", handToken(t, `{"alg":"RS256","typ":"JWT"}`, string(validClaimsJSON), secret), secret, opts, `"RS256" is not allowed`},
		{"expired", libToken(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() }), secret), secret, opts, "expired"},
		{"expired beyond leeway", libToken(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-31 * time.Second).Unix() }), secret), secret, opts, "expired"},
		{"no exp", libToken(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { delete(c, "exp") }), secret), secret, opts, "no exp claim"},
		{"exp of wrong type", libToken(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["exp"] = "tomorrow" }), secret), secret, opts, "numeric exp"},
		{"alg not a string", handToken(t, `{"alg":256}`, string(validClaimsJSON), secret), secret, opts, `"256" is not allowed`},
		{"nbf in future", libToken(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Minute).Unix() }), secret), secret, opts, "not valid yet"},
		{"iat in future beyond leeway", libToken(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["iat"] = now.Add(31 * time.Second).Unix() }), secret), secret, opts, "issued in the future"},
		{"iat in future, no leeway", libToken(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Second).Unix() }), secret), secret, jwtauth.Options{Now: opts.Now, Leeway: -1}, "issued in the future"},
		{"missing identifier", libToken(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { delete(c, "identifier") }), secret), secret, opts, "no identifier"},
		{"blank identifier", libToken(t, jwt.SigningMethodHS256, claims(func(c jwt.MapClaims) { c["identifier"] = "  " }), secret), secret, opts, "no identifier"},
		{"wrong issuer", valid, secret, jwtauth.Options{Now: opts.Now, Issuer: "other"}, "issuer"},
		{"empty string", "", secret, opts, "empty"},
		{"garbage", "not a jwt", secret, opts, "malformed"},
		{"two parts", parts[0] + "." + parts[1], secret, opts, "malformed"},
		{"four parts", valid + ".x", secret, opts, "malformed"},
		{"bad base64", "!!!." + parts[1] + "." + parts[2], secret, opts, "malformed"},
		{"header not JSON", b64([]byte("nope")) + "." + parts[1] + "." + parts[2], secret, opts, "malformed"},
		{"claims not JSON", parts[0] + "." + b64([]byte("[1,2")) + "." + parts[2], secret, opts, "malformed"},
		{"too long", strings.Repeat("a", jwtauth.MaxTokenLength+1), secret, opts, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := jwtauth.VerifyEndUser(tt.token, tt.secret, tt.opts)
			if err == nil {
				t.Fatalf("VerifyEndUser accepted the token: %+v", got)
			}
			assertUnauthorized(t, err, tt.message)
			if got != (jwtauth.Claims{}) {
				t.Errorf("claims returned with an error: %+v", got)
			}
		})
	}
}

func assertUnauthorized(t *testing.T, err error, message string) {
	t.Helper()
	var ae *api.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %T %v is not *api.Error", err, err)
	}
	if ae.Code != api.CodeUnauthorized || ae.Status != 401 || ae.Retryable {
		t.Errorf("error = %+v, want code unauthorized, status 401, not retryable", ae)
	}
	if !strings.Contains(ae.Message, message) {
		t.Errorf("message %q does not contain %q", ae.Message, message)
	}
}

func TestVerifyEndUserLeewayEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mod    func(jwt.MapClaims)
		leeway time.Duration
		ok     bool
	}{
		{"exp 29s ago, default leeway", func(c jwt.MapClaims) { c["exp"] = now.Add(-29 * time.Second).Unix() }, 0, true},
		// exp must be strictly after now minus the leeway (RFC 7519 4.1.4).
		{"exp 30s ago, default leeway", func(c jwt.MapClaims) { c["exp"] = now.Add(-30 * time.Second).Unix() }, 0, false},
		{"exp 31s ago, default leeway", func(c jwt.MapClaims) { c["exp"] = now.Add(-31 * time.Second).Unix() }, 0, false},
		{"exp 1s ago, no leeway", func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Second).Unix() }, -1, false},
		{"exp 50s ago, 60s leeway", func(c jwt.MapClaims) { c["exp"] = now.Add(-50 * time.Second).Unix() }, time.Minute, true},
		{"iat 29s ahead, default leeway", func(c jwt.MapClaims) { c["iat"] = now.Add(29 * time.Second).Unix() }, 0, true},
		{"iat 31s ahead, default leeway", func(c jwt.MapClaims) { c["iat"] = now.Add(31 * time.Second).Unix() }, 0, false},
		{"nbf 29s ahead, default leeway", func(c jwt.MapClaims) { c["nbf"] = now.Add(29 * time.Second).Unix() }, 0, true},
		{"nbf 31s ahead, default leeway", func(c jwt.MapClaims) { c["nbf"] = now.Add(31 * time.Second).Unix() }, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok := libToken(t, jwt.SigningMethodHS256, claims(tt.mod), secret)
			_, err := jwtauth.VerifyEndUser(tok, secret, jwtauth.Options{Now: opts.Now, Leeway: tt.leeway})
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestSignEndUserRoundTrip(t *testing.T) {
	t.Parallel()
	in := jwtauth.Claims{
		Identifier: "user-7", Name: "Grace", Email: "g@example.com", Phone: "+1555",
		Issuer: "demo", IssuedAt: now, ExpiresAt: now.Add(10 * time.Minute),
	}
	tok, err := jwtauth.SignEndUser(secret, in)
	if err != nil {
		t.Fatal(err)
	}
	// The header must be exactly HS256, so any company verifier accepts it.
	hdr, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
	var h map[string]any
	if err := json.Unmarshal(hdr, &h); err != nil || h["alg"] != "HS256" {
		t.Fatalf("header = %s (%v)", hdr, err)
	}
	out, err := jwtauth.VerifyEndUser(tok, secret, opts)
	if err != nil {
		t.Fatal(err)
	}
	if out.Identifier != in.Identifier || out.Name != in.Name || out.Email != in.Email || out.Phone != in.Phone ||
		out.Issuer != in.Issuer || !out.IssuedAt.Equal(in.IssuedAt) || !out.ExpiresAt.Equal(in.ExpiresAt) {
		t.Fatalf("round trip: got %+v, want %+v", out, in)
	}
}

func TestSignEndUserRefuses(t *testing.T) {
	t.Parallel()
	ok := jwtauth.Claims{Identifier: "x", ExpiresAt: now.Add(time.Minute)}
	tests := []struct {
		name   string
		secret []byte
		c      jwtauth.Claims
	}{
		{"empty secret", nil, ok},
		{"no identifier", secret, jwtauth.Claims{ExpiresAt: ok.ExpiresAt}},
		{"no expiry", secret, jwtauth.Claims{Identifier: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := jwtauth.SignEndUser(tt.secret, tt.c)
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Code != api.CodeInvalidArgument || tok != "" {
				t.Fatalf("SignEndUser = %q, %v; want invalid_argument", tok, err)
			}
		})
	}
}
