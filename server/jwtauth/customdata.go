package jwtauth

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/golang-jwt/jwt/v5"
)

// Reserved custom data keys. Their boolean values set the chat's customer
// flags (verified_customer, bad_actor, repeat_customer) instead of being
// shown as ordinary fields.
const (
	KeyVerifiedCustomer = "reserved_verified_customer"
	KeyBadActor         = "reserved_bad_actor"
	KeyRepeatCustomer   = "reserved_repeat_customer"
)

// customDataClaims is the payload of signed custom data:
// {"custom_data": {key: {label?, value}}, "iat": ..., "exp": ...}.
type customDataClaims struct {
	CustomData map[string]api.CustomDataField `json:"custom_data"`
	jwt.RegisteredClaims
}

// VerifyCustomData checks signed custom data exactly as VerifyEndUser checks
// an end-user token (HS256 with secret, exp required, nbf and iat with the
// leeway) and returns its custom_data fields. A token without a custom_data
// object is rejected.
func VerifyCustomData(token string, secret []byte, opts Options) (map[string]api.CustomDataField, error) {
	var c customDataClaims
	if err := parse("signed custom data", token, secret, opts, &c); err != nil {
		return nil, err
	}
	if c.CustomData == nil {
		return nil, unauthorized("signed custom data", "token has no custom_data object")
	}
	for k := range c.CustomData {
		if strings.TrimSpace(k) == "" {
			return nil, unauthorized("signed custom data", "custom_data has an empty key")
		}
	}
	return c.CustomData, nil
}

// SignCustomData returns signed custom data for fields, as a company backend
// would make it: an HS256 JWT with custom_data, iat and exp. expiresAt is
// required; a zero issuedAt is left out.
func SignCustomData(secret []byte, fields map[string]api.CustomDataField, issuedAt, expiresAt time.Time) (string, error) {
	if len(secret) == 0 {
		return "", api.Errorf(api.CodeInvalidArgument, "sign custom data: empty secret")
	}
	if expiresAt.IsZero() {
		return "", api.Errorf(api.CodeInvalidArgument, "sign custom data: no expiry")
	}
	if fields == nil {
		fields = map[string]api.CustomDataField{}
	}
	c := customDataClaims{CustomData: fields, RegisteredClaims: jwt.RegisteredClaims{ExpiresAt: jwt.NewNumericDate(expiresAt)}}
	if !issuedAt.IsZero() {
		c.IssuedAt = jwt.NewNumericDate(issuedAt)
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
}

// Flags are the chat's customer flags taken from the reserved custom data
// keys; nil means the key was absent, so the flag keeps its current value.
type Flags struct {
	VerifiedCustomer *bool
	BadActor         *bool
	RepeatCustomer   *bool
}

// CustomerFlags reads the reserved keys of fields. Their values must be JSON
// booleans (the strings "true" and "false" are accepted too, as some
// backends send them); anything else is an invalid_argument error.
func CustomerFlags(fields map[string]api.CustomDataField) (Flags, error) {
	var f Flags
	for key, dst := range map[string]**bool{
		KeyVerifiedCustomer: &f.VerifiedCustomer,
		KeyBadActor:         &f.BadActor,
		KeyRepeatCustomer:   &f.RepeatCustomer,
	} {
		field, ok := fields[key]
		if !ok || field.Value.IsZero() {
			continue
		}
		var b bool
		if err := json.Unmarshal(field.Value, &b); err != nil {
			var s string
			if json.Unmarshal(field.Value, &s) != nil || (s != "true" && s != "false") {
				return Flags{}, api.Errorf(api.CodeInvalidArgument, "custom data %s: value must be a boolean, got %s", key, truncate(string(field.Value), 40))
			}
			b = s == "true"
		}
		*dst = &b
	}
	return f, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
