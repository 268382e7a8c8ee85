package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/ccaip/headless-go/api"
)

// MaxJSONBody bounds every JSON request body.
const MaxJSONBody = 1 << 20

// Paging bounds of message lists.
const (
	DefaultPageSize = 100
	MaxPageSize     = 500
)

// WriteJSON answers v with status. api types marshal through easyjson.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		WriteError(w, api.Errorf(api.CodeInternal, "encode response: %v", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

// WriteError answers err in the one error shape. Errors that are not
// *api.Error become internal errors without leaking their text.
func WriteError(w http.ResponseWriter, err error) {
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
	WriteJSON(w, status, e.Body())
}

// ReadJSON decodes the request body into v, at most MaxJSONBody bytes
// (BodyJSON; a route of another body class bounds the whole body anyway).
// An empty body decodes as {} when optional is set. Unknown keys are ignored.
func ReadJSON(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxJSONBody))
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

// PathID parses a positive integer path value.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, api.Errorf(api.CodeBadRequest, "%s must be a positive integer", name)
	}
	return id, nil
}

// QueryInt parses an optional non-negative integer query parameter.
func QueryInt(r *http.Request, name string, def int64) (int64, error) {
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
