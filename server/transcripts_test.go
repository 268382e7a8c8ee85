package server_test

import (
	"bufio"
	"bytes"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
	"github.com/ccaip/headless-go/server/transcript"
	"github.com/ccaip/headless-go/server/transcript/smtptest"
)

func TestTranscriptPDF(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("reader")
	other := p.login("snoop")
	chat := u.createChat(124)
	u.send(chat.ID, "a", "Hello, I need help")
	res := u.do("POST", path(api.RouteTranscriptPDF, chat.ID), nil)
	res.wantOK(t)
	var g api.GenerateTranscriptResponse
	res.decode(t, &g)
	if g.ChatTranscriptID == 0 || g.Status != api.TranscriptPending {
		t.Fatalf("generate %+v", g)
	}
	route := path(api.RouteTranscript, g.ChatTranscriptID)
	var pdf response
	eventually(t, "the PDF", func() bool {
		pdf = u.do("GET", route, nil)
		pdf.wantOK(t)
		st := pdf.header.Get(api.HeaderTranscriptStatus)
		if st == api.TranscriptPending {
			var ps api.PdfStatusResponse
			pdf.decode(t, &ps)
			if ps.Status != api.TranscriptPending {
				t.Fatalf("pending body %s", pdf.body)
			}
		}
		return st == api.TranscriptReady
	})
	if pdf.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.body, []byte("%PDF-")) {
		t.Fatalf("ready transcript: %v %.40q", pdf.header, pdf.body)
	}
	other.do("GET", route, nil).wantError(t, api.CodeNotFound)
	other.do("POST", path(api.RouteTranscriptPDF, chat.ID), nil).wantError(t, api.CodeNotFound)
	u.do("GET", path(api.RouteTranscript, 999), nil).wantError(t, api.CodeNotFound)
}

func TestTranscriptEmail(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("mailer")
	other := p.login("other-mailer")
	chat := u.createChat(124)
	u.send(chat.ID, "a", "Please send me this conversation")
	route := path(api.RouteTranscriptEmail, chat.ID)
	u.do("POST", route, api.TranscriptEmailRequest{Emails: []string{"me@example.com", "boss@example.org"}}).wantOK(t)
	mails := p.outbox()
	if len(mails) != 1 || !strings.Contains(mails[0], "me@example.com") || !strings.Contains(mails[0], "boss@example.org") ||
		!strings.Contains(mails[0], "Please send me this conversation") {
		t.Fatalf("outbox %q", mails)
	}
	many := make([]string, 21)
	for i := range many {
		many[i] = "a@example.com"
	}
	for _, tc := range []struct {
		name string
		who  *user
		body any
		code string
	}{
		{"no emails", u, api.TranscriptEmailRequest{}, api.CodeInvalidArgument},
		{"bad address", u, api.TranscriptEmailRequest{Emails: []string{"me@example.com", "nope"}}, api.CodeInvalidArgument},
		{"header injection", u, api.TranscriptEmailRequest{Emails: []string{"me@example.com\r\nBcc: x@evil.example"}}, api.CodeInvalidArgument},
		{"too many", u, api.TranscriptEmailRequest{Emails: many}, api.CodeInvalidArgument},
		{"another user's chat", other, api.TranscriptEmailRequest{Emails: []string{"me@example.com"}}, api.CodeNotFound},
		{"malformed", u, "{", api.CodeBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.who.do("POST", route, tc.body).wantError(t, tc.code) })
	}
	if len(p.outbox()) != 1 {
		t.Fatal("refused requests wrote mail")
	}

	off := newPlatform(t, func(c *server.Config) { c.Company = server.DefaultCompany(); c.Company.EmailTranscripts = false })
	ou := off.login("x")
	oc := ou.createChat(124)
	ou.do("POST", path(api.RouteTranscriptEmail, oc.ID), api.TranscriptEmailRequest{Emails: []string{"me@example.com"}}).wantError(t, api.CodeForbidden)
}

// TestTranscriptEmailOverSMTP: with Config.SMTP set, sendChatTranscripts
// also hands the mail to the SMTP server, to every recipient, with the
// chat's text; an SMTP server that refuses does not fail the request (the
// .eml is in the outbox, the failure is logged).
func TestTranscriptEmailOverSMTP(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		rcptReply string
		delivered bool
	}{
		{"accepted", "250 OK", true},
		{"recipient refused", "550 no such user", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			smtp := smtptest.New(t, tc.rcptReply, true)
			p := newPlatform(t, func(c *server.Config) {
				c.SMTP = &transcript.SMTPSender{Addr: smtp.Addr(), Timeout: 5 * time.Second}
			})
			u := p.login("smtp-" + strings.ReplaceAll(tc.name, " ", "-"))
			chat := u.createChat(124)
			u.send(chat.ID, "a", "Please mail me this conversation")
			u.do("POST", path(api.RouteTranscriptEmail, chat.ID), api.TranscriptEmailRequest{Emails: []string{"me@example.com", "boss@example.org"}}).wantOK(t)
			if len(p.outbox()) != 1 {
				t.Fatalf("outbox has %d mails, want the .eml either way", len(p.outbox()))
			}
			if !tc.delivered {
				eventually(t, "the sender to try the recipients", func() bool { _, rcpt, _ := smtp.Received(); return len(rcpt) > 0 })
				if smtp.Wait(300 * time.Millisecond) {
					t.Fatal("the SMTP server took a message whose recipients it refused")
				}
				return
			}
			if !smtp.Wait(5 * time.Second) {
				t.Fatal("nothing reached the SMTP server")
			}
			from, rcpt, data := smtp.Received()
			if from == "" || strings.Join(rcpt, ",") != "me@example.com,boss@example.org" {
				t.Fatalf("envelope from %q to %q", from, rcpt)
			}
			msg, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(data)))
			if err != nil {
				t.Fatal(err)
			}
			body := new(strings.Builder)
			bufio.NewReader(msg.Body).WriteTo(body)
			if !strings.Contains(msg.Header.Get("Subject"), "transcript of chat") || !strings.Contains(body.String(), "Please mail me this conversation") {
				t.Fatalf("subject %q, body %q", msg.Header.Get("Subject"), body)
			}
		})
	}
}
