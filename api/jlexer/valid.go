package jlexer

// maxDepth is encoding/json's nesting limit, kept so that valid accepts
// exactly what json.Valid accepts.
const maxDepth = 10000

// valid reports whether data is one JSON value with optional surrounding
// white space, as encoding/json's Valid does. SkipRecursive uses it to
// check the object or array it skipped without linking encoding/json.
func valid(data []byte) bool {
	v := validator{data: data}
	v.space()
	if !v.value(0) {
		return false
	}
	v.space()
	return v.pos == len(v.data)
}

// validator is a recursive-descent JSON checker over data.
type validator struct {
	data []byte
	pos  int
}

func (v *validator) space() {
	for v.pos < len(v.data) {
		switch v.data[v.pos] {
		case ' ', '\t', '\n', '\r':
			v.pos++
		default:
			return
		}
	}
}

// value checks one value starting at pos (white space already skipped).
func (v *validator) value(depth int) bool {
	if v.pos >= len(v.data) {
		return false
	}
	switch c := v.data[v.pos]; {
	case c == '{':
		return v.object(depth + 1)
	case c == '[':
		return v.array(depth + 1)
	case c == '"':
		return v.string()
	case c == '-' || (c >= '0' && c <= '9'):
		return v.number()
	case c == 't':
		return v.literal("true")
	case c == 'f':
		return v.literal("false")
	case c == 'n':
		return v.literal("null")
	}
	return false
}

func (v *validator) object(depth int) bool {
	if depth > maxDepth {
		return false
	}
	v.pos++ // {
	v.space()
	if v.pos < len(v.data) && v.data[v.pos] == '}' {
		v.pos++
		return true
	}
	for {
		if v.pos >= len(v.data) || v.data[v.pos] != '"' || !v.string() {
			return false
		}
		v.space()
		if v.pos >= len(v.data) || v.data[v.pos] != ':' {
			return false
		}
		v.pos++
		v.space()
		if !v.value(depth) {
			return false
		}
		v.space()
		if v.pos >= len(v.data) {
			return false
		}
		switch v.data[v.pos] {
		case ',':
			v.pos++
			v.space()
		case '}':
			v.pos++
			return true
		default:
			return false
		}
	}
}

func (v *validator) array(depth int) bool {
	if depth > maxDepth {
		return false
	}
	v.pos++ // [
	v.space()
	if v.pos < len(v.data) && v.data[v.pos] == ']' {
		v.pos++
		return true
	}
	for {
		if !v.value(depth) {
			return false
		}
		v.space()
		if v.pos >= len(v.data) {
			return false
		}
		switch v.data[v.pos] {
		case ',':
			v.pos++
			v.space()
		case ']':
			v.pos++
			return true
		default:
			return false
		}
	}
}

// string checks a string literal; like encoding/json it rejects control
// characters and unknown escapes but not invalid UTF-8.
func (v *validator) string() bool {
	v.pos++ // opening quote
	for v.pos < len(v.data) {
		c := v.data[v.pos]
		switch {
		case c == '"':
			v.pos++
			return true
		case c < 0x20:
			return false
		case c == '\\':
			v.pos++
			if v.pos >= len(v.data) {
				return false
			}
			switch v.data[v.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				v.pos++
			case 'u':
				if v.pos+4 >= len(v.data) {
					return false
				}
				for _, h := range v.data[v.pos+1 : v.pos+5] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return false
					}
				}
				v.pos += 5
			default:
				return false
			}
		default:
			v.pos++
		}
	}
	return false
}

// number checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (v *validator) number() bool {
	if v.data[v.pos] == '-' {
		v.pos++
	}
	if v.pos >= len(v.data) {
		return false
	}
	if v.data[v.pos] == '0' {
		v.pos++
	} else if !v.digits() {
		return false
	}
	if v.pos < len(v.data) && v.data[v.pos] == '.' {
		v.pos++
		if !v.digits() {
			return false
		}
	}
	if v.pos < len(v.data) && (v.data[v.pos] == 'e' || v.data[v.pos] == 'E') {
		v.pos++
		if v.pos < len(v.data) && (v.data[v.pos] == '+' || v.data[v.pos] == '-') {
			v.pos++
		}
		if !v.digits() {
			return false
		}
	}
	return true
}

// digits consumes one or more ASCII digits.
func (v *validator) digits() bool {
	start := v.pos
	for v.pos < len(v.data) && v.data[v.pos] >= '0' && v.data[v.pos] <= '9' {
		v.pos++
	}
	return v.pos > start
}

func (v *validator) literal(lit string) bool {
	if len(v.data)-v.pos < len(lit) || string(v.data[v.pos:v.pos+len(lit)]) != lit {
		return false
	}
	v.pos += len(lit)
	return true
}
