package jlexer

// The methods of this file are not easyjson's: each is what easyjson's
// generated code spells out as several calls, for every scalar field
//
//	if in.IsNull() { in.Skip() } else { out.F = in.String() }
//
// and around every object. api/internal/gen rewrites the generated code to
// them: in Go's wasm every call site costs a resume point, and the api
// package had about 1,500 of them in its decoders.

// StringInto skips a null and otherwise reads a string into *p.
func (r *Lexer) StringInto(p *string) {
	if r.IsNull() {
		r.Skip()
		return
	}
	*p = r.String()
}

// Int64Into skips a null and otherwise reads an int64 into *p.
func (r *Lexer) Int64Into(p *int64) {
	if r.IsNull() {
		r.Skip()
		return
	}
	*p = r.Int64()
}

// IntInto skips a null and otherwise reads an int into *p.
func (r *Lexer) IntInto(p *int) {
	if r.IsNull() {
		r.Skip()
		return
	}
	*p = r.Int()
}

// BoolInto skips a null and otherwise reads a bool into *p.
func (r *Lexer) BoolInto(p *bool) {
	if r.IsNull() {
		r.Skip()
		return
	}
	*p = r.Bool()
}

// ObjectStart reads what easyjson's code reads before an object's first
// key: a null is skipped (and at the top level, nothing may follow it) and
// isObject is false; otherwise the '{' is read. isTopLevel reports
// whether the object is the whole input, for ObjectEnd.
func (r *Lexer) ObjectStart() (isTopLevel, isObject bool) {
	isTopLevel = r.IsStart()
	if r.IsNull() {
		if isTopLevel {
			r.Consumed()
		}
		r.Skip()
		return isTopLevel, false
	}
	r.Delim('{')
	return isTopLevel, true
}

// ObjectEnd reads an object's '}' and, at the top level, checks that
// nothing follows it.
func (r *Lexer) ObjectEnd(isTopLevel bool) {
	r.Delim('}')
	if isTopLevel {
		r.Consumed()
	}
}

// Key reads an object's key and the colon after it.
func (r *Lexer) Key() string {
	key := r.UnsafeFieldName(false)
	r.WantColon()
	return key
}
