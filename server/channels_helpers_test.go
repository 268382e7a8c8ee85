package server_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// part is one part of a multipart body: a field when name is "", a file
// otherwise.
type part struct {
	field, filename, contentType string
	data                         []byte
}

func field(name, value string) part { return part{field: name, data: []byte(value)} }

func file(field, name, contentType string, data []byte) part {
	return part{field: field, filename: name, contentType: contentType, data: data}
}

// multipartBody encodes parts and returns the body and its Content-Type.
func multipartBody(t *testing.T, parts ...part) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.filename == "" && p.contentType == "" {
			w, err = mw.CreateFormField(p.field)
		} else {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="`+p.field+`"; filename="`+p.filename+`"`)
			if p.contentType != "" {
				h.Set("Content-Type", p.contentType)
			}
			w, err = mw.CreatePart(h)
		}
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.data)
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// upload POSTs a multipart body as the user.
func (u *user) upload(route string, parts ...part) response {
	u.p.t.Helper()
	body, ct := multipartBody(u.p.t, parts...)
	return u.p.request("POST", route, body, map[string]string{"Authorization": "Bearer " + u.token, "Content-Type": ct})
}

// get sends a GET with arbitrary headers and returns the raw answer.
func (p *platform) get(route string, hdr map[string]string) response {
	p.t.Helper()
	return p.request("GET", route, nil, hdr)
}

func basicHeader() map[string]string {
	req, _ := http.NewRequest("GET", "/", nil)
	req.SetBasicAuth(server.DemoTenant, server.DemoAPIToken)
	return map[string]string{"Authorization": req.Header.Get("Authorization")}
}

func endUserJWT(t *testing.T, identifier string) string {
	return signJWT(t, jwt.SigningMethodHS256, []byte(server.DemoSecret), userClaims(identifier))
}

// eventually polls cond until it holds or 5 seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// lastMessage is the newest message of the chat.
func (u *user) lastMessage(chatID int64) api.Message {
	u.p.t.Helper()
	ms := u.messages(chatID)
	if len(ms) == 0 {
		u.p.t.Fatal("no messages")
	}
	return ms[len(ms)-1]
}
