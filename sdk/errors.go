package sdk

import (
	"context"
	"errors"
	"strconv"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
)

// Sentinel errors, matched with errors.Is (api.Error matches by code).
var (
	// ErrNoActiveChat is returned by chat methods when there is no current chat.
	ErrNoActiveChat = &api.Error{Code: api.CodeNoActiveChat, Message: "there is no active chat session"}
	// ErrChatAlreadyActive is returned by CreateChat while a chat is ongoing.
	ErrChatAlreadyActive = &api.Error{Code: api.CodeChatAlreadyActive, Message: "there is already an active chat session"}
	// ErrDestroyed is returned by every method after Close.
	ErrDestroyed = &api.Error{Code: api.CodeDestroyed, Message: "the client was destroyed"}
)

// responseError turns a 4xx/5xx answer into an *api.Error carrying the
// platform's code, message and retryability and the HTTP status.
func responseError(resp *Response) *api.Error {
	var body api.ErrorResponse
	l := jlexer.Lexer{Data: resp.Body}
	body.UnmarshalEasyJSON(&l)
	if l.Error() != nil || body.Error.Code == "" {
		code := codeForStatus(resp.Status)
		return &api.Error{Code: code, Message: statusText(resp), Retryable: api.RetryableCode(code) || resp.Status >= 500, Status: resp.Status}
	}
	return &api.Error{Code: body.Error.Code, Message: body.Error.Message, Retryable: body.Error.Retryable || api.RetryableCode(body.Error.Code), Status: resp.Status}
}

func statusText(resp *Response) string {
	msg := "platform answered status " + itoa(int64(resp.Status))
	if len(resp.Body) > 0 && len(resp.Body) < 200 {
		msg += ": " + string(resp.Body)
	}
	return msg
}

func codeForStatus(status int) string {
	switch status {
	case 400:
		return api.CodeBadRequest
	case 401:
		return api.CodeUnauthorized
	case 403:
		return api.CodeForbidden
	case 404:
		return api.CodeNotFound
	case 409:
		return api.CodeConflict
	case 413:
		return api.CodeTooLarge
	case 415:
		return api.CodeUnsupportedType
	case 429:
		return api.CodeRateLimited
	case 502, 503:
		return api.CodeUnavailable
	case 504:
		return api.CodeTimeout
	}
	return api.CodeInternal
}

// asAPIError converts any error into an *api.Error so that every method
// fails with the one typed error: context errors become timeout (deadline)
// or destroyed/unavailable (cancel), transport errors become unavailable.
func asAPIError(err error, closed bool) *api.Error {
	if err == nil {
		return nil
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		return ae
	}
	switch {
	case closed:
		return &api.Error{Code: api.CodeDestroyed, Message: "the client was destroyed"}
	case errors.Is(err, context.DeadlineExceeded):
		return &api.Error{Code: api.CodeTimeout, Message: err.Error(), Retryable: true}
	case errors.Is(err, context.Canceled):
		return &api.Error{Code: api.CodeUnavailable, Message: err.Error(), Retryable: true}
	}
	return &api.Error{Code: api.CodeUnavailable, Message: err.Error(), Retryable: true}
}

// invalid returns an invalid_argument error.
func invalid(format string, args ...any) *api.Error {
	return api.Errorf(api.CodeInvalidArgument, format, args...)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
