package sdk

import (
	"context"

	"github.com/ccaip/headless-go/api"
)

// CreateCobrowseCode creates a screen-share code. As documented it never
// fails outright: on error it returns "" (and the error for Go callers).
func (c *Client) CreateCobrowseCode(ctx context.Context, lang string, customData map[string]string) (string, error) {
	req := api.CobrowseCodeRequest{Lang: c.lang(lang), CustomData: customData}
	c.mu.Lock()
	if c.chat != nil {
		req.ChatID = c.chat.ID
	}
	c.mu.Unlock()
	var r api.CobrowseCodeResponse
	if err := c.post(ctx, api.RouteCobrowseCodes, req.MarshalEasyJSON, r.UnmarshalEasyJSON); err != nil {
		return "", err
	}
	return r.Code, nil
}

// StartCobrowse starts a screen-share session on the current chat, if any.
func (c *Client) StartCobrowse(ctx context.Context, from string) (*api.CobrowseSession, error) {
	req := api.StartCobrowseRequest{From: from}
	c.mu.Lock()
	if c.chat != nil {
		req.ChatID = c.chat.ID
	}
	c.mu.Unlock()
	var r api.CobrowseSession
	if err := c.post(ctx, api.RouteCobrowseSessions, req.MarshalEasyJSON, r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	return &r, nil
}

// GetMessageAttachment downloads a message's file. It returns nil, nil for
// a message without one (documented: null when not applicable).
func (c *Client) GetMessageAttachment(ctx context.Context, m *api.Message) (*File, error) {
	if m == nil || m.MediaID == 0 {
		return nil, nil
	}
	resp, err := c.do(ctx, &Request{Method: "GET", Path: route(api.RouteMedia, "mid", m.MediaID)}, nil)
	if err != nil {
		return nil, err
	}
	f := &File{ContentType: resp.Header["content-type"], Data: resp.Body}
	if m.File != nil {
		f.Name = m.File.Name
		if m.File.ContentType != "" {
			f.ContentType = m.File.ContentType
		}
	}
	if f.Name == "" {
		f.Name = "attachment-" + itoa(m.MediaID)
	}
	return f, nil
}
