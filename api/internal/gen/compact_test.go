package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCompactRewritesFields(t *testing.T) {
	t.Parallel()
	src := `package api

// UnmarshalEasyJSON supports easyjson.Unmarshaler interface
func (v *T) UnmarshalEasyJSON(l *jlexer.Lexer) {
	easyjson0123abcdDecodeApi(l, v)
}

// MarshalEasyJSON supports easyjson.Marshaler interface
func (v T) MarshalEasyJSON(w *jwriter.Writer) {
	easyjson0123abcdEncodeApi(w, v)
}

func easyjson0123abcdDecodeApi(in *jlexer.Lexer, out *T) {
	isTopLevel := in.IsStart()
	if in.IsNull() {
		if isTopLevel {
			in.Consumed()
		}
		in.Skip()
		return
	}
	in.Delim('{')
	for !in.IsDelim('}') {
		key := in.UnsafeFieldName(false)
		in.WantColon()
		switch key {
		case "name":
			if in.IsNull() {
				in.Skip()
			} else {
				out.Name = string(in.String())
			}
		case "status":
			if in.IsNull() {
				in.Skip()
			} else {
				out.Status = Status(in.String())
			}
		case "child":
			if in.IsNull() {
				in.Skip()
				out.Child = nil
			} else {
				if out.Child == nil {
					out.Child = new(T)
				}
				if in.IsNull() {
					in.Skip()
				} else {
					(*out.Child).UnmarshalEasyJSON(in)
				}
			}
		default:
			in.SkipRecursive()
		}
		in.WantComma()
	}
	in.Delim('}')
	if isTopLevel {
		in.Consumed()
	}
}

func easyjson0123abcdEncodeApi(out *jwriter.Writer, in T) {
	out.RawByte('{')
	{
		const prefix string = ",\"name\":"
		out.RawString(prefix[1:])
		out.String(string(in.Name))
	}
	out.RawByte('}')
}

// UnmarshalJSON supports json.Unmarshaler interface
func (v *T) UnmarshalJSON(data []byte) error {
	r := jlexer.Lexer{Data: data}
	easyjson0123abcdDecodeApi(&r, v)
	return r.Error()
}
`
	got, err := compact([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	for _, want := range []string{
		"func (out *T) UnmarshalEasyJSON(in *jlexer.Lexer) {\n\tisTopLevel, isObject := in.ObjectStart()\n\tif !isObject {\n\t\treturn\n\t}\n",
		"\t\tkey := in.Key()\n\t\tswitch key {\n",
		"\t\t\tin.StringInto(&out.Name)\n",
		"\t\t\t\tout.Status = Status(in.String())\n", // a named type is left alone
		"\t\t\t\tif out.Child == nil {\n\t\t\t\t\tout.Child = new(T)\n\t\t\t\t}\n\t\t\t\t(*out.Child).UnmarshalEasyJSON(in)\n\t\t\t}\n",
		"\tin.ObjectEnd(isTopLevel)\n}\n",
		"func (in T) MarshalEasyJSON(out *jwriter.Writer) {\n\tout.RawByte('{')\n\t{\n\t\tconst prefix string = \",\\\"name\\\":\"\n\t\tout.StringField(prefix[1:], string(in.Name))\n",
		"\tv.UnmarshalEasyJSON(&r)\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("compacted code lacks\n%s\n--- got\n%s", want, s)
		}
	}
	if strings.Contains(s, "easyjson0123abcd") {
		t.Errorf("a generated function is left:\n%s", s)
	}
}

// TestGeneratedIsCurrent checks what it can without running easyjson:
// api_easyjson.go is compacted (compact changes nothing in it) and has
// both methods for every type marked //easyjson:json. It does not catch
// a changed field; run go generate ./api after changing a type.
func TestGeneratedIsCurrent(t *testing.T) {
	t.Parallel()
	gen, err := os.ReadFile(filepath.Join("..", "..", out))
	if err != nil {
		t.Fatal(err)
	}
	again, err := compact(gen)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(gen) {
		t.Errorf("api/%s is not compacted: run go generate ./api", out)
	}
	names, err := filepath.Glob(filepath.Join("..", "..", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	marked := regexp.MustCompile(`//easyjson:json\ntype (\w+) `)
	n := 0
	for _, name := range names {
		if filepath.Base(name) == out || strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range marked.FindAllStringSubmatch(string(b), -1) {
			n++
			for _, want := range []string{"func (out *" + m[1] + ") UnmarshalEasyJSON(", "func (in " + m[1] + ") MarshalEasyJSON("} {
				if !strings.Contains(string(gen), want) {
					t.Errorf("api/%s lacks %s...: run go generate ./api", out, want)
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("found %d types marked //easyjson:json, want the api's 70", n)
	}
}
