package jlexer

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

// TestDecodeBase64MatchesEncodingBase64 checks decodeBase64 against
// base64.StdEncoding.Decode, which it replaces: same bytes, and an error
// (with the same text) exactly where the standard decoder fails.
func TestDecodeBase64MatchesEncodingBase64(t *testing.T) {
	t.Parallel()
	check := func(src []byte) {
		t.Helper()
		want := make([]byte, base64.StdEncoding.DecodedLen(len(src)))
		n, wantErr := base64.StdEncoding.Decode(want, src)
		got, err := decodeBase64(src)
		switch {
		case (err == nil) != (wantErr == nil):
			t.Fatalf("decodeBase64(%q) error %v, encoding/base64 %v", src, err, wantErr)
		case err != nil && err.Error() != wantErr.Error():
			t.Fatalf("decodeBase64(%q) error %q, encoding/base64 %q", src, err, wantErr)
		case err == nil && !bytes.Equal(got, want[:n]):
			t.Fatalf("decodeBase64(%q) = %q, encoding/base64 %q", src, got, want[:n])
		}
	}
	for _, s := range []string{
		"", "=", "==", "A", "AA", "AAA", "AAAA", "AA==", "AAA=", "AA=", "A===", "====",
		"c2ltcGxlIHN0cmluZw==", "c2ltcGxlIHN0cmluZw=", "c2ltcGxlIHN0cmluZw", "c2ltcGxl\r\nIHN0cmluZw==",
		"AA==AA==", "AA==\n", "AA=\n=", "AA==x", "AAA=\r\n", "AAA=A", "AB==", "AAB=", "+/+/", "-_-_",
		"AA\n", "\n", "\r\n\r\n", "AAAA\n", "AA AA", "AAAA====",
	} {
		check([]byte(s))
	}
	alphabet := []byte("ABCXYZabcxyz0189+/=\r\n -_")
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 50000; i++ {
		b := make([]byte, r.IntN(14))
		for k := range b {
			b[k] = alphabet[r.IntN(len(alphabet))]
		}
		check(b)
	}
	for i := 0; i < 2000; i++ {
		raw := make([]byte, r.IntN(40))
		for k := range raw {
			raw[k] = byte(r.Uint32())
		}
		check([]byte(base64.StdEncoding.EncodeToString(raw)))
	}
}
