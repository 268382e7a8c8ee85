package native

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"sync"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/ccaip/headless-go/api/jwriter"
	"github.com/ccaip/headless-go/sdk"
)

// maxBody bounds an answer's size (the largest is a 20 MB video).
const maxBody = 32 << 20

// HTTPCommunicator carries end-user API requests over HTTP. It keeps the
// session token it got from Authenticate (or Takeover) and sends it as
// "Authorization: Bearer"; the client never sees it.
type HTTPCommunicator struct {
	base   string
	client *http.Client
	own    bool
	// Origin, when set, is sent as the Origin header, as a browser would.
	Origin string

	mu    sync.Mutex
	token string
}

var (
	_ sdk.Communicator   = (*HTTPCommunicator)(nil)
	_ sdk.SessionStepper = (*HTTPCommunicator)(nil)
)

// NewHTTPCommunicator returns a communicator for the platform at baseURL
// (scheme and host, e.g. http://127.0.0.1:8080). A nil hc gets a private
// client whose idle connections Close releases.
func NewHTTPCommunicator(baseURL string, hc *http.Client) *HTTPCommunicator {
	c := &HTTPCommunicator{base: strings.TrimSuffix(baseURL, "/"), client: hc}
	if hc == nil {
		c.client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		c.own = true
	}
	return c
}

// Authenticate posts the end-user JWT to api.RouteToken and keeps the
// session token.
func (c *HTTPCommunicator) Authenticate(ctx context.Context, req api.TokenRequest) (api.Session, error) {
	return c.session(ctx, api.RouteToken, encode(&req), false)
}

// Takeover steps the session up to the identity of req.Token and keeps the
// new session token.
func (c *HTTPCommunicator) Takeover(ctx context.Context, req api.TakeoverRequest) (api.Session, error) {
	return c.session(ctx, api.RouteTakeover, encode(&req), true)
}

func (c *HTTPCommunicator) session(ctx context.Context, path string, body []byte, auth bool) (api.Session, error) {
	resp, err := c.do(ctx, &sdk.Request{Method: "POST", Path: path, ContentType: "application/json", Body: body}, auth)
	if err != nil {
		return api.Session{}, err
	}
	if resp.Status >= 400 {
		return api.Session{}, errorOf(resp)
	}
	var s api.Session
	l := jlexer.Lexer{Data: resp.Body}
	s.UnmarshalEasyJSON(&l)
	if err := l.Error(); err != nil {
		return api.Session{}, &api.Error{Code: api.CodeInternal, Message: "decode session: " + err.Error(), Status: resp.Status}
	}
	if s.SessionToken == "" {
		return api.Session{}, &api.Error{Code: api.CodeInternal, Message: "session without a token", Status: resp.Status}
	}
	c.mu.Lock()
	c.token = s.SessionToken
	c.mu.Unlock()
	s.SessionToken = ""
	return s, nil
}

// Do sends req with the session token and returns the answer whatever its
// status. Transport failures come back as a retryable unavailable error.
func (c *HTTPCommunicator) Do(ctx context.Context, req *sdk.Request) (*sdk.Response, error) {
	return c.do(ctx, req, true)
}

func (c *HTTPCommunicator) do(ctx context.Context, req *sdk.Request, auth bool) (*sdk.Response, error) {
	u := c.base + req.Path
	if req.Query != "" {
		u += "?" + req.Query
	}
	body, ctype := req.Body, req.ContentType
	if req.Form != nil {
		var err error
		if body, ctype, err = multipartBody(req.Form); err != nil {
			return nil, &api.Error{Code: api.CodeBadRequest, Message: "build multipart body: " + err.Error()}
		}
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, u, rd)
	if err != nil {
		return nil, &api.Error{Code: api.CodeBadRequest, Message: err.Error()}
	}
	if ctype != "" {
		hr.Header.Set("Content-Type", ctype)
	}
	if c.Origin != "" {
		hr.Header.Set("Origin", c.Origin)
	}
	c.mu.Lock()
	token := c.token
	c.mu.Unlock()
	if token != "" && auth {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.client.Do(hr)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, transportError(ctx, err)
	}
	out := &sdk.Response{Status: resp.StatusCode, Header: make(map[string]string, len(resp.Header)), Body: data}
	for k, v := range resp.Header {
		if len(v) > 0 {
			out.Header[strings.ToLower(k)] = v[0]
		}
	}
	return out, nil
}

// Close releases idle connections of a private HTTP client.
func (c *HTTPCommunicator) Close() error {
	if c.own {
		c.client.CloseIdleConnections()
	}
	return nil
}

func transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return &api.Error{Code: api.CodeTimeout, Message: err.Error(), Retryable: true}
		}
		return ctx.Err()
	}
	return &api.Error{Code: api.CodeUnavailable, Message: err.Error(), Retryable: true}
}

func errorOf(resp *sdk.Response) *api.Error {
	var body api.ErrorResponse
	l := jlexer.Lexer{Data: resp.Body}
	body.UnmarshalEasyJSON(&l)
	if l.Error() != nil || body.Error.Code == "" {
		return &api.Error{Code: api.CodeInternal, Message: fmt.Sprintf("status %d", resp.Status), Retryable: resp.Status >= 500, Status: resp.Status}
	}
	return &api.Error{Code: body.Error.Code, Message: body.Error.Message, Retryable: body.Error.Retryable || api.RetryableCode(body.Error.Code), Status: resp.Status}
}

func multipartBody(parts []sdk.FormPart) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.FileName == "" {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q`, p.Name))
		} else {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.Name, p.FileName))
		}
		if p.ContentType != "" {
			h.Set("Content-Type", p.ContentType)
		} else if p.FileName != "" {
			h.Set("Content-Type", "application/octet-stream")
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := pw.Write(p.Data); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

func encode(v interface{ MarshalEasyJSON(*jwriter.Writer) }) []byte {
	var w jwriter.Writer
	v.MarshalEasyJSON(&w)
	b, _ := w.BuildBytes()
	return b
}
