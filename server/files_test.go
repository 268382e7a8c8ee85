package server_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

var jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte("jpegdata"), 20)...)

func smallFiles(c *server.Config) {
	c.Company = server.DefaultCompany()
	c.Company.MaxFileSize = 1024
}

func TestSendFileAndDownload(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, smallFiles)
	u := p.login("sender")
	other := p.login("stranger")
	chat := u.createChat(124)
	route := path(api.RouteFiles, chat.ID)

	res := u.upload(route, field("client_id", "f-1"), field("caption", "my receipt"), file("file", "receipt.txt", "text/plain", []byte("total: 42")))
	res.wantOK(t)
	var fm api.FileMessageResponse
	res.decode(t, &fm)
	m := fm.Message
	if m.Type != api.MsgFile || m.MediaID == 0 || fm.MediaID != m.MediaID || fm.MessageID != m.Index || m.File == nil ||
		m.File.Name != "receipt.txt" || m.File.ContentType != "text/plain" || m.File.Size != 9 || m.File.Caption != "my receipt" ||
		!strings.HasSuffix(m.File.URL, path(api.RouteMedia, m.MediaID)) || m.ClientID != "f-1" || m.UserType != api.UserEndUser {
		t.Fatalf("file message %+v file %+v", m, m.File)
	}
	// A retry with the same client_id creates nothing.
	res = u.upload(route, field("client_id", "f-1"), file("file", "receipt.txt", "text/plain", []byte("total: 42")))
	res.wantOK(t)
	var again api.FileMessageResponse
	res.decode(t, &again)
	if again.Message.Index != m.Index || again.MediaID != m.MediaID || u.lastMessage(chat.ID).Index != m.Index {
		t.Fatalf("retry made a new message: %+v", again)
	}
	// An image becomes a photo message.
	res = u.upload(route, file("file", "cat.jpg", "", jpeg))
	res.wantOK(t)
	res.decode(t, &fm)
	if fm.Message.Type != api.MsgPhoto || fm.Message.File.ContentType != "image/jpeg" {
		t.Fatalf("photo %+v", fm.Message)
	}

	media := path(api.RouteMedia, m.MediaID)
	res = p.get(media, map[string]string{"Authorization": "Bearer " + u.token})
	res.wantOK(t)
	if string(res.body) != "total: 42" || res.header.Get("Content-Type") != "text/plain" || !strings.Contains(res.header.Get("Content-Disposition"), "receipt.txt") {
		t.Fatalf("download %q %v", res.body, res.header)
	}
	res = p.get(media, basicHeader())
	res.wantOK(t)
	if string(res.body) != "total: 42" {
		t.Fatalf("agent download %q", res.body)
	}
	p.get(media, map[string]string{"Authorization": "Bearer " + other.token}).wantError(t, api.CodeNotFound)
	p.get(media, nil).wantError(t, api.CodeUnauthorized)
	p.get(path(api.RouteMedia, 9999), map[string]string{"Authorization": "Bearer " + u.token}).wantError(t, api.CodeNotFound)

	for _, tc := range []struct {
		name  string
		user  *user
		route string
		parts []part
		code  string
	}{
		{"another user's chat", other, route, []part{file("file", "a.txt", "text/plain", []byte("x"))}, api.CodeNotFound},
		{"prohibited type", u, route, []part{file("file", "setup.exe", "application/octet-stream", []byte("MZ"))}, api.CodeUnsupportedType},
		{"prohibited inner extension", u, route, []part{file("file", "invoice.sh.txt", "text/plain", []byte("x"))}, api.CodeUnsupportedType},
		{"over the size limit", u, route, []part{file("file", "big.txt", "text/plain", bytes.Repeat([]byte("x"), 1025))}, api.CodeTooLarge},
		{"empty file", u, route, []part{file("file", "empty.txt", "text/plain", nil)}, api.CodeInvalidArgument},
		{"no file part", u, route, []part{field("caption", "hi")}, api.CodeInvalidArgument},
		{"two file parts", u, route, []part{file("file", "a.txt", "text/plain", []byte("a")), file("file", "b.txt", "text/plain", []byte("b"))}, api.CodeInvalidArgument},
		{"caption too long", u, route, []part{field("caption", strings.Repeat("c", 1001)), file("file", "a.txt", "text/plain", []byte("a"))}, api.CodeTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.user.upload(tc.route, tc.parts...).wantError(t, tc.code)
		})
	}
	u.do("POST", route, map[string]string{"file": "x"}).wantError(t, api.CodeBadRequest)
	if n := len(u.messages(chat.ID)); n != int(fm.Message.Index) {
		t.Fatalf("refused uploads added messages: %d", n)
	}
	u.do("POST", path(api.RouteChatFinish, chat.ID), nil).wantOK(t)
	u.upload(route, file("file", "late.txt", "text/plain", []byte("x"))).wantError(t, api.CodeConflict)
}
