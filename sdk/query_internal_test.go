package sdk

import (
	"net/url"
	"testing"
)

// TestQueryMatchesURLValues checks query against url.Values, which it
// replaces in the wasm build.
func TestQueryMatchesURLValues(t *testing.T) {
	t.Parallel()
	for _, pairs := range [][]string{
		nil,
		{"a", ""},
		{"lang", "en"},
		{"lang", "en", "menu_id", "12"},
		{"z", "1", "a", "2", "m", "3"},
		{"a", "1", "a", "2"},
		{"a", "1", "b", "", "a", ""},
		{"q", "a b&c=d/e?f#g+h%i"},
		{"k y", "é ü 日本 ~-_.!*'()"},
		{"x", "\x00\x1f\x7f\xff"},
		{"odd"},
	} {
		v := url.Values{}
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] != "" {
				v.Set(pairs[i], pairs[i+1])
			}
		}
		if got, want := (&Client{}).query(pairs...), v.Encode(); got != want {
			t.Errorf("query(%q) = %q, url.Values gives %q", pairs, got, want)
		}
	}
}
