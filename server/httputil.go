package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// timeFormat is how the platform writes times: RFC 3339 in UTC with
// milliseconds.
const timeFormat = chat.TimeFormat

func fmtTime(ms int64) string { return chat.FmtTime(ms) }

// writeJSON answers v with status. api types marshal through easyjson.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, api.Errorf(api.CodeInternal, "encode response: %v", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

// writeError answers err in the one error shape. Errors that are not
// *api.Error become internal errors without leaking their text.
func writeError(w http.ResponseWriter, err error) {
	var e *api.Error
	if !errors.As(err, &e) {
		e = api.Errorf(api.CodeInternal, "internal error")
	}
	status := e.Status
	if status == 0 {
		status = api.StatusFor(e.Code)
	}
	if e.Code == api.CodeUnauthorized || e.Code == api.CodeSessionExpired {
		if w.Header().Get("WWW-Authenticate") == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="enduser"`)
		}
	}
	writeJSON(w, status, e.Body())
}

// readJSON decodes the request body into v, at most maxJSONBody bytes
// (bodyJSON; a route of another body class bounds the whole body anyway).
// An empty body decodes as {} when optional is set. Unknown keys are ignored.
func readJSON(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return api.Errorf(api.CodeTooLarge, "request body is over %d bytes", mb.Limit)
		}
		return api.Errorf(api.CodeBadRequest, "read body: %v", err)
	}
	if len(b) == 0 {
		if optional {
			return nil
		}
		return api.Errorf(api.CodeBadRequest, "request body is empty")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return api.Errorf(api.CodeBadRequest, "malformed JSON body: %v", err)
	}
	return nil
}

// pathID parses a positive integer path value.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, api.Errorf(api.CodeBadRequest, "%s must be a positive integer", name)
	}
	return id, nil
}

// queryInt parses an optional non-negative integer query parameter.
func queryInt(r *http.Request, name string, def int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, api.Errorf(api.CodeBadRequest, "%s must be a non-negative integer", name)
	}
	return n, nil
}
