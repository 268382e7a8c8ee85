package wasmbuild

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccaip/headless-go/internal/wasmfile"
)

// TestMergeSegmentsKeepsMemory builds a small program as shipped, merges
// its data segments and checks that there are fewer of them, that the
// memory they initialise is byte for byte the same, and that the merged
// module still runs under Node with the same output.
func TestMergeSegmentsKeepsMemory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	raw := filepath.Join(dir, "raw.wasm")
	if out, err := Command(context.Background(), "testdata/tiny", raw, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	before, err := os.ReadFile(raw)
	if err != nil {
		t.Fatal(err)
	}
	after, err := MergeSegments(before, segmentGap)
	if err != nil {
		t.Fatal(err)
	}
	segsBefore, memBefore := memory(t, before)
	segsAfter, memAfter := memory(t, after)
	t.Logf("segments %d → %d, module %d → %d bytes", segsBefore, segsAfter, len(before), len(after))
	if segsBefore < 100 || segsAfter >= segsBefore/10 {
		t.Errorf("segments %d → %d: want many merged into few", segsBefore, segsAfter)
	}
	if !bytes.Equal(memBefore, memAfter) {
		t.Error("merged segments initialise different memory")
	}
	if _, err := MergeSegments(after, segmentGap); err != nil {
		t.Errorf("merge the merged module again: %v", err)
	}
	if _, err := MergeSegments([]byte("\x00asm\x01\x00\x00\x00"), segmentGap); err == nil {
		t.Error("a module without a data section merged without error")
	}

	merged := filepath.Join(dir, "merged.wasm")
	if err := os.WriteFile(merged, after, 0o644); err != nil {
		t.Fatal(err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "go_js_wasm_exec")
	for _, f := range []string{raw, merged} {
		out, err := exec.Command(exe, f).CombinedOutput()
		if err != nil || string(out) != "tiny 16941\n" {
			t.Errorf("%s: %q, %v; want \"tiny 16941\\n\"", filepath.Base(f), out, err)
		}
	}
}

// memory returns a module's number of data segments and the memory they
// write, from the lowest address written, applied in order.
func memory(t *testing.T, module []byte) (int, []byte) {
	t.Helper()
	sections, err := wasmfile.Sections(module)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sections {
		if s.ID != wasmfile.Data {
			continue
		}
		segs, err := wasmfile.Segments(s.Data)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := segs[0].Addr, int64(0)
		for _, seg := range segs {
			lo, hi = min(lo, seg.Addr), max(hi, seg.Addr+int64(len(seg.Data)))
		}
		mem := make([]byte, hi-lo)
		for _, seg := range segs {
			copy(mem[seg.Addr-lo:], seg.Data)
		}
		return len(segs), mem
	}
	t.Fatal("no data section")
	return 0, nil
}
