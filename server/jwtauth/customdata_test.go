package jwtauth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/jwtauth"
	"github.com/golang-jwt/jwt/v5"
)

// specPayload is the signed custom data payload of the Chat platform REST
// API's example (002, "Inviare dati personalizzati nella chat"): values
// without labels, iat and exp.
func specPayload(iat, exp time.Time) string {
	return `{"custom_data":{"reserved_verified_customer":{"value":false},"reserved_bad_actor":{"value":true},` +
		`"reserved_repeat_customer":{"value":false},"field1":{"value":"dummy111"},"field2":{"label":"LABEL 5","value":"dummy222"}},` +
		`"exp":` + itoa(exp.Unix()) + `,"iat":` + itoa(iat.Unix()) + `}`
}

func TestVerifyCustomDataSpecShape(t *testing.T) {
	t.Parallel()
	tok := handToken(t, `{"alg":"HS256"}`, specPayload(now.Add(-time.Minute), now.Add(time.Hour)), secret)
	fields, err := jwtauth.VerifyCustomData(tok, secret, opts)
	if err != nil {
		t.Fatalf("VerifyCustomData: %v", err)
	}
	if len(fields) != 5 {
		t.Fatalf("got %d fields: %v", len(fields), fields)
	}
	if got := string(fields["field1"].Value); got != `"dummy111"` {
		t.Errorf("field1 = %s", got)
	}
	if f := fields["field2"]; f.Label != "LABEL 5" || string(f.Value) != `"dummy222"` {
		t.Errorf("field2 = %+v", f)
	}
	flags, err := jwtauth.CustomerFlags(fields)
	if err != nil {
		t.Fatal(err)
	}
	if flags.VerifiedCustomer == nil || *flags.VerifiedCustomer ||
		flags.BadActor == nil || !*flags.BadActor ||
		flags.RepeatCustomer == nil || *flags.RepeatCustomer {
		t.Errorf("flags = verified %v, bad actor %v, repeat %v", flags.VerifiedCustomer, flags.BadActor, flags.RepeatCustomer)
	}
}

func TestVerifyCustomDataRejects(t *testing.T) {
	t.Parallel()
	good := specPayload(now.Add(-time.Minute), now.Add(time.Hour))
	tests := []struct {
		name, token, message string
	}{
		{"wrong secret", handToken(t, `{"alg":"HS256"}`, good, []byte("nope")), "signature is invalid"},
		{"HS512", libToken(t, jwt.SigningMethodHS512, jwt.MapClaims{"custom_data": map[string]any{}, "exp": now.Add(time.Hour).Unix()}, secret), "not allowed"},
		{"alg none", b64([]byte(`{"alg":"none"}`)) + "." + b64([]byte(good)) + ".", "not allowed"},
		{"expired", handToken(t, `{"alg":"HS256"}`, specPayload(now.Add(-2*time.Hour), now.Add(-time.Hour)), secret), "expired"},
		{"iat in future", handToken(t, `{"alg":"HS256"}`, specPayload(now.Add(time.Hour), now.Add(2*time.Hour)), secret), "issued in the future"},
		{"no exp", handToken(t, `{"alg":"HS256"}`, `{"custom_data":{}}`, secret), "no exp"},
		{"no custom_data", handToken(t, `{"alg":"HS256"}`, `{"exp":`+itoa(now.Add(time.Hour).Unix())+`}`, secret), "no custom_data"},
		{"custom_data not an object", handToken(t, `{"alg":"HS256"}`, `{"custom_data":[1],"exp":`+itoa(now.Add(time.Hour).Unix())+`}`, secret), "custom data"},
		{"empty key", handToken(t, `{"alg":"HS256"}`, `{"custom_data":{"":{"value":1}},"exp":`+itoa(now.Add(time.Hour).Unix())+`}`, secret), "empty key"},
		{"malformed", "a.b", "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fields, err := jwtauth.VerifyCustomData(tt.token, secret, opts)
			if err == nil {
				t.Fatalf("accepted: %v", fields)
			}
			assertUnauthorized(t, err, tt.message)
			if !strings.HasPrefix(err.(*api.Error).Message, "signed custom data: ") {
				t.Errorf("message %q does not say it is about custom data", err.(*api.Error).Message)
			}
		})
	}
}

func TestSignCustomDataRoundTrip(t *testing.T) {
	t.Parallel()
	in := map[string]api.CustomDataField{
		"plan":                      {Label: "Plan", Value: api.Raw(`"gold"`)},
		jwtauth.KeyVerifiedCustomer: {Value: api.Raw(`true`)},
		"visits":                    {Value: api.Raw(`12`)},
	}
	tok, err := jwtauth.SignCustomData(secret, in, now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	out, err := jwtauth.VerifyCustomData(tok, secret, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("got %v", out)
	}
	for k, v := range in {
		if out[k].Label != v.Label || string(out[k].Value) != string(v.Value) {
			t.Errorf("%s = %+v, want %+v", k, out[k], v)
		}
	}
	if _, err := jwtauth.SignCustomData(secret, in, now, time.Time{}); err == nil {
		t.Error("SignCustomData without expiry succeeded")
	}
	if _, err := jwtauth.SignCustomData(nil, in, now, now.Add(time.Hour)); err == nil {
		t.Error("SignCustomData without secret succeeded")
	}
}

func TestCustomerFlags(t *testing.T) {
	t.Parallel()
	tr, fa := true, false
	tests := []struct {
		name     string
		fields   map[string]api.CustomDataField
		verified *bool
		bad      *bool
		repeat   *bool
		wantErr  bool
	}{
		{"none", map[string]api.CustomDataField{"x": {Value: api.Raw(`true`)}}, nil, nil, nil, false},
		{"booleans", map[string]api.CustomDataField{
			jwtauth.KeyVerifiedCustomer: {Label: "L", Value: api.Raw(`true`)},
			jwtauth.KeyBadActor:         {Value: api.Raw(`false`)},
		}, &tr, &fa, nil, false},
		{"strings", map[string]api.CustomDataField{jwtauth.KeyRepeatCustomer: {Value: api.Raw(`"true"`)}}, nil, nil, &tr, false},
		{"null is absent", map[string]api.CustomDataField{jwtauth.KeyRepeatCustomer: {Value: api.Raw(`null`)}}, nil, nil, nil, false},
		{"number", map[string]api.CustomDataField{jwtauth.KeyBadActor: {Value: api.Raw(`1`)}}, nil, nil, nil, true},
		{"other string", map[string]api.CustomDataField{jwtauth.KeyBadActor: {Value: api.Raw(`"yes"`)}}, nil, nil, nil, true},
	}
	eq := func(a, b *bool) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := jwtauth.CustomerFlags(tt.fields)
			if tt.wantErr {
				var ae *api.Error
				if !errors.As(err, &ae) || ae.Code != api.CodeInvalidArgument {
					t.Fatalf("err = %v, want invalid_argument", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !eq(f.VerifiedCustomer, tt.verified) || !eq(f.BadActor, tt.bad) || !eq(f.RepeatCustomer, tt.repeat) {
				t.Errorf("flags = %v %v %v", f.VerifiedCustomer, f.BadActor, f.RepeatCustomer)
			}
		})
	}
}
