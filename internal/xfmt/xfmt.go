// Package xfmt formats the messages of errors and logs without package fmt.
//
// fmt brings reflect, its sort and printing machinery into any binary that
// calls it: about 54 KB of the brotli wasm once nothing else in the browser
// build uses it. The messages of this module need little of it: Sprintf
// knows the verbs %s, %v, %d, %q and %w (as %v) and %%, without flags or
// widths, for strings, byte slices, errors, Stringers, booleans, integers
// and floats. Anything else prints as fmt's own %!verb(…) complaints do, so
// a mistake shows in the message instead of going unnoticed.
package xfmt

import (
	"strconv"
	"unicode/utf8"
)

// Sprintf formats like fmt.Sprintf within the subset of the package doc.
func Sprintf(format string, args ...any) string {
	b := make([]byte, 0, len(format)+16*len(args))
	n := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+1 == len(format) {
			b = append(b, "%!(NOVERB)"...)
			break
		}
		i++
		verb := format[i]
		if verb == '%' {
			b = append(b, '%')
			continue
		}
		if verb >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(format[i:])
			i += size - 1
			b = append(b, "%!"...)
			b = utf8.AppendRune(b, r)
			b = append(b, "(unsupported)"...)
			n++ // as fmt, a bad verb still takes its argument
			continue
		}
		if n >= len(args) {
			b = append(b, '%', '!', verb, '(', 'M', 'I', 'S', 'S', 'I', 'N', 'G', ')')
			continue
		}
		b = appendArg(b, verb, args[n])
		n++
	}
	if n < len(args) {
		b = append(b, "%!(EXTRA)"...)
	}
	return string(b)
}

// appendArg appends one argument under verb.
func appendArg(b []byte, verb byte, arg any) []byte {
	switch verb {
	case 's', 'v', 'w':
		if s, ok := text(arg); ok {
			return append(b, s...)
		}
		if verb == 'v' {
			if nb, ok := appendNumber(b, arg); ok {
				return nb
			}
		}
	case 'q':
		if s, ok := text(arg); ok {
			return strconv.AppendQuote(b, s)
		}
	case 'd':
		if nb, ok := appendInteger(b, arg); ok {
			return nb
		}
	}
	return append(b, '%', '!', verb, '(', '?', ')')
}

// text is what %s and %v print for strings, errors and Stringers.
func text(arg any) (string, bool) {
	switch v := arg.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	case error:
		return v.Error(), true
	case interface{ String() string }:
		return v.String(), true
	case nil:
		return "<nil>", true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

func appendNumber(b []byte, arg any) ([]byte, bool) {
	if nb, ok := appendInteger(b, arg); ok {
		return nb, true
	}
	switch v := arg.(type) {
	case float64:
		return strconv.AppendFloat(b, v, 'g', -1, 64), true
	case float32:
		return strconv.AppendFloat(b, float64(v), 'g', -1, 32), true
	}
	return b, false
}

func appendInteger(b []byte, arg any) ([]byte, bool) {
	switch v := arg.(type) {
	case int:
		return strconv.AppendInt(b, int64(v), 10), true
	case int8:
		return strconv.AppendInt(b, int64(v), 10), true
	case int16:
		return strconv.AppendInt(b, int64(v), 10), true
	case int32:
		return strconv.AppendInt(b, int64(v), 10), true
	case int64:
		return strconv.AppendInt(b, v, 10), true
	case uint:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint8:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint16:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint32:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint64:
		return strconv.AppendUint(b, v, 10), true
	}
	return b, false
}
