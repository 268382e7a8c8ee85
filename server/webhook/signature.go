package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
)

// Signature headers, as the platform's webhooks document them.
const (
	// HeaderSignature is "primary=<base64 HMAC-SHA256(secret, timestamp + body)>".
	// Receivers should accept any comma-separated name=value entry, so that
	// a rotated secret can be announced alongside the primary one.
	HeaderSignature = "X-Signature"
	// HeaderTimestamp is the Unix time in seconds at which the request was
	// signed; it is part of the signed bytes, so a replay cannot change it.
	HeaderTimestamp = "X-Signature-Timestamp"
	// HeaderID is a unique id per event, the same across retries, so a
	// receiver can ignore duplicates.
	HeaderID = "X-Webhook-Id"
)

// DefaultMaxSkew is the clock difference Verify tolerates when given none.
const DefaultMaxSkew = 5 * time.Minute

// Sign returns the X-Signature value for body sent at timestamp (the exact
// X-Signature-Timestamp string): "primary=" followed by the standard base64
// of HMAC-SHA256 keyed with secret over timestamp immediately followed by
// body.
func Sign(secret []byte, timestamp string, body []byte) string {
	return "primary=" + base64.StdEncoding.EncodeToString(mac(secret, timestamp, body))
}

func mac(secret []byte, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a received webhook for a receiver: the timestamp header is
// a Unix time within maxSkew of now (DefaultMaxSkew when maxSkew <= 0), and
// one of the signature header's entries is the HMAC of timestamp and body
// under secret. Failures are unauthorized *api.Error values.
func Verify(secret []byte, header http.Header, body []byte, maxSkew time.Duration, now time.Time) error {
	if len(secret) == 0 {
		return verifyErr("no webhook secret is configured")
	}
	if maxSkew <= 0 {
		maxSkew = DefaultMaxSkew
	}
	ts := header.Get(HeaderTimestamp)
	if ts == "" {
		return verifyErr("missing %s header", HeaderTimestamp)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return verifyErr("%s is not a Unix time in seconds", HeaderTimestamp)
	}
	skew := now.Sub(time.Unix(sec, 0))
	if skew > maxSkew || skew < -maxSkew {
		return verifyErr("%s is %s away from now, more than the allowed %s", HeaderTimestamp, skew.Abs().Round(time.Second), maxSkew)
	}
	sig := header.Get(HeaderSignature)
	if sig == "" {
		return verifyErr("missing %s header", HeaderSignature)
	}
	want := mac(secret, ts, body)
	for entry := range strings.SplitSeq(sig, ",") {
		_, value, ok := strings.Cut(strings.TrimSpace(entry), "=")
		if !ok {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(value)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return verifyErr("%s does not match the body and timestamp", HeaderSignature)
}

func verifyErr(format string, args ...any) *api.Error {
	e := api.Errorf(api.CodeUnauthorized, "webhook signature: "+format, args...)
	e.Status = api.StatusFor(api.CodeUnauthorized)
	return e
}
