package transcript_test

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/transcript"
)

var t0 = time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)

func at(sec int) string { return t0.Add(time.Duration(sec) * time.Second).Format(time.RFC3339) }

// sample is a chat with every kind of message a transcript must show.
func sample() transcript.Transcript {
	return transcript.Transcript{
		CompanyName: "Acme Corp",
		ChatID:      7,
		Lang:        "en",
		StartedAt:   t0,
		EndedAt:     t0.Add(5*time.Minute + 30*time.Second),
		Messages: []api.Message{
			{Index: 1, Timestamp: at(1), UserType: api.UserVirtualAgent, UserName: "Botty", Type: api.MsgText, Content: "Hello, how can I help?"},
			{Index: 2, Timestamp: at(5), UserType: api.UserEndUser, Type: api.MsgText, Content: "My invoice is wrong"},
			{Index: 3, Timestamp: at(6), UserType: api.UserSystem, Type: api.MsgNoti, Event: api.NotiEscalationStarted},
			{Index: 4, Timestamp: at(20), UserType: api.UserAgent, UserName: "Alice", Type: api.MsgNoti, Event: api.NotiMemberJoined},
			{Index: 5, Timestamp: at(25), UserType: api.UserAgent, UserName: "Alice", Type: api.MsgText, Content: "Caffè? Sure, let me check."},
			{Index: 6, Timestamp: at(30), UserType: api.UserEndUser, Type: api.MsgFile, MediaID: 3,
				File: &api.FileInfo{Name: "invoice-march.pdf", ContentType: "application/pdf", Size: 2048, Caption: "here it is"}},
			{Index: 7, Timestamp: at(40), UserType: api.UserAgent, UserName: "Alice", Type: api.MsgInlineButton, Content: "Was this resolved?",
				Buttons: []api.MessageButton{{Title: "Yes"}, {Title: "No"}}},
			{Index: 8, Timestamp: at(50), UserType: api.UserEndUser, Type: api.MsgText, Content: "Thanks 👋 你好"},
			{Index: 9, Timestamp: at(60), UserType: api.UserAgent, UserName: "Alice", Type: api.MsgNoti, Event: api.NotiMemberLeft},
			{Index: 10, Timestamp: at(61), UserType: api.UserSystem, Type: api.MsgNoti, Event: api.NotiChatEnded},
		},
	}
}

var streamRE = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)

// pdfContent is the PDF's bytes with every Flate stream inflated, so the
// drawn text can be searched.
func pdfContent(t *testing.T, pdf []byte) string {
	t.Helper()
	var b strings.Builder
	b.Write(pdf)
	for _, m := range streamRE.FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // not compressed
		}
		inflated, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("inflate a stream: %v", err)
		}
		b.Write(inflated)
	}
	return b.String()
}

func render(t *testing.T, tr transcript.Transcript) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := transcript.RenderPDF(&buf, tr); err != nil {
		t.Fatalf("RenderPDF: %v", err)
	}
	return buf.Bytes()
}

func TestRenderPDF(t *testing.T) {
	t.Parallel()
	pdf := render(t, sample())
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("output starts with %q", pdf[:min(len(pdf), 8)])
	}
	if !bytes.Contains(pdf[len(pdf)-32:], []byte("%%EOF")) {
		t.Error("no EOF trailer")
	}
	content := pdfContent(t, pdf)
	for _, want := range []string{
		"Chat transcript", "Acme Corp", "Chat: 7", "Duration: 5m30s",
		"Virtual agent Botty", "Hello, how can I help?",
		"10:00:05  You", "My invoice is wrong",
		"The chat is being transferred to a human agent.",
		"Alice joined the chat.", "Agent Alice",
		"Caff\xe8? Sure, let me check.",                    // è in Windows-1252
		`File: invoice-march.pdf \(2.0 KB\)`, "here it is", // parentheses escaped in PDF strings
		"Options: Yes | No",
		"Thanks ? ??", // emoji and CJK replaced, not failed
		"Alice left the chat.", "The chat ended.",
		"Page 1/1",
	} {
		if !strings.Contains(content, want) {
			t.Errorf("PDF does not show %q", want)
		}
	}
}

func TestRenderPDFIsDeterministic(t *testing.T) {
	t.Parallel()
	if !bytes.Equal(render(t, sample()), render(t, sample())) {
		t.Fatal("two renders of one transcript differ")
	}
}

func TestRenderPDFOddInput(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 3000)
	var many []api.Message
	for i := range 200 {
		many = append(many, api.Message{Index: int64(i + 1), Timestamp: at(i), UserType: api.UserEndUser, Type: api.MsgText, Content: fmt.Sprintf("line %d", i)})
	}
	tests := []struct {
		name string
		tr   transcript.Transcript
		want []string
	}{
		{"empty", transcript.Transcript{ChatID: 1}, []string{"No messages.", "Ended: ongoing"}},
		{"only emoji and controls", transcript.Transcript{ChatID: 2, Messages: []api.Message{
			{UserType: api.UserEndUser, Type: api.MsgText, Content: "👨‍👩‍👧‍👦🏳️‍🌈\x00\x07 ok"},
		}}, []string{"(?? ok)Tj"}},
		{"very long text", transcript.Transcript{ChatID: 3, Messages: []api.Message{
			{UserType: api.UserAgent, Type: api.MsgText, Content: long},
		}}, []string{"Page 2/"}},
		{"many messages", transcript.Transcript{ChatID: 4, Messages: many}, []string{"line 0", "line 199", "Page 3/"}},
		{"bad timestamp and unknown types", transcript.Transcript{ChatID: 5, Messages: []api.Message{
			{UserType: "robot", Type: "hologram", Timestamp: "yesterday", Content: "beep"},
			{UserType: api.UserSystem, Type: api.MsgNoti, Event: "somethingNew"},
			{UserType: api.UserAgent, Type: api.MsgPhoto, MediaID: 9},
		}}, []string{"yesterday  System", "beep", "somethingNew", "File: photo #9"}},
		{"parentheses and backslashes", transcript.Transcript{ChatID: 6, Messages: []api.Message{
			{UserType: api.UserEndUser, Type: api.MsgText, Content: `a (b) c\d`},
		}}, []string{`a \(b\) c\\d`}},
		{"italian", transcript.Transcript{ChatID: 8, Lang: "it-IT", Messages: []api.Message{
			{UserType: api.UserAgent, UserName: "Marco", Type: api.MsgNoti, Event: api.NotiMemberJoined},
		}}, []string{"Trascrizione della chat", "Marco \xe8 entrato nella chat.", "Pagina 1/1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			content := pdfContent(t, render(t, tt.tr))
			for _, want := range tt.want {
				if !strings.Contains(content, want) {
					t.Errorf("PDF does not show %q", want)
				}
			}
		})
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	got := sample().Text()
	want := `Chat transcript
Company: Acme Corp
Chat: 7
Started: 2026-04-01 10:00:00 UTC
Ended: 2026-04-01 10:05:30 UTC
Duration: 5m30s

[10:00:01] Virtual agent Botty:
  Hello, how can I help?
[10:00:05] You:
  My invoice is wrong
[10:00:06] System:
  The chat is being transferred to a human agent.
[10:00:20] Agent Alice:
  Alice joined the chat.
[10:00:25] Agent Alice:
  Caffè? Sure, let me check.
[10:00:30] You:
  File: invoice-march.pdf (2.0 KB)
  here it is
[10:00:40] Agent Alice:
  Was this resolved?
  Options: Yes | No
[10:00:50] You:
  Thanks 👋 你好
[10:01:00] Agent Alice:
  Alice left the chat.
[10:01:01] System:
  The chat ended.
`
	if got != want {
		t.Fatalf("Text =\n%s\nwant\n%s", got, want)
	}
	rome, err := time.LoadLocation("Europe/Rome")
	if err == nil {
		tr := sample()
		tr.Location = rome
		if !strings.Contains(tr.Text(), "[12:00:01] Virtual agent Botty:") {
			t.Errorf("time zone not applied:\n%s", tr.Text())
		}
	}
}
