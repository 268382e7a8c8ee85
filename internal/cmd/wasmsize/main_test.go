package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestPkgOf(t *testing.T) {
	t.Parallel()
	tests := []struct{ sym, want string }{
		{"runtime.mallocgc", "runtime"},
		{"runtime.__mheap_.alloc", "runtime"},
		{"main.__core_.table", "main"},
		{"github.com_ccaip_headless_go_sdk.__Client_.Send", "github.com_ccaip_headless_go_sdk"},
		{"github.com_ccaip_headless_go_api_jlexer.__Lexer_.String", "github.com_ccaip_headless_go_api_jlexer"},
		{"internal_runtime_maps.__Iter_.Next", "internal_runtime_maps"},
		{"go.shape.int", "go"},
		{"wasm_pc_f_loop", "wasm_pc_f_loop"},
	}
	for _, tt := range tests {
		if got := pkgOf(tt.sym); got != tt.want {
			t.Errorf("pkgOf(%q) = %q, want %q", tt.sym, got, tt.want)
		}
	}
}

// TestRunOnTinyProgram builds the program of ../../wasmbuild/testdata/tiny
// with its name section and checks that the report finds its functions
// and packages and that the code bytes it counts add up.
func TestRunOnTinyProgram(t *testing.T) {
	t.Parallel()
	tiny, err := filepath.Abs("../../wasmbuild/testdata/tiny")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(&out, tiny, options{funcs: true, match: "main."}); err != nil {
		t.Fatal(err)
	}
	report := out.String()
	for _, want := range []string{"shipped: raw ", "section code", "section data (8 segments)", "section custom:name", " main.main\n", " main.itoa\n"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}

	out.Reset()
	if err := run(&out, tiny, options{}); err != nil {
		t.Fatal(err)
	}
	report = out.String()
	for _, want := range []string{" runtime\n", " main\n", " os\n"} {
		if !strings.Contains(report, want) {
			t.Errorf("package report lacks %q:\n%s", want, report)
		}
	}
}

func TestParseRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, b := range [][]byte{nil, []byte("not wasm"), []byte("\x00asm\x01\x00\x00\x00\x0a\x05\x01")} {
		if _, err := parse(b); err == nil {
			t.Errorf("parse(%q) = nil error", b)
		}
	}
}
