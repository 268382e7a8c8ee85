// Package wasmfile reads and writes the few parts of a WebAssembly binary
// (spec: Binary Format, Modules) that the build and the size tools touch:
// the sections, the data segments and the function names. It is not a
// general wasm library; it knows what Go's linker writes.
package wasmfile

import (
	"bytes"
	"errors"
	"fmt"
)

// Section ids of the sections this package looks into.
const (
	Custom = 0
	Import = 2
	Code   = 10
	Data   = 11
)

var magic = []byte("\x00asm\x01\x00\x00\x00")

// Section is one section of a module: its id and its contents.
type Section struct {
	ID   byte
	Data []byte
}

// Sections splits a module into its sections, in file order.
func Sections(b []byte) ([]Section, error) {
	if !bytes.HasPrefix(b, magic) {
		return nil, errors.New("not a wasm module (version 1)")
	}
	var out []Section
	r := &Reader{b: b, off: len(magic)}
	for r.off < len(r.b) {
		id := r.Byte()
		n := r.Uint()
		data := r.Bytes(n)
		if r.err != nil {
			return nil, fmt.Errorf("section %d at byte %d: %w", id, r.off, r.err)
		}
		out = append(out, Section{id, data})
	}
	return out, nil
}

// Module writes sections back into a module.
func Module(sections []Section) []byte {
	out := append([]byte(nil), magic...)
	for _, s := range sections {
		out = append(out, s.ID)
		out = AppendUint(out, uint64(len(s.Data)))
		out = append(out, s.Data...)
	}
	return out
}

// Segment is one active data segment of memory 0: bytes copied to Addr
// when the module is instantiated.
type Segment struct {
	Addr int64
	Data []byte
}

// Segments reads the contents of a data section written by Go's linker:
// active segments of memory 0 with an i32.const address.
func Segments(data []byte) ([]Segment, error) {
	r := &Reader{b: data}
	var out []Segment
	for n := r.Uint(); n > 0 && r.err == nil; n-- {
		if flags := r.Uint(); flags != 0 {
			return nil, fmt.Errorf("data segment with flags %d: only active segments of memory 0 are read", flags)
		}
		if op := r.Byte(); op != 0x41 { // i32.const
			return nil, fmt.Errorf("data segment address opcode %#x, want i32.const", op)
		}
		addr := r.Int()
		if end := r.Byte(); end != 0x0b {
			return nil, fmt.Errorf("data segment address not ended by end (%#x)", end)
		}
		out = append(out, Segment{addr, r.Bytes(r.Uint())})
	}
	if r.err == nil && r.off != len(r.b) {
		r.err = errors.New("bytes after the last segment")
	}
	if r.err != nil {
		return nil, fmt.Errorf("data section: %w", r.err)
	}
	return out, nil
}

// AppendSegments appends the contents of a data section holding segs.
func AppendSegments(out []byte, segs []Segment) []byte {
	out = AppendUint(out, uint64(len(segs)))
	for _, s := range segs {
		out = append(out, 0, 0x41)
		out = AppendInt(out, s.Addr)
		out = append(out, 0x0b)
		out = AppendUint(out, uint64(len(s.Data)))
		out = append(out, s.Data...)
	}
	return out
}

// FuncNames returns the function names of a "name" custom section's
// contents (after the section's own name), by function index.
func FuncNames(data []byte) (map[int]string, error) {
	names := map[int]string{}
	r := &Reader{b: data}
	for r.off < len(r.b) && r.err == nil {
		id := r.Byte()
		sub := &Reader{b: r.Bytes(r.Uint())}
		if id != 1 { // function names
			continue
		}
		for n := sub.Uint(); n > 0 && sub.err == nil; n-- {
			idx := sub.Uint()
			names[idx] = sub.Name()
		}
		if sub.err != nil {
			return nil, fmt.Errorf("name section: %w", sub.err)
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("name section: %w", r.err)
	}
	return names, nil
}

// FuncImports counts the function imports of an import section's
// contents; imported functions take the first function indices.
func FuncImports(data []byte) (int, error) {
	r := &Reader{b: data}
	funcs := 0
	for n := r.Uint(); n > 0 && r.err == nil; n-- {
		r.Name()
		r.Name()
		switch r.Byte() {
		case 0: // func: type index
			r.Uint()
			funcs++
		case 1: // table: reftype, limits
			r.Byte()
			r.limits()
		case 2: // memory: limits
			r.limits()
		case 3: // global: valtype, mutability
			r.Byte()
			r.Byte()
		default:
			r.fail(errors.New("unknown import kind"))
		}
	}
	if r.err != nil {
		return 0, fmt.Errorf("import section: %w", r.err)
	}
	return funcs, nil
}

// Bodies returns the function bodies of a code section's contents.
func Bodies(data []byte) ([][]byte, error) {
	r := &Reader{b: data}
	var out [][]byte
	for n := r.Uint(); n > 0 && r.err == nil; n-- {
		out = append(out, r.Bytes(r.Uint()))
	}
	if r.err != nil {
		return nil, fmt.Errorf("code section: %w", r.err)
	}
	return out, nil
}

// Reader reads the primitive encodings of the binary format; the first
// error sticks and later reads return zero values.
type Reader struct {
	b   []byte
	off int
	err error
}

// NewReader returns a Reader over b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Len is the number of bytes not read yet.
func (r *Reader) Len() int { return len(r.b) - r.off }

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.err != nil || r.off >= len(r.b) {
		r.fail(errTruncated)
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

// Uint reads an unsigned LEB128 number of at most 32 bits.
func (r *Reader) Uint() int {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.Byte()
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return int(v)
		}
	}
	r.fail(errors.New("LEB128 number too long"))
	return 0
}

// Int reads a signed LEB128 number of at most 64 bits.
func (r *Reader) Int() int64 {
	var v int64
	for shift := 0; shift < 70; shift += 7 {
		c := r.Byte()
		v |= int64(c&0x7f) << shift
		if c < 0x80 {
			if c&0x40 != 0 && shift+7 < 64 {
				v -= 1 << (shift + 7)
			}
			return v
		}
	}
	r.fail(errors.New("LEB128 number too long"))
	return 0
}

// Bytes reads n bytes.
func (r *Reader) Bytes(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b)-r.off {
		r.fail(errTruncated)
		return nil
	}
	b := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return b
}

// Name reads a length-prefixed UTF-8 name.
func (r *Reader) Name() string { return string(r.Bytes(r.Uint())) }

func (r *Reader) limits() {
	if r.Byte() == 1 {
		r.Uint()
	}
	r.Uint()
}

var errTruncated = errors.New("truncated")

func (r *Reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// AppendUint appends v as unsigned LEB128.
func AppendUint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// AppendInt appends v as signed LEB128.
func AppendInt(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
