package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestCompressFileRoundTrips(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"text", bytes.Repeat([]byte("headless chat sdk "), 1000)},
		{"binary", func() []byte {
			b := make([]byte, 4096)
			for i := range b {
				b[i] = byte(i * 7)
			}
			return b
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			name := filepath.Join(t.TempDir(), "f.wasm")
			if err := os.WriteFile(name, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := compressFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if s.raw != int64(len(tt.data)) {
				t.Errorf("raw = %d, want %d", s.raw, len(tt.data))
			}
			br, _ := os.ReadFile(name + ".br")
			gz, _ := os.ReadFile(name + ".gz")
			if int64(len(br)) != s.br || int64(len(gz)) != s.gz {
				t.Errorf("reported sizes %d/%d, files %d/%d", s.br, s.gz, len(br), len(gz))
			}
			got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
			if err != nil || !bytes.Equal(got, tt.data) {
				t.Errorf("brotli round trip: err=%v equal=%v", err, bytes.Equal(got, tt.data))
			}
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatal(err)
			}
			got, err = io.ReadAll(zr)
			if err != nil || !bytes.Equal(got, tt.data) {
				t.Errorf("gzip round trip: err=%v equal=%v", err, bytes.Equal(got, tt.data))
			}
			if len(tt.data) > 1000 && s.br >= s.raw {
				t.Errorf("brotli did not shrink repetitive data: %d >= %d", s.br, s.raw)
			}
		})
	}
}

func TestCompressFileMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := compressFile(filepath.Join(dir, "nope")); err == nil {
		t.Fatal("compressing a missing file succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("left files behind: %v", entries)
	}
}
