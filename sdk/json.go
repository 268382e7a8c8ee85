package sdk

import (
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/ccaip/headless-go/api/jwriter"
)

// list decodes a JSON array of an easyjson type; null decodes to nil.
type list[T any, P interface {
	*T
	UnmarshalEasyJSON(*jlexer.Lexer)
}] struct{ items []T }

func (x *list[T, P]) UnmarshalEasyJSON(l *jlexer.Lexer) {
	if l.IsNull() {
		l.Skip()
		return
	}
	l.Delim('[')
	for !l.IsDelim(']') {
		var v T
		P(&v).UnmarshalEasyJSON(l)
		x.items = append(x.items, v)
		l.WantComma()
	}
	l.Delim(']')
}

// stringList decodes a JSON array of strings.
type stringList []string

func (x *stringList) UnmarshalEasyJSON(l *jlexer.Lexer) {
	if l.IsNull() {
		l.Skip()
		return
	}
	l.Delim('[')
	for !l.IsDelim(']') {
		*x = append(*x, l.String())
		l.WantComma()
	}
	l.Delim(']')
}

// nullable decodes a value that the platform may answer as null.
type nullable[T any, P interface {
	*T
	UnmarshalEasyJSON(*jlexer.Lexer)
}] struct{ v *T }

func (x *nullable[T, P]) UnmarshalEasyJSON(l *jlexer.Lexer) {
	if l.IsNull() {
		l.Skip()
		return
	}
	x.v = new(T)
	P(x.v).UnmarshalEasyJSON(l)
}

// rawObject writes prebuilt JSON bytes.
type rawObject []byte

func (r rawObject) MarshalEasyJSON(w *jwriter.Writer) { w.Raw(r, nil) }
