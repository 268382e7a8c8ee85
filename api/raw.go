package api

import (
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/ccaip/headless-go/api/jwriter"
)

// Raw is a piece of JSON kept as it came: custom data values, message
// metadata and structured content whose shape the platform does not own.
type Raw []byte

// MarshalEasyJSON writes r as it is, or null when empty.
func (r Raw) MarshalEasyJSON(w *jwriter.Writer) {
	if len(r) == 0 {
		w.RawString("null")
		return
	}
	w.Raw(r, nil)
}

// UnmarshalEasyJSON keeps the next JSON value as it is.
func (r *Raw) UnmarshalEasyJSON(l *jlexer.Lexer) {
	*r = append((*r)[:0], l.Raw()...)
}

// MarshalJSON implements json.Marshaler.
func (r Raw) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *Raw) UnmarshalJSON(b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}

// IsZero reports whether r holds nothing or JSON null.
func (r Raw) IsZero() bool { return len(r) == 0 || string(r) == "null" }

// RecordingPermission is the documented call recording consent. The current
// documents use the three strings below; the older form, a boolean, is
// accepted and mapped to granted or denied.
type RecordingPermission string

// Recording permissions.
const (
	RecordingNotAsked RecordingPermission = "recording_permission_not_asked"
	RecordingGranted  RecordingPermission = "recording_permission_granted"
	RecordingDenied   RecordingPermission = "recording_permission_denied"
)

// UnmarshalEasyJSON accepts a string or the older boolean form.
func (p *RecordingPermission) UnmarshalEasyJSON(l *jlexer.Lexer) {
	raw := l.Raw()
	switch string(raw) {
	case "null":
		*p = ""
	case "true":
		*p = RecordingGranted
	case "false":
		*p = RecordingDenied
	default:
		in := jlexer.Lexer{Data: raw}
		*p = RecordingPermission(in.String())
		if err := in.Error(); err != nil {
			l.AddError(err)
		}
	}
}

// MarshalEasyJSON writes p as a string.
func (p RecordingPermission) MarshalEasyJSON(w *jwriter.Writer) { w.String(string(p)) }

// Valid reports whether p is empty or one of the documented values.
func (p RecordingPermission) Valid() bool {
	switch p {
	case "", RecordingNotAsked, RecordingGranted, RecordingDenied:
		return true
	}
	return false
}
