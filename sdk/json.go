package sdk

import "github.com/ccaip/headless-go/api/jlexer"

// listOf decodes a JSON array into *items, each element with dec (a method
// expression such as (*api.TriggerItem).UnmarshalEasyJSON); null decodes
// to nil. See encoder for why this is a func and not an interface.
func listOf[T any](items *[]T, dec func(*T, *jlexer.Lexer)) decoder {
	return func(l *jlexer.Lexer) {
		if l.IsNull() {
			l.Skip()
			return
		}
		l.Delim('[')
		for !l.IsDelim(']') {
			var v T
			dec(&v, l)
			*items = append(*items, v)
			l.WantComma()
		}
		l.Delim(']')
	}
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

// nullableOf decodes a value that the platform may answer as null: *p
// stays nil for null and is otherwise a new T decoded with dec.
func nullableOf[T any](p **T, dec func(*T, *jlexer.Lexer)) decoder {
	return func(l *jlexer.Lexer) {
		if l.IsNull() {
			l.Skip()
			return
		}
		*p = new(T)
		dec(*p, l)
	}
}
