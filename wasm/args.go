//go:build js && wasm

package main

import (
	"strconv"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/hack-pad/safejs"
)

// args are the positional arguments of one call. The loader sends them as
// one JSON array, with every File or Blob replaced by {"$file": n} and its
// bytes read into files[n].
type args struct {
	raw   [][]byte
	files []fileArg
}

// fileArg is a File or Blob the loader read for Go.
type fileArg struct {
	Name string
	Type string
	Data []byte
}

func parseArgs(s string, files []fileArg) (*args, error) {
	a := &args{files: files}
	if s == "" {
		return a, nil
	}
	l := jlexer.Lexer{Data: []byte(s)}
	l.Delim('[')
	for !l.IsDelim(']') && l.Ok() {
		a.raw = append(a.raw, append([]byte(nil), l.Raw()...))
		l.WantComma()
	}
	l.Delim(']')
	l.Consumed()
	if err := l.Error(); err != nil {
		return nil, api.Errorf(api.CodeBadRequest, "arguments: %v", err)
	}
	return a, nil
}

// present reports whether argument i was given and is not null.
func (a *args) present(i int) bool {
	return i < len(a.raw) && string(a.raw[i]) != "null"
}

// string returns argument i as a string, "" when absent; numbers are
// accepted and formatted, since the documented ids are number | string.
func (a *args) string(i int, name string) (string, error) {
	if !a.present(i) {
		return "", nil
	}
	l := jlexer.Lexer{Data: a.raw[i]}
	switch l.CurrentToken() {
	case jlexer.TokenString:
		s := l.String()
		return s, l.Error()
	case jlexer.TokenNumber:
		return string(l.JsonNumber()), l.Error()
	}
	return "", api.Errorf(api.CodeInvalidArgument, "%s must be a string", name)
}

// id returns argument i as a positive id; numbers and numeric strings are
// accepted (menuId: number | string).
func (a *args) id(i int, name string) (int64, error) {
	if !a.present(i) {
		return 0, api.Errorf(api.CodeInvalidArgument, "%s is required", name)
	}
	s, err := a.string(i, name)
	if err != nil {
		return 0, api.Errorf(api.CodeInvalidArgument, "%s must be a number or a numeric string", name)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, api.Errorf(api.CodeInvalidArgument, "%s must be a positive integer, got %q", name, s)
	}
	return n, nil
}

// int returns argument i as an integer, def when absent.
func (a *args) int(i int, name string, def int) (int, error) {
	if !a.present(i) {
		return def, nil
	}
	l := jlexer.Lexer{Data: a.raw[i]}
	if l.CurrentToken() != jlexer.TokenNumber {
		return 0, api.Errorf(api.CodeInvalidArgument, "%s must be a number", name)
	}
	n := l.Int()
	if err := l.Error(); err != nil {
		return 0, api.Errorf(api.CodeInvalidArgument, "%s must be an integer", name)
	}
	return n, nil
}

// object decodes argument i with dec, a bound method such as
// req.UnmarshalEasyJSON (see jsonOf for why not an interface); an absent
// argument leaves the value as it is.
func (a *args) object(i int, name string, dec func(l *jlexer.Lexer)) error {
	if !a.present(i) {
		return nil
	}
	l := jlexer.Lexer{Data: a.raw[i]}
	if l.CurrentToken() != jlexer.TokenDelim {
		return api.Errorf(api.CodeInvalidArgument, "%s must be an object", name)
	}
	dec(&l)
	l.Consumed()
	if err := l.Error(); err != nil {
		return api.Errorf(api.CodeInvalidArgument, "%s: %v", name, err)
	}
	return nil
}

// file returns argument i when it is a File or Blob.
func (a *args) file(i int, name string) (fileArg, error) {
	if !a.present(i) {
		return fileArg{}, api.Errorf(api.CodeInvalidArgument, "%s is required", name)
	}
	var ref struct{ n int }
	l := jlexer.Lexer{Data: a.raw[i]}
	found := false
	if l.CurrentToken() == jlexer.TokenDelim {
		l.Delim('{')
		for !l.IsDelim('}') && l.Ok() {
			key := l.UnsafeString()
			l.WantColon()
			if key == "$file" {
				ref.n = l.Int()
				found = true
			} else {
				l.SkipRecursive()
			}
			l.WantComma()
		}
		l.Delim('}')
	}
	if !found || l.Error() != nil || ref.n < 0 || ref.n >= len(a.files) {
		return fileArg{}, api.Errorf(api.CodeInvalidArgument, "%s must be a File or Blob", name)
	}
	return a.files[ref.n], nil
}

// readFiles copies the loader's files array ([{name, type, data}]) into Go.
func readFiles(v safejs.Value) ([]fileArg, error) {
	if v.IsUndefined() || v.IsNull() {
		return nil, nil
	}
	n, err := v.Length()
	if err != nil {
		return nil, err
	}
	out := make([]fileArg, 0, n)
	for i := 0; i < n; i++ {
		item, err := v.Index(i)
		if err != nil {
			return nil, err
		}
		var f fileArg
		if f.Name, err = stringProp(item, "name"); err != nil {
			return nil, err
		}
		if f.Type, err = stringProp(item, "type"); err != nil {
			return nil, err
		}
		data, err := item.Get("data")
		if err != nil {
			return nil, err
		}
		size, err := data.Length()
		if err != nil {
			return nil, err
		}
		f.Data = make([]byte, size)
		if _, err := safejs.CopyBytesToGo(f.Data, data); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func stringProp(v safejs.Value, name string) (string, error) {
	p, err := v.Get(name)
	if err != nil {
		return "", err
	}
	if p.IsUndefined() || p.IsNull() {
		return "", nil
	}
	return p.String()
}
