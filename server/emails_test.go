package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccaip/headless-go/api"
)

// outbox reads every .eml the platform wrote.
func (p *platform) outbox() []string {
	p.t.Helper()
	files, _ := filepath.Glob(filepath.Join(p.dir, "outbox", "*.eml"))
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			p.t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

func TestCreateEmail(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, smallFiles)
	u := p.login("writer")
	data := `{"menu_id":124,"name":"Wanda Writer","email":"wanda@example.com","content":"My invoice is wrong.","lang":"en"}`
	res := u.upload(api.RouteEmails, field("data", data), file("files", "invoice.pdf", "application/pdf", []byte("%PDF-1.4 fake")),
		file("files", "note.txt", "text/plain", []byte("see attached")))
	res.wantOK(t)
	var e api.EmailResponse
	res.decode(t, &e)
	if e.ID == 0 || e.AttachmentCount != 2 || e.Status == "" {
		t.Fatalf("email %+v", e)
	}
	mails := p.outbox()
	if len(mails) != 1 || !strings.Contains(mails[0], "My invoice is wrong.") || !strings.Contains(mails[0], "invoice.pdf") ||
		!strings.Contains(mails[0], "wanda@example.com") || !strings.Contains(mails[0], "To: <support@demo.example>") {
		t.Fatalf("outbox %q", mails)
	}
	// Plain JSON without files works too.
	res = u.do("POST", api.RouteEmails, api.EmailRequest{MenuID: 123, Email: "wanda@example.com", Content: "Hello"})
	res.wantOK(t)
	res.decode(t, &e)
	if e.AttachmentCount != 0 || len(p.outbox()) != 2 {
		t.Fatalf("json email %+v, %d mails", e, len(p.outbox()))
	}

	for _, tc := range []struct {
		name  string
		parts []part
		code  string
	}{
		{"bad address", []part{field("data", `{"menu_id":124,"email":"not-an-address","content":"x"}`)}, api.CodeInvalidArgument},
		{"address with a name", []part{field("data", `{"menu_id":124,"email":"W <w@example.com>","content":"x"}`)}, api.CodeInvalidArgument},
		{"no content", []part{field("data", `{"menu_id":124,"email":"w@example.com","content":"  "}`)}, api.CodeInvalidArgument},
		{"menu without email", []part{field("data", `{"menu_id":201,"email":"w@example.com","content":"x"}`)}, api.CodeInvalidArgument},
		{"unknown menu", []part{field("data", `{"menu_id":999,"email":"w@example.com","content":"x"}`)}, api.CodeNotFound},
		{"no data part", []part{file("files", "a.txt", "text/plain", []byte("a"))}, api.CodeBadRequest},
		{"malformed data", []part{field("data", `{"menu_id":`)}, api.CodeBadRequest},
		{"prohibited attachment", []part{field("data", `{"menu_id":124,"email":"w@example.com","content":"x"}`),
			file("files", "ok.txt", "text/plain", []byte("fine")), file("files", "run.bat", "", []byte("echo"))}, api.CodeUnsupportedType},
		{"oversized attachment", []part{field("data", `{"menu_id":124,"email":"w@example.com","content":"x"}`),
			file("files", "big.txt", "text/plain", []byte(strings.Repeat("x", 2000)))}, api.CodeTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u.upload(api.RouteEmails, tc.parts...).wantError(t, tc.code)
		})
	}
	if n := len(p.outbox()); n != 2 {
		t.Fatalf("refused emails reached the outbox: %d mails", n)
	}
	// Refused requests leave no attachment behind in the media store.
	var stored int
	filepath.Walk(filepath.Join(p.dir, "media"), func(_ string, fi os.FileInfo, _ error) error {
		if fi != nil && !fi.IsDir() && !strings.HasSuffix(fi.Name(), ".json") && strings.Contains(fi.Name(), ".") {
			stored++
		}
		return nil
	})
	if stored != 2 {
		t.Errorf("media store holds %d files, want the 2 accepted attachments", stored)
	}
}
