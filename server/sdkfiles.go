package server

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
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
		h.Set("Cache-Control", "no-cache")
		accept := r.Header.Get("Accept-Encoding")
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if !strings.Contains(accept, enc.token) {
				continue
			}
			if _, err := os.Stat(full + enc.ext); err == nil {
				h.Set("Content-Encoding", enc.token)
				http.ServeFile(w, r, full+enc.ext)
				return
			}
		}
		http.ServeFile(w, r, full)
	})
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
