// Package media stores the files of chats and emails on disk and
// implements the platform's presigned media uploads: an S3-style POST
// policy, signed by the server, that lets a browser upload one photo or
// video straight to the upload handler (see Uploader), and the per-file
// limits of chat and email attachments (see FilePolicy).
package media

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
)

// Store keeps files on disk by key. Keys are slash-separated paths of
// [A-Za-z0-9._-] segments (no empty, dot-leading or ".." segments, at most
// MaxKeyLength bytes); all file access goes through an os.Root, so no key
// can reach outside the store's directory.
//
// An object is written once: Put refuses a key that exists, and an object
// becomes visible only complete, with its metadata.
type Store struct {
	root *os.Root
}

// MaxKeyLength bounds a key's length in bytes.
const MaxKeyLength = 512

// Info describes a stored object.
type Info struct {
	Key         string    `json:"key"`
	Name        string    `json:"name,omitempty"` // the uploader's file name
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Created     time.Time `json:"created"`
}

// Layout under the store's directory: data/<key> holds the bytes,
// meta/<key>.json the Info, and tmp/ files being written.
const (
	dataDir = "data"
	metaDir = "meta"
	tmpDir  = "tmp"
)

// NewStore opens (creating it if needed) a store in dir.
func NewStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("media store: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("media store: %w", err)
	}
	for _, d := range []string{dataDir, metaDir, tmpDir} {
		if err := root.MkdirAll(d, 0o750); err != nil {
			root.Close()
			return nil, fmt.Errorf("media store: %w", err)
		}
	}
	return &Store{root: root}, nil
}

// Close releases the store's directory handle.
func (s *Store) Close() error { return s.root.Close() }

// ValidKey reports whether key is acceptable to the store, with the reason
// when it is not.
func ValidKey(key string) error {
	if key == "" {
		return api.Errorf(api.CodeInvalidArgument, "media key is empty")
	}
	if len(key) > MaxKeyLength {
		return api.Errorf(api.CodeInvalidArgument, "media key is longer than %d bytes", MaxKeyLength)
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg[0] == '.' {
			return api.Errorf(api.CodeInvalidArgument, "media key %q has an empty or dot-leading segment", key)
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return api.Errorf(api.CodeInvalidArgument, "media key %q has a character other than letters, digits, '.', '_', '-' and '/'", key)
			}
		}
	}
	return nil
}

// Put stores the bytes of r under key with the uploader's file name and
// content type. At most maxBytes are accepted (maxBytes <= 0: no limit);
// beyond, Put stores nothing and fails with payload_too_large. A key that
// exists fails with conflict: every key takes one file. An error of r that
// is an *api.Error (for instance a content check) is returned as it is.
func (s *Store) Put(key, name, contentType string, r io.Reader, maxBytes int64) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	dataPath, metaPath := path.Join(dataDir, key), path.Join(metaDir, key+".json")
	if _, err := s.root.Stat(dataPath); err == nil {
		return Info{}, exists(key)
	}

	tmp := path.Join(tmpDir, randomHex(16))
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return Info{}, fmt.Errorf("media put %s: %w", key, err)
	}
	defer s.root.Remove(tmp)
	src := r
	if maxBytes > 0 {
		src = io.LimitReader(r, maxBytes+1)
	}
	n, err := io.Copy(f, src)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		var ae *api.Error
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &ae):
			return Info{}, err
		case errors.As(err, &mbe):
			return Info{}, tooLarge(maxBytes)
		}
		return Info{}, fmt.Errorf("media put %s: %w", key, err)
	}
	if maxBytes > 0 && n > maxBytes {
		return Info{}, tooLarge(maxBytes)
	}

	info := Info{Key: key, Name: name, ContentType: contentType, Size: n, Created: time.Now().UTC()}
	meta, err := json.Marshal(info)
	if err != nil {
		return Info{}, fmt.Errorf("media put %s: %w", key, err)
	}
	metaTmp := tmp + ".json"
	if err := s.root.WriteFile(metaTmp, meta, 0o640); err != nil {
		return Info{}, fmt.Errorf("media put %s: %w", key, err)
	}
	defer s.root.Remove(metaTmp)
	for _, p := range []string{dataPath, metaPath} {
		if err := s.root.MkdirAll(path.Dir(p), 0o750); err != nil {
			return Info{}, fmt.Errorf("media put %s: %w", key, err)
		}
	}
	// Linking the metadata claims the key (link fails if it exists, so two
	// concurrent uploads cannot both win); linking the data publishes it.
	if err := s.root.Link(metaTmp, metaPath); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Info{}, exists(key)
		}
		return Info{}, fmt.Errorf("media put %s: %w", key, err)
	}
	if err := s.root.Link(tmp, dataPath); err != nil {
		s.root.Remove(metaPath)
		if errors.Is(err, fs.ErrExist) {
			return Info{}, exists(key)
		}
		return Info{}, fmt.Errorf("media put %s: %w", key, err)
	}
	return info, nil
}

// Stat returns the Info of key, or a not_found error.
func (s *Store) Stat(key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	if _, err := s.root.Stat(path.Join(dataDir, key)); err != nil {
		return Info{}, notFound(key, err)
	}
	b, err := s.root.ReadFile(path.Join(metaDir, key+".json"))
	if err != nil {
		return Info{}, notFound(key, err)
	}
	var info Info
	if err := json.Unmarshal(b, &info); err != nil {
		return Info{}, fmt.Errorf("media stat %s: corrupt metadata: %w", key, err)
	}
	return info, nil
}

// Open returns key's bytes (an *os.File, so http.ServeContent can seek)
// and its Info. The caller closes the file.
func (s *Store) Open(key string) (*os.File, Info, error) {
	info, err := s.Stat(key)
	if err != nil {
		return nil, Info{}, err
	}
	f, err := s.root.Open(path.Join(dataDir, key))
	if err != nil {
		return nil, Info{}, notFound(key, err)
	}
	return f, info, nil
}

// Delete removes key; deleting a missing key is not an error.
func (s *Store) Delete(key string) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	if err := s.root.Remove(path.Join(dataDir, key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media delete %s: %w", key, err)
	}
	if err := s.root.Remove(path.Join(metaDir, key+".json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media delete %s: %w", key, err)
	}
	return nil
}

func notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return apiErr(api.CodeNotFound, "no media with key %q", key)
	}
	return fmt.Errorf("media %s: %w", key, err)
}

func exists(key string) *api.Error {
	return apiErr(api.CodeConflict, "a file was already uploaded with key %q; each upload takes one file", key)
}

func tooLarge(max int64) *api.Error {
	return apiErr(api.CodeTooLarge, "file is larger than the %s allowed", FormatSize(max))
}

// apiErr is api.Errorf with the HTTP status filled in.
func apiErr(code, format string, args ...any) *api.Error {
	e := api.Errorf(code, format, args...)
	e.Status = api.StatusFor(code)
	return e
}

// FormatSize writes a byte count the way limits are documented ("2 MB").
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
