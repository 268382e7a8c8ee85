package sdk

import (
	"context"

	"github.com/ccaip/headless-go/api"
)

// File is a file the end user attaches: the browser layer reads a JS File
// into it.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// CreateEmail sends an email to a menu's queue with attached files. A
// menuID of 0 takes data.MenuID (the older call form).
func (c *Client) CreateEmail(ctx context.Context, menuID int64, data api.EmailRequest, files []File) (*api.EmailResponse, error) {
	if menuID != 0 {
		data.MenuID = menuID
	}
	switch {
	case data.MenuID <= 0:
		return nil, invalid("menu id is required")
	case data.Email == "":
		return nil, invalid("email is required")
	case data.Content == "":
		return nil, invalid("content is required")
	}
	data.Lang = c.lang(data.Lang)
	form := []FormPart{{Name: "data", ContentType: "application/json", Data: encode(data.MarshalEasyJSON)}}
	for _, f := range files {
		if f.Name == "" {
			return nil, invalid("every file needs a name")
		}
		form = append(form, FormPart{Name: "files", FileName: f.Name, ContentType: f.ContentType, Data: f.Data})
	}
	var r api.EmailResponse
	if _, err := c.do(ctx, &Request{Method: "POST", Path: api.RouteEmails, Form: form}, r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	return &r, nil
}
