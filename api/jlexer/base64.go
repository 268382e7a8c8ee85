package jlexer

import "strconv"

// decodeBase64 decodes src, standard base64 with padding, the way
// encoding/base64's StdEncoding.Decode does (line breaks ignored, padding
// required, non-zero trailing bits accepted) and returns the decoded bytes.
// It is a port of that decoder's quantum loop, here so that the lexer does
// not link encoding/base64 into the wasm build for Bytes alone.
func decodeBase64(src []byte) ([]byte, error) {
	dst := make([]byte, 0, len(src)/4*3)
	si := 0
	for si < len(src) {
		var dbuf [4]byte
		dlen := 4
		for j := 0; j < len(dbuf); j++ {
			if len(src) == si {
				if j == 0 {
					return dst, nil
				}
				return nil, base64Error(si - j)
			}
			in := src[si]
			si++
			if out := base64Value(in); out != 0xff {
				dbuf[j] = out
				continue
			}
			if in == '\n' || in == '\r' {
				j--
				continue
			}
			if in != '=' || j < 2 {
				return nil, base64Error(si - 1)
			}
			if j == 2 {
				for si < len(src) && (src[si] == '\n' || src[si] == '\r') {
					si++
				}
				if si == len(src) {
					return nil, base64Error(len(src))
				}
				if src[si] != '=' {
					return nil, base64Error(si - 1)
				}
				si++
			}
			for si < len(src) && (src[si] == '\n' || src[si] == '\r') {
				si++
			}
			if si < len(src) {
				return nil, base64Error(si)
			}
			dlen = j
			break
		}
		v := uint(dbuf[0])<<18 | uint(dbuf[1])<<12 | uint(dbuf[2])<<6 | uint(dbuf[3])
		b := [3]byte{byte(v >> 16), byte(v >> 8), byte(v)}
		dst = append(dst, b[:dlen-1]...)
		if dlen < 4 {
			return dst, nil
		}
	}
	return dst, nil
}

// base64Value is the 6-bit value of a standard base64 digit, 0xff for
// anything else.
func base64Value(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z':
		return c - 'A'
	case c >= 'a' && c <= 'z':
		return c - 'a' + 26
	case c >= '0' && c <= '9':
		return c - '0' + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return 0xff
}

// base64Error is encoding/base64's CorruptInputError text.
type base64Error int64

func (e base64Error) Error() string {
	return "illegal base64 data at input byte " + strconv.FormatInt(int64(e), 10)
}
