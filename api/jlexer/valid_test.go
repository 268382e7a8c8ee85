package jlexer

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestValidMatchesEncodingJSON checks valid against encoding/json.Valid,
// which it replaces, on hand-picked documents and on random mutations.
func TestValidMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	docs := []string{
		``, ` `, `{}`, `[]`, ` { } `, `{"a":1}`, `{"a":1,}`, `{,}`, `[1,]`, `[,1]`, `[1 2]`,
		`{"a" 1}`, `{"a":}`, `{a:1}`, `{"a":1 "b":2}`, `{"a":[1,{"b":null}],"c":"d"}`,
		`"abc"`, `"a\"b"`, `"\u00e9"`, `"\u00G9"`, `"\u00e"`, `"\x"`, `"\/\b\f\n\r\t\\"`,
		"\"a\x01b\"", "\"\xff\xfe\"", `"unterminated`, `"\`,
		`0`, `-0`, `01`, `-`, `1.`, `.5`, `1.5`, `1e5`, `1E+5`, `1e-5`, `1e`, `1e+`, `-1.25e10`, `+1`,
		`true`, `false`, `null`, `tru`, `nul`, `truex`, `True`, `1 2`, `{} {}`, "\t[\r\n]\n",
		`[[[[[[]]]]]]`, `[[[[[[]]]]]`, `{"a":{"b":{"c":[true,false,null]}}}`,
		strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth),
		strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1),
		strings.Repeat(`{"a":`, maxDepth+1) + "1" + strings.Repeat("}", maxDepth+1),
	}
	for _, d := range docs {
		if got, want := valid([]byte(d)), json.Valid([]byte(d)); got != want {
			t.Errorf("valid(%.60q) = %v, json.Valid = %v", d, got, want)
		}
	}
	seed := `{"id":12,"s":"a\"b\u00e9","f":-1.5e3,"l":[true,false,null,{}],"o":{"x":[]}}`
	alphabet := []byte(`{}[]":,.-+eE0129aunltrfs\ ` + "\t\n\x01")
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		b := []byte(seed)
		for n := r.IntN(3) + 1; n > 0; n-- {
			p := r.IntN(len(b))
			switch r.IntN(3) {
			case 0:
				b[p] = alphabet[r.IntN(len(alphabet))]
			case 1:
				b = append(b[:p], b[p+1:]...)
			default:
				b = append(b[:p], append([]byte{alphabet[r.IntN(len(alphabet))]}, b[p:]...)...)
			}
		}
		if got, want := valid(b), json.Valid(b); got != want {
			t.Fatalf("valid(%q) = %v, json.Valid = %v", b, got, want)
		}
	}
}
