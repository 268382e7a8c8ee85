package main

import (
	"fmt"
	"go/format"
	"regexp"
	"strings"
)

// compact rewrites easyjson's output into less code with the same
// behaviour. In Go's wasm every call site costs a resume point and every
// function an entry in the runtime's tables, and easyjson spells out
// several calls for every field and a wrapper for every method; compact
// made the brotli wasm 13 KB smaller (661,975 → 648,718 bytes). It makes
// each type's generated decode and encode functions its UnmarshalEasyJSON
// and MarshalEasyJSON methods (easyjson emits them as functions, with the
// methods as one-line wrappers), and it replaces, with calls of the
// methods api/jlexer and api/jwriter add to easyjson's:
//
//	if in.IsNull() {          in.StringInto(&x)
//		in.Skip()         (likewise Int64, Int, Bool, when x's type is
//	} else {                  exactly the one read)
//		x = string(in.String())
//	}
//
//	out.RawString(prefix)     out.StringField(prefix, string(in.F))
//	out.String(string(in.F))  (likewise Int64, Int, Bool)
//
// the reads around every object and of every key (ObjectStart, ObjectEnd,
// Key), and it drops the null check easyjson repeats before decoding into
// a pointer it has just allocated in the branch where the value is not
// null (compactNewPointer).
func compact(src []byte) ([]byte, error) {
	s, err := inlineMethods(string(src))
	if err != nil {
		return nil, err
	}
	lines := strings.SplitAfter(s, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		repl, n := compactDecode(lines[i:])
		if n == 0 {
			repl, n = compactEncode(lines[i:])
		}
		if n == 0 {
			repl, n = compactNewPointer(lines[i:])
		}
		if n == 0 {
			out = append(out, lines[i])
			continue
		}
		out = append(out, repl)
		i += n - 1
	}
	s = strings.Join(out, "")
	for old, repl := range objectCalls {
		s = strings.ReplaceAll(s, old, repl)
	}
	return format.Source([]byte(s))
}

var (
	decodeWrapper = regexp.MustCompile(`// UnmarshalEasyJSON supports easyjson.Unmarshaler interface\nfunc \(v \*(\w+)\) UnmarshalEasyJSON\(l \*jlexer.Lexer\) \{\n\t(easyjson\w+)\(l, v\)\n\}\n`)
	encodeWrapper = regexp.MustCompile(`// MarshalEasyJSON supports easyjson.Marshaler interface\nfunc \(v (\w+)\) MarshalEasyJSON\(w \*jwriter.Writer\) \{\n\t(easyjson\w+)\(w, v\)\n\}\n`)
	generatedName = regexp.MustCompile(`\beasyjson[0-9a-f]{8}\w+`)
)

// inlineMethods turns the generated functions into the methods that wrap
// them: 140 functions fewer.
func inlineMethods(s string) (string, error) {
	type method struct{ wrapper, recv, fn, def, call, newDef, newCall string }
	var methods []method
	for _, m := range decodeWrapper.FindAllStringSubmatch(s, -1) {
		methods = append(methods, method{m[0], m[1], m[2],
			"func " + m[2] + "(in *jlexer.Lexer, out *" + m[1] + ") {\n", m[2] + "(&r, v)",
			"// UnmarshalEasyJSON supports easyjson.Unmarshaler interface\nfunc (out *" + m[1] + ") UnmarshalEasyJSON(in *jlexer.Lexer) {\n", "v.UnmarshalEasyJSON(&r)"})
	}
	for _, m := range encodeWrapper.FindAllStringSubmatch(s, -1) {
		methods = append(methods, method{m[0], m[1], m[2],
			"func " + m[2] + "(out *jwriter.Writer, in " + m[1] + ") {\n", m[2] + "(&w, v)",
			"// MarshalEasyJSON supports easyjson.Marshaler interface\nfunc (in " + m[1] + ") MarshalEasyJSON(out *jwriter.Writer) {\n", "v.MarshalEasyJSON(&w)"})
	}
	for _, m := range methods {
		if strings.Count(s, m.def) != 1 {
			return "", fmt.Errorf("compact: %s is not defined once as %q", m.fn, m.def)
		}
		s = strings.Replace(s, m.wrapper, "", 1)
		s = strings.Replace(s, m.def, m.newDef, 1)
		s = strings.ReplaceAll(s, m.call, m.newCall)
	}
	if left := generatedName.FindString(s); left != "" {
		return "", fmt.Errorf("compact: %s is still referenced", left)
	}
	return s, nil
}

// objectCalls are easyjson's code around each object and each key, with
// its replacement.
var objectCalls = map[string]string{
	"\tisTopLevel := in.IsStart()\n\tif in.IsNull() {\n\t\tif isTopLevel {\n\t\t\tin.Consumed()\n\t\t}\n\t\tin.Skip()\n\t\treturn\n\t}\n\tin.Delim('{')\n": "\tisTopLevel, isObject := in.ObjectStart()\n\tif !isObject {\n\t\treturn\n\t}\n",
	"\tin.Delim('}')\n\tif isTopLevel {\n\t\tin.Consumed()\n\t}\n}\n":                                                                                      "\tin.ObjectEnd(isTopLevel)\n}\n",
	"\t\tkey := in.UnsafeFieldName(false)\n\t\tin.WantColon()\n":                                                                                           "\t\tkey := in.Key()\n",
}

var (
	decodeAssign = regexp.MustCompile(`^\t(\S+) = (string|int64|int|bool)\(in\.(String|Int64|Int|Bool)\(\)\)\n$`)
	encodeValue  = regexp.MustCompile(`^out\.(String|Int64|Int|Bool)\((.*)\)\n$`)
	rawString    = regexp.MustCompile(`^out\.RawString\((.*)\)\n$`)
	newPointer   = regexp.MustCompile(`^if (\S+) == nil \{\n$`)
)

// compactDecode matches the five lines of a decoded scalar field at the
// start of lines and returns their replacement and 5, or "", 0.
func compactDecode(lines []string) (string, int) {
	if len(lines) < 5 {
		return "", 0
	}
	indent, ok := cutIndent(lines[0], "if in.IsNull() {\n")
	if !ok || lines[1] != indent+"\tin.Skip()\n" || lines[2] != indent+"} else {\n" || lines[4] != indent+"}\n" || !strings.HasPrefix(lines[3], indent) {
		return "", 0
	}
	m := decodeAssign.FindStringSubmatch(lines[3][len(indent):])
	if m == nil || m[2] != strings.ToLower(m[3]) {
		return "", 0
	}
	return indent + "in." + m[3] + "Into(&" + m[1] + ")\n", 5
}

// compactEncode matches out.RawString(p) followed by the write of a
// scalar at the same indent and returns their replacement and 2, or "", 0.
func compactEncode(lines []string) (string, int) {
	if len(lines) < 2 {
		return "", 0
	}
	indent := leadingTabs(lines[0])
	raw := rawString.FindStringSubmatch(lines[0][len(indent):])
	if raw == nil || !strings.HasPrefix(lines[1], indent) {
		return "", 0
	}
	val := encodeValue.FindStringSubmatch(lines[1][len(indent):])
	if val == nil {
		return "", 0
	}
	return indent + "out." + val[1] + "Field(" + raw[1] + ", " + val[2] + ")\n", 2
}

// compactNewPointer matches, inside the not-null branch of a field,
//
//	} else {
//		if x == nil {
//			x = new(T)
//		}
//		if in.IsNull() {
//			in.Skip()
//		} else {
//			(*x).UnmarshalEasyJSON(in)
//		}
//
// and returns it without the second null check, which cannot be true, and
// the number of lines matched, or "", 0.
func compactNewPointer(lines []string) (string, int) {
	if len(lines) < 9 {
		return "", 0
	}
	outer, ok := cutIndent(lines[0], "} else {\n")
	indent := outer + "\t"
	if !ok || !strings.HasPrefix(lines[1], indent) {
		return "", 0
	}
	m := newPointer.FindStringSubmatch(lines[1][len(indent):])
	if m == nil || !strings.HasPrefix(lines[2], indent+"\t"+m[1]+" = new(") || lines[3] != indent+"}\n" {
		return "", 0
	}
	check := []string{"if in.IsNull() {\n", "\tin.Skip()\n", "} else {\n", "\t(*" + m[1] + ").UnmarshalEasyJSON(in)\n", "}\n"}
	for i, want := range check {
		if lines[4+i] != indent+want {
			return "", 0
		}
	}
	return strings.Join(lines[:4], "") + indent + "(*" + m[1] + ").UnmarshalEasyJSON(in)\n", 9
}

// cutIndent returns the tabs before rest if line is tabs then rest.
func cutIndent(line, rest string) (string, bool) {
	indent, ok := strings.CutSuffix(line, rest)
	return indent, ok && strings.Trim(indent, "\t") == ""
}

func leadingTabs(line string) string { return line[:len(line)-len(strings.TrimLeft(line, "\t"))] }
