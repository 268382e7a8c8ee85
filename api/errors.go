package api

import (
	"strconv"

	"github.com/ccaip/headless-go/internal/xfmt"
)

// Error codes. The same taxonomy reaches Go callers as *Error and JavaScript
// callers as an Error with code, retryable and status properties.
const (
	CodeBadRequest        = "bad_request"         // malformed body or parameters
	CodeInvalidArgument   = "invalid_argument"    // well-formed but invalid value
	CodeUnauthorized      = "unauthorized"        // missing or bad credentials or JWT
	CodeSessionExpired    = "session_expired"     // the session token expired: authenticate again
	CodeForbidden         = "forbidden"           // authenticated, but not allowed (another user's resource, origin)
	CodeNotFound          = "not_found"           // no such resource, or not visible to the caller
	CodeConflict          = "conflict"            // the resource is not in a state that allows this
	CodeNoActiveChat      = "no_active_chat"      // the call needs a current chat and there is none
	CodeChatAlreadyActive = "chat_already_active" // createChat while a chat is ongoing
	CodeTooLarge          = "payload_too_large"   // body, file or message over its limit
	CodeUnsupportedType   = "unsupported_type"    // prohibited or unsupported file type
	CodeRateLimited       = "rate_limited"        // too many requests; retry later
	CodeInternal          = "internal"            // a bug on the other side
	CodeUnavailable       = "unavailable"         // the platform cannot be reached; retry
	CodeTimeout           = "timeout"             // no answer in time; retry
	CodeDestroyed         = "destroyed"           // the client was destroyed
	CodePanic             = "panic"               // a Go panic, caught and turned into an error
)

// ErrorBody is the wire form of an error: {"error": {...}}.
//
//easyjson:json
type ErrorBody struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable,omitempty"`
}

// ErrorResponse wraps ErrorBody as every 4xx and 5xx answer does.
//
//easyjson:json
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// Error is the one typed error of the project. Status is the HTTP status
// when the error came from the platform, 0 otherwise.
type Error struct {
	Code      string
	Message   string
	Retryable bool
	Status    int
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return e.Code + " (" + strconv.Itoa(e.Status) + "): " + e.Message
	}
	return e.Code + ": " + e.Message
}

// Is matches another *Error by code, so errors.Is(err, &api.Error{Code: c})
// works across wrapping.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Errorf returns an *Error with the code's default retryability. The
// message is formatted by internal/xfmt, not fmt (which the wasm build does
// not link): %s, %v, %d, %q and %% for strings, errors, Stringers and
// numbers.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: xfmt.Sprintf(format, args...), Retryable: RetryableCode(code)}
}

// RetryableCode reports whether an error with this code may succeed if the
// same request is made again later.
func RetryableCode(code string) bool {
	switch code {
	case CodeRateLimited, CodeUnavailable, CodeTimeout, CodeSessionExpired:
		return true
	}
	return false
}

// StatusFor is the HTTP status the platform answers for a code.
func StatusFor(code string) int {
	switch code {
	case CodeBadRequest, CodeInvalidArgument:
		return 400
	case CodeUnauthorized, CodeSessionExpired:
		return 401
	case CodeForbidden:
		return 403
	case CodeNotFound:
		return 404
	case CodeConflict, CodeNoActiveChat, CodeChatAlreadyActive:
		return 409
	case CodeTooLarge:
		return 413
	case CodeUnsupportedType:
		return 415
	case CodeRateLimited:
		return 429
	case CodeUnavailable:
		return 503
	case CodeTimeout:
		return 504
	}
	return 500
}

// Body returns the wire form of e.
func (e *Error) Body() ErrorResponse {
	return ErrorResponse{Error: ErrorBody{Code: e.Code, Message: e.Message, Retryable: e.Retryable}}
}
