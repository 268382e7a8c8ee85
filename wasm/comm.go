//go:build js && wasm

package main

import (
	"context"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/ccaip/headless-go/api/jwriter"
	"github.com/ccaip/headless-go/sdk"
	"github.com/hack-pad/safejs"
)

// bridgeComm is the client's Communicator in a browser: every request goes
// through the loader to the communication iframe on the platform's origin,
// which adds the session token. Go never sees that token.
type bridgeComm struct{ p *program }

var _ sdk.Communicator = bridgeComm{}

// Authenticate asks the bridge to exchange the JWT for a session; the
// bridge keeps session_token and answers the rest.
func (c bridgeComm) Authenticate(ctx context.Context, req api.TokenRequest) (api.Session, error) {
	var w jwriter.Writer
	req.MarshalEasyJSON(&w)
	body, _ := w.BuildBytes()
	rep, err := c.p.requests.do(ctx, reqSession, map[string]any{"body": string(body)})
	if err != nil {
		return api.Session{}, err
	}
	if rep.status != 200 {
		return api.Session{}, statusError(rep.status, rep.body)
	}
	var s api.Session
	l := jlexer.Lexer{Data: rep.body}
	s.UnmarshalEasyJSON(&l)
	if err := l.Error(); err != nil {
		return api.Session{}, api.Errorf(api.CodeInternal, "session: %v", err)
	}
	s.SessionToken = "" // the bridge never sends it; make sure of it
	return s, nil
}

// Do sends one end-user API request through the bridge.
func (c bridgeComm) Do(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	payload := map[string]any{
		"method":      req.Method,
		"path":        req.Path,
		"query":       req.Query,
		"contentType": req.ContentType,
	}
	if req.Body != nil {
		payload["body"] = bytesToJS(req.Body)
	}
	if len(req.Form) > 0 {
		form := make([]any, len(req.Form))
		for i, part := range req.Form {
			form[i] = map[string]any{
				"name":        part.Name,
				"fileName":    part.FileName,
				"contentType": part.ContentType,
				"data":        bytesToJS(part.Data),
			}
		}
		payload["form"] = form
	}
	rep, err := c.p.requests.do(ctx, reqFetch, payload)
	if err != nil {
		return nil, err
	}
	return &sdk.Response{Status: rep.status, Header: rep.header, Body: rep.body}, nil
}

// Close is a no-op: the loader removes the iframe on destroy.
func (c bridgeComm) Close() error { return nil }

// statusError reads the platform's {"error": {...}} body.
func statusError(status int, body []byte) *api.Error {
	var er api.ErrorResponse
	l := jlexer.Lexer{Data: body}
	er.UnmarshalEasyJSON(&l)
	if l.Error() != nil || er.Error.Code == "" {
		return &api.Error{Code: api.CodeInternal, Message: "unexpected answer", Status: status}
	}
	return &api.Error{Code: er.Error.Code, Message: er.Error.Message, Retryable: er.Error.Retryable, Status: status}
}

// bytesToJS copies b into a new Uint8Array.
func bytesToJS(b []byte) any {
	u8, err := safejs.Global().Get("Uint8Array")
	if err != nil {
		return nil
	}
	arr, err := u8.New(len(b))
	if err != nil {
		return nil
	}
	if _, err := safejs.CopyBytesToJS(arr, b); err != nil {
		return nil
	}
	return arr
}

// authenticator calls the page's authenticate() option through the loader.
func (p *program) authenticator() sdk.Authenticator {
	return func(ctx context.Context) (string, error) {
		rep, err := p.requests.do(ctx, reqAuthenticate, nil)
		if err != nil {
			return "", err
		}
		if rep.text == "" {
			return "", api.Errorf(api.CodeUnauthorized, "authenticate() returned no token")
		}
		return rep.text, nil
	}
}
