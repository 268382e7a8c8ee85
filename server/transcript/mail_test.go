package transcript_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/transcript"
	"github.com/ccaip/headless-go/server/transcript/smtptest"
)

func sampleMail(attach []byte) transcript.Mail {
	m := transcript.Mail{
		From:      "Acme Support <support@acme.example>",
		To:        []string{"ada@example.com", "Grace Hopper <grace@example.org>"},
		Subject:   "Trascrizione della chat n° 7 — Acme",
		Date:      time.Date(2026, 4, 1, 10, 6, 0, 0, time.UTC),
		MessageID: "transcript-7@acme.example",
		Text:      sample().Text(),
	}
	if attach != nil {
		m.Attachments = []transcript.Attachment{{Name: "chat-7.pdf", ContentType: "application/pdf", Data: attach}}
	}
	return m
}

// checkHeaders asserts the headers every transcript email has.
func checkHeaders(t *testing.T, msg *mail.Message, m transcript.Mail) {
	t.Helper()
	h := msg.Header
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil || from.Address != "support@acme.example" || from.Name != "Acme Support" {
		t.Errorf("From = %q (%v)", h.Get("From"), err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Address != "ada@example.com" || to[1].Address != "grace@example.org" || to[1].Name != "Grace Hopper" {
		t.Errorf("To = %q (%v)", h.Get("To"), err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("Subject = %q decoded %q (%v)", h.Get("Subject"), subject, err)
	}
	if d, err := h.Date(); err != nil || !d.Equal(m.Date) {
		t.Errorf("Date = %q (%v)", h.Get("Date"), err)
	}
	if got := h.Get("Message-ID"); got != "<transcript-7@acme.example>" {
		t.Errorf("Message-ID = %q", got)
	}
	if got := h.Get("MIME-Version"); got != "1.0" {
		t.Errorf("MIME-Version = %q", got)
	}
}

// crlf is s with CRLF line endings, as the body is sent.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// lf is s with LF line endings.
func lf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestWriteEMLPlain(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	m := sampleMail(nil)
	path, err := transcript.WriteEML(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir || filepath.Ext(path) != ".eml" {
		t.Fatalf("path = %q", path)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("%d files in the directory, want 1 (no temporary left)", len(entries))
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	checkHeaders(t, msg, m)
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "text/plain" || params["charset"] != "utf-8" {
		t.Errorf("Content-Type = %q", msg.Header.Get("Content-Type"))
	}
	if cte := msg.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
		t.Errorf("Content-Transfer-Encoding = %q", cte)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != crlf(m.Text) {
		t.Errorf("body =\n%s\nwant\n%s", body, m.Text)
	}
	// Every line fits the RFC 5322 limit and ends in CRLF.
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 || strings.Contains(line, "\n") {
			t.Fatalf("bad line %q", line)
		}
	}
}

func TestWriteEMLWithPDF(t *testing.T) {
	t.Parallel()
	pdf := render(t, sample())
	m := sampleMail(pdf)
	path, err := transcript.WriteEML(t.TempDir(), m)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	checkHeaders(t, msg, m)
	checkMultipart(t, msg, m.Text, pdf)
}

// checkMultipart asserts msg is multipart/mixed with text and the PDF.
func checkMultipart(t *testing.T, msg *mail.Message, text string, pdf []byte) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("Content-Type = %q", msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	p, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	if ct := p.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("text part Content-Type = %q", ct)
	}
	body, _ := io.ReadAll(p) // multipart decodes quoted-printable itself
	// Compare without line-ending differences: the test SMTP server's
	// ReadDotBytes turns CRLF into LF.
	if lf(string(body)) != text {
		t.Errorf("text part =\n%s", body)
	}
	p, err = mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	if p.FileName() != "chat-7.pdf" || !strings.HasPrefix(p.Header.Get("Content-Type"), "application/pdf") ||
		p.Header.Get("Content-Transfer-Encoding") != "base64" {
		t.Errorf("attachment headers = %v", p.Header)
	}
	enc, _ := io.ReadAll(p)
	got, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(enc), "\r\n", ""))
	if err != nil || !bytes.Equal(got, pdf) {
		t.Errorf("attachment does not decode to the PDF (%v)", err)
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Errorf("more parts than expected: %v", err)
	}
}

func TestMailRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mod  func(*transcript.Mail)
	}{
		{"bad sender", func(m *transcript.Mail) { m.From = "not an address" }},
		{"no recipient", func(m *transcript.Mail) { m.To = nil }},
		{"bad recipient", func(m *transcript.Mail) { m.To = []string{"ada@example.com", "nope"} }},
		{"header injection in recipient", func(m *transcript.Mail) { m.To = []string{"ada@example.com\r\nBcc: eve@evil.example"} }},
		{"too many recipients", func(m *transcript.Mail) {
			m.To = nil
			for range transcript.MaxRecipients + 1 {
				m.To = append(m.To, "x@example.com")
			}
		}},
		{"bad Message-ID", func(m *transcript.Mail) { m.MessageID = "a>\r\nBcc: x@y" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			m := sampleMail(nil)
			tt.mod(&m)
			_, err := transcript.WriteEML(dir, m)
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Code != api.CodeInvalidArgument {
				t.Fatalf("WriteEML = %v, want invalid_argument", err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("a refused mail left %d files", len(entries))
			}
		})
	}
}

func TestSubjectCannotInjectHeaders(t *testing.T) {
	t.Parallel()
	m := sampleMail(nil)
	m.Subject = "hi\r\nBcc: eve@evil.example"
	raw, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Bcc") != "" {
		t.Fatalf("subject injected a header: %q", msg.Header)
	}
}

func TestSMTPSender(t *testing.T) {
	t.Parallel()
	srv := smtptest.New(t, "250 OK", true)
	pdf := render(t, sample())
	m := sampleMail(pdf)
	s := &transcript.SMTPSender{Addr: srv.Addr(), Timeout: 5 * time.Second}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	from, rcpt, data := srv.Received()
	if from != "support@acme.example" || strings.Join(rcpt, ",") != "ada@example.com,grace@example.org" {
		t.Fatalf("envelope from %q to %q", from, rcpt)
	}
	msg, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	checkHeaders(t, msg, m)
	checkMultipart(t, msg, m.Text, pdf)
}

func TestSMTPSenderErrors(t *testing.T) {
	t.Parallel()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	tests := []struct {
		name string
		addr func(t *testing.T) string
		code string
	}{
		{"nothing listening", func(*testing.T) string { return closedAddr }, api.CodeUnavailable},
		{"recipient refused for good", func(t *testing.T) string { return smtptest.New(t, "550 no such user", true).Addr() }, api.CodeInvalidArgument},
		{"recipient refused for now", func(t *testing.T) string { return smtptest.New(t, "451 try later", true).Addr() }, api.CodeUnavailable},
		{"server never greets", func(t *testing.T) string { return smtptest.New(t, "", false).Addr() }, api.CodeUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &transcript.SMTPSender{Addr: tt.addr(t), Timeout: 500 * time.Millisecond}
			start := time.Now()
			err := s.Send(context.Background(), sampleMail(nil))
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Code != tt.code {
				t.Fatalf("Send = %v, want %s", err, tt.code)
			}
			if el := time.Since(start); el > 3*time.Second {
				t.Errorf("Send took %v despite a 500ms timeout", el)
			}
		})
	}
}
