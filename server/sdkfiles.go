package server

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// SDKFiles serves the built SDK (loader.js, ccaip.wasm, wasm_exec.js, the
// widget) from dir, choosing the brotli or gzip twin of a file when the
// browser accepts it (the wasm shrinks about fourfold). Customers' pages
// import loader.js from the platform's origin, which is another origin
// than theirs, so every file is served for cross-origin use: a module
// import and WebAssembly.compileStreaming are CORS requests
// (Access-Control-Allow-Origin), and pages isolated with COEP need
// Cross-Origin-Resource-Policy. The files are public and carry no
// credentials, so any origin may read them.
func SDKFiles(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("X-Content-Type-Options", "nosniff")
		name := path.Clean("/" + r.URL.Path)
		full := filepath.Join(dir, filepath.FromSlash(name))
		if st, err := os.Stat(full); err != nil || st.IsDir() {
			http.Error(w, "not built: run ./build.sh build", http.StatusNotFound)
			return
		}
		if ct := sdkContentType(name); ct != "" {
			h.Set("Content-Type", ct)
		}
		h.Set("Vary", "Accept-Encoding")
		// Revalidated on every use against a hash of the content: a 304
		// while the build is the same, the new file the moment it is not
		// (Last-Modified alone would keep a rolled-back, older file stale).
		h.Set("Cache-Control", "no-cache")
		accept := r.Header.Get("Accept-Encoding")
		served := full
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if !strings.Contains(accept, enc.token) {
				continue
			}
			if _, err := os.Stat(full + enc.ext); err == nil {
				h.Set("Content-Encoding", enc.token)
				served = full + enc.ext
				break
			}
		}
		if tag, err := etags.of(served); err == nil {
			h.Set("ETag", tag)
		}
		http.ServeFile(w, r, served)
	})
}

// etags caches each served file's content hash by path, size and
// modification time, so that a file is hashed once per change.
var etags fileTags

type fileTags struct {
	mu sync.Mutex
	m  map[string]fileTag
}

type fileTag struct {
	size int64
	mod  time.Time
	tag  string
}

func (c *fileTags) of(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	t, ok := c.m[path]
	c.mu.Unlock()
	if ok && t.size == st.Size() && t.mod.Equal(st.ModTime()) {
		return t.tag, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	tag := `"` + hex.EncodeToString(h.Sum(nil))[:20] + `"`
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]fileTag{}
	}
	c.m[path] = fileTag{size: st.Size(), mod: st.ModTime(), tag: tag}
	c.mu.Unlock()
	return tag, nil
}

func sdkContentType(name string) string {
	switch path.Ext(name) {
	case ".wasm":
		return "application/wasm"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".ts":
		return "text/plain; charset=utf-8"
	}
	return ""
}
