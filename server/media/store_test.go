package media_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/media"
)

func newStore(t *testing.T) (*media.Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := media.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func TestStorePutStatOpenDelete(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	data := []byte("hello, file")
	info, err := s.Put("chats/1/files/a.txt", "a.txt", "text/plain", bytes.NewReader(data), 100)
	if err != nil {
		t.Fatal(err)
	}
	if info.Key != "chats/1/files/a.txt" || info.Size != int64(len(data)) || info.Name != "a.txt" || info.ContentType != "text/plain" || info.Created.IsZero() {
		t.Fatalf("Put info = %+v", info)
	}
	st, err := s.Stat(info.Key)
	if err != nil || st != info {
		t.Fatalf("Stat = %+v, %v; want %+v", st, err, info)
	}
	f, oi, err := s.Open(info.Key)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, data) || oi != info {
		t.Fatalf("Open = %q, %+v", got, oi)
	}
	if err := s.Delete(info.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(info.Key); !isCode(err, api.CodeNotFound) {
		t.Fatalf("Stat after Delete = %v", err)
	}
	if _, _, err := s.Open(info.Key); !isCode(err, api.CodeNotFound) {
		t.Fatalf("Open after Delete = %v", err)
	}
	if err := s.Delete(info.Key); err != nil {
		t.Fatalf("second Delete = %v", err)
	}
}

func TestStorePersistsAcrossReopen(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t)
	if _, err := s.Put("k.bin", "k.bin", "application/octet-stream", strings.NewReader("x"), 0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := media.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if info, err := s2.Stat("k.bin"); err != nil || info.Size != 1 {
		t.Fatalf("Stat after reopen = %+v, %v", info, err)
	}
}

func TestStoreKeys(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t)
	bad := []string{"", "../escape", "a/../../b", "/abs", "a//b", ".hidden", "a/.b", "a/b/", "spa ce", "ünï", "a\\b", "a\x00b", strings.Repeat("k", media.MaxKeyLength+1)}
	for _, k := range bad {
		if _, err := s.Put(k, "x", "text/plain", strings.NewReader("x"), 0); !isCode(err, api.CodeInvalidArgument) {
			t.Errorf("Put(%q) = %v, want invalid_argument", k, err)
		}
		if _, err := s.Stat(k); !isCode(err, api.CodeInvalidArgument) {
			t.Errorf("Stat(%q) = %v, want invalid_argument", k, err)
		}
	}
	// Nothing was written outside the store's directory.
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key escaped the store: %v", err)
	}
	for _, k := range []string{"a", "A-b_c.d", "x/y/z.jpg", strings.Repeat("k", media.MaxKeyLength)} {
		if err := media.ValidKey(k); err != nil {
			t.Errorf("ValidKey(%q) = %v", k, err)
		}
	}
}

func TestStorePutTooLargeStoresNothing(t *testing.T) {
	t.Parallel()
	s, dir := newStore(t)
	_, err := s.Put("big", "big", "text/plain", bytes.NewReader(make([]byte, 101)), 100)
	if !isCode(err, api.CodeTooLarge) {
		t.Fatalf("Put = %v, want payload_too_large", err)
	}
	if _, err := s.Stat("big"); !isCode(err, api.CodeNotFound) {
		t.Fatalf("Stat = %v", err)
	}
	if _, err := s.Put("big", "big", "text/plain", bytes.NewReader(make([]byte, 100)), 100); err != nil {
		t.Fatalf("Put at the limit = %v", err)
	}
	// No temporary file is left behind.
	tmp, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(tmp) != 0 {
		t.Errorf("%d temporary files left", len(tmp))
	}
}

// failingReader fails after some bytes, as an interrupted upload does.
type failingReader struct {
	n   int
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, f.err
	}
	n := min(len(p), f.n)
	f.n -= n
	return n, nil
}

func TestStorePutReaderError(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	_, err := s.Put("k", "k", "text/plain", &failingReader{n: 10, err: io.ErrUnexpectedEOF}, 0)
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("Put = %v", err)
	}
	typed := api.Errorf(api.CodeUnsupportedType, "bad content")
	if _, err := s.Put("k", "k", "text/plain", &failingReader{n: 10, err: typed}, 0); !isCode(err, api.CodeUnsupportedType) {
		t.Fatalf("Put = %v, want the reader's typed error", err)
	}
	if _, err := s.Stat("k"); !isCode(err, api.CodeNotFound) {
		t.Fatalf("a failed Put left an object: %v", err)
	}
}

func TestStoreConcurrentPutSameKey(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Put("race", "r", "text/plain", bytes.NewReader(bytes.Repeat([]byte{byte('a' + i)}, 1000)), 0)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !isCode(err, api.CodeConflict):
			t.Errorf("Put = %v, want conflict", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d Puts succeeded, want exactly 1", ok)
	}
	f, _, err := s.Open("race")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	if len(b) != 1000 || bytes.Count(b, b[:1]) != 1000 {
		t.Fatal("stored bytes mix several uploads")
	}
}

func TestFilePolicy(t *testing.T) {
	t.Parallel()
	p := media.DefaultFilePolicy()
	tests := []struct {
		name string
		size int64
		code string // "" means accepted
	}{
		{"report.pdf", 1 << 20, ""},
		{"photo.JPG", 10 << 20, ""},
		{"no-extension", 5, ""},
		{"unknown-size.txt", -1, ""},
		{"setup.exe", 100, api.CodeUnsupportedType},
		{"SETUP.EXE", 100, api.CodeUnsupportedType},
		{"invoice.exe.pdf", 100, api.CodeUnsupportedType},
		{`C:\Users\me\run.bat`, 100, api.CodeUnsupportedType},
		{"script.ps1", 100, api.CodeUnsupportedType},
		{"big.zip", 10<<20 + 1, api.CodeTooLarge},
		{"empty.txt", 0, api.CodeInvalidArgument},
		{"", 10, api.CodeInvalidArgument},
		{"   ", 10, api.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := p.Check(tt.name, tt.size)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Check = %v", err)
				}
				return
			}
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Code != tt.code || ae.Status != api.StatusFor(tt.code) {
				t.Fatalf("Check = %v, want %s", err, tt.code)
			}
		})
	}
	custom := media.FilePolicy{MaxBytes: 1 << 10, Prohibited: []api.FileTypeItem{{Extension: ".PDF", Description: "PDF"}}}
	if err := custom.Check("a.pdf", 1); !isCode(err, api.CodeUnsupportedType) {
		t.Errorf("custom prohibited: %v", err)
	}
	if err := custom.Check("a.exe", 1<<10); err != nil {
		t.Errorf("custom policy refused a file it allows: %v", err)
	}
	if got := custom.Limit(); got != 1<<10 {
		t.Errorf("Limit = %d", got)
	}
	if got := (media.FilePolicy{}).Limit(); got != media.DefaultMaxFileBytes {
		t.Errorf("zero Limit = %d", got)
	}
	types := p.FileTypes()
	if len(types) == 0 || types[0].Extension != "exe" {
		t.Errorf("FileTypes = %v", types)
	}
	types[0].Extension = "changed"
	if p.FileTypes()[0].Extension != "exe" {
		t.Error("FileTypes shares the policy's slice")
	}
	if got := (media.FilePolicy{}).FileTypes(); got == nil || len(got) != 0 {
		t.Errorf("empty FileTypes = %#v, want an empty non-nil list", got)
	}
}

func TestSniffers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		head       []byte
		jpeg, mp4v bool
	}{
		{[]byte{0xFF, 0xD8, 0xFF}, true, false},
		{[]byte{0xFF, 0xD8}, false, false},
		{[]byte("\x00\x00\x00\x20ftypmp42"), false, true},
		{[]byte("\x00\x00\x00\x20moov"), false, false},
		{nil, false, false},
	}
	for _, tt := range tests {
		if media.IsJPEG(tt.head) != tt.jpeg || media.IsMP4(tt.head) != tt.mp4v {
			t.Errorf("head %q: IsJPEG %v IsMP4 %v", tt.head, media.IsJPEG(tt.head), media.IsMP4(tt.head))
		}
	}
	if got := media.FormatSize(3 << 20); got != "3 MB" {
		t.Errorf("FormatSize = %q", got)
	}
}
