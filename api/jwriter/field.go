package jwriter

// The *Field methods are not easyjson's: they are what its generated code
// spells out for every scalar field, out.RawString(prefix) and then the
// value, as one call. api/internal/gen rewrites the generated code to
// them (see package jlexer's *Into methods for why).

// StringField writes prefix (the field's name and colon) and s.
func (w *Writer) StringField(prefix, s string) {
	w.RawString(prefix)
	w.String(s)
}

// Int64Field writes prefix and n.
func (w *Writer) Int64Field(prefix string, n int64) {
	w.RawString(prefix)
	w.Int64(n)
}

// IntField writes prefix and n.
func (w *Writer) IntField(prefix string, n int) {
	w.RawString(prefix)
	w.Int(n)
}

// BoolField writes prefix and v.
func (w *Writer) BoolField(prefix string, v bool) {
	w.RawString(prefix)
	w.Bool(v)
}
