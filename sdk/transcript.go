package sdk

import (
	"context"
	"strings"

	"github.com/ccaip/headless-go/api"
)

// SendChatTranscripts emails the current chat's transcript to addresses.
func (c *Client) SendChatTranscripts(ctx context.Context, emails []string) error {
	if len(emails) == 0 {
		return invalid("at least one email address is required")
	}
	for _, e := range emails {
		if at := strings.LastIndexByte(e, '@'); at < 1 || at == len(e)-1 || strings.ContainsAny(e, " <>,;") {
			return invalid("bad email address %q", e)
		}
	}
	id, err := c.currentID()
	if err != nil {
		return err
	}
	return c.post(ctx, route(api.RouteTranscriptEmail, "id", id), (&api.TranscriptEmailRequest{Emails: emails}).MarshalEasyJSON, nil)
}

// DownloadChatTranscript starts generating the current chat's PDF
// transcript; poll GetPdfStatus with ChatTranscriptID.
func (c *Client) DownloadChatTranscript(ctx context.Context) (*api.GenerateTranscriptResponse, error) {
	id, err := c.currentID()
	if err != nil {
		return nil, err
	}
	var r api.GenerateTranscriptResponse
	if err := c.post(ctx, route(api.RouteTranscriptPDF, "id", id), nil, r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	return &r, nil
}

// PdfStatus is getPdfStatus's documented {headers, data}. Data.Status is
// the x-transcript-status header when the body is the PDF itself, which
// is then in Body.
type PdfStatus struct {
	Headers map[string]string
	Data    api.PdfStatusResponse
	Body    []byte
}

// GetPdfStatus returns a transcript's status, and the PDF once ready.
func (c *Client) GetPdfStatus(ctx context.Context, transcriptID int64) (*PdfStatus, error) {
	resp, err := c.do(ctx, &Request{Method: "GET", Path: route(api.RouteTranscript, "tid", transcriptID)}, nil)
	if err != nil {
		return nil, err
	}
	st := &PdfStatus{Headers: resp.Header}
	if st.Headers == nil {
		st.Headers = map[string]string{}
	}
	status := st.Headers[api.HeaderTranscriptStatus]
	if ct := st.Headers["content-type"]; len(resp.Body) > 0 && (ct == "" || ct[:min(len(ct), 16)] == "application/json") && resp.Body[0] == '{' {
		if err := decode(resp.Body, st.Data.UnmarshalEasyJSON); err != nil {
			return nil, &api.Error{Code: api.CodeInternal, Message: "decode transcript status: " + err.Error(), Status: resp.Status}
		}
	} else {
		st.Body = resp.Body
	}
	if st.Data.Status == "" {
		st.Data.Status = status
	}
	return st, nil
}
