// Package transcript renders a chat's transcript as a PDF (downloadChatTranscript)
// and as plain text, and delivers it by email (sendChatTranscripts): as an
// RFC 5322 .eml file dropped in a directory, or through an SMTP server.
// It starts no goroutines.
package transcript

import (
	"fmt"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
)

// Transcript is what is rendered: the chat's messages in order and where
// they came from.
type Transcript struct {
	CompanyName string
	ChatID      int64
	// Lang picks the labels ("en" or "it"; anything else is English).
	Lang      string
	StartedAt time.Time
	EndedAt   time.Time // zero while the chat is ongoing
	Messages  []api.Message
	// Location is the time zone of the timestamps shown; nil means UTC.
	Location *time.Location
}

// Entry is one message as a transcript shows it.
type Entry struct {
	Time   string // formatted in the transcript's time zone, "" if unknown
	Author string // "Agent Alice", "You", "System"
	Lines  []string
}

type labels struct {
	title, company, chat, started, ended, duration, ongoing   string
	endUser, agent, virtualAgent, system, file, options, page string
	form, link, noMessages                                    string
	events                                                    map[string]string
}

var labelsByLang = map[string]labels{
	"en": {
		title: "Chat transcript", company: "Company", chat: "Chat", started: "Started", ended: "Ended",
		duration: "Duration", ongoing: "ongoing", endUser: "You", agent: "Agent", virtualAgent: "Virtual agent",
		system: "System", file: "File", options: "Options", page: "Page", form: "Form", link: "Link",
		noMessages: "No messages.",
		events: map[string]string{
			api.NotiEscalationStarted:   "The chat is being transferred to a human agent.",
			api.NotiEscalationAccepted:  "A human agent accepted the chat.",
			api.NotiEscalationDeflected: "The chat was redirected to another channel.",
			api.NotiMemberJoined:        "%s joined the chat.",
			api.NotiMemberLeft:          "%s left the chat.",
			api.NotiChatEnded:           "The chat ended.",
			api.NotiChatDismissed:       "The chat was dismissed.",
			api.NotiChatResumed:         "The chat was resumed.",
			api.NotiChatTimeout:         "The chat timed out.",
			api.NotiFormRequested:       "A form was requested.",
			api.NotiFormCompleted:       "The form was completed.",
			api.NotiTransferred:         "The chat was transferred.",
			api.NotiBackToQueue:         "The chat went back to the queue.",
			api.NotiEndUserStepUp:       "The customer signed in.",
		},
	},
	"it": {
		title: "Trascrizione della chat", company: "Azienda", chat: "Chat", started: "Iniziata", ended: "Terminata",
		duration: "Durata", ongoing: "in corso", endUser: "Tu", agent: "Agente", virtualAgent: "Agente virtuale",
		system: "Sistema", file: "File", options: "Opzioni", page: "Pagina", form: "Modulo", link: "Link",
		noMessages: "Nessun messaggio.",
		events: map[string]string{
			api.NotiEscalationStarted:   "La chat viene trasferita a un agente.",
			api.NotiEscalationAccepted:  "Un agente ha accettato la chat.",
			api.NotiEscalationDeflected: "La chat è stata reindirizzata a un altro canale.",
			api.NotiMemberJoined:        "%s è entrato nella chat.",
			api.NotiMemberLeft:          "%s ha lasciato la chat.",
			api.NotiChatEnded:           "La chat è terminata.",
			api.NotiChatDismissed:       "La chat è stata chiusa per inattività.",
			api.NotiChatResumed:         "La chat è stata ripresa.",
			api.NotiChatTimeout:         "La chat è scaduta.",
			api.NotiFormRequested:       "È stato richiesto un modulo.",
			api.NotiFormCompleted:       "Il modulo è stato compilato.",
			api.NotiTransferred:         "La chat è stata trasferita.",
			api.NotiBackToQueue:         "La chat è tornata in coda.",
			api.NotiEndUserStepUp:       "Il cliente ha effettuato l'accesso.",
		},
	},
}

func (t Transcript) labels() labels {
	if l, ok := labelsByLang[strings.ToLower(strings.SplitN(t.Lang, "-", 2)[0])]; ok {
		return l
	}
	return labelsByLang["en"]
}

func (t Transcript) loc() *time.Location {
	if t.Location != nil {
		return t.Location
	}
	return time.UTC
}

// Header is the transcript's heading lines: title, company, chat id, start,
// end and duration.
func (t Transcript) Header() (title string, lines []string) {
	l := t.labels()
	if t.CompanyName != "" {
		lines = append(lines, l.company+": "+t.CompanyName)
	}
	lines = append(lines, fmt.Sprintf("%s: %d", l.chat, t.ChatID))
	if !t.StartedAt.IsZero() {
		lines = append(lines, l.started+": "+t.StartedAt.In(t.loc()).Format("2006-01-02 15:04:05 MST"))
	}
	if t.EndedAt.IsZero() {
		lines = append(lines, l.ended+": "+l.ongoing)
	} else {
		lines = append(lines, l.ended+": "+t.EndedAt.In(t.loc()).Format("2006-01-02 15:04:05 MST"))
		if !t.StartedAt.IsZero() && !t.EndedAt.Before(t.StartedAt) {
			lines = append(lines, l.duration+": "+t.EndedAt.Sub(t.StartedAt).Round(time.Second).String())
		}
	}
	return l.title, lines
}

// Entries turns the messages into what a reader sees: the author in words,
// the time, and the content, with files, cards, buttons and noti events
// spelled out.
func (t Transcript) Entries() []Entry {
	l := t.labels()
	out := make([]Entry, 0, len(t.Messages))
	for _, m := range t.Messages {
		e := Entry{Author: t.author(m, l)}
		if ts, err := time.Parse(time.RFC3339, m.Timestamp); err == nil {
			e.Time = ts.In(t.loc()).Format("15:04:05")
		} else if m.Timestamp != "" {
			e.Time = m.Timestamp
		}
		e.Lines = t.content(m, l)
		out = append(out, e)
	}
	return out
}

func (t Transcript) author(m api.Message, l labels) string {
	name := strings.TrimSpace(m.UserName)
	switch m.UserType {
	case api.UserEndUser:
		if name != "" {
			return name
		}
		return l.endUser
	case api.UserAgent:
		return strings.TrimSpace(l.agent + " " + name)
	case api.UserVirtualAgent:
		return strings.TrimSpace(l.virtualAgent + " " + name)
	}
	return l.system
}

func (t Transcript) content(m api.Message, l labels) []string {
	var lines []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			lines = append(lines, s)
		}
	}
	switch m.Type {
	case api.MsgNoti:
		name := strings.TrimSpace(m.UserName)
		if name == "" {
			name = t.author(m, l)
		}
		if f, ok := l.events[m.Event]; ok {
			if strings.Contains(f, "%s") {
				f = fmt.Sprintf(f, name)
			}
			add(f)
		} else {
			add(m.Event)
		}
		add(m.Content)
		return lines
	case api.MsgForm:
		add(m.Content)
		if m.Form != nil {
			add(l.form + ": " + firstNonEmpty(m.Form.Title, m.Form.Name))
		}
		return lines
	}
	add(m.Content)
	if m.Message != nil {
		for _, s := range m.Message.Messages {
			add(s)
		}
	}
	if c := m.Card; c != nil {
		add(c.Title)
		add(c.Subtitle)
		add(c.Body)
		if c.Link != "" {
			add(l.link + ": " + c.Link)
		}
		lines = append(lines, buttons(c.Buttons, l)...)
	}
	lines = append(lines, buttons(m.Buttons, l)...)
	lines = append(lines, buttons(m.QuickReplies, l)...)
	if m.Document != nil {
		add(l.link + ": " + m.Document.URL)
	}
	if f := m.File; f != nil {
		s := l.file + ": " + firstNonEmpty(f.Name, "?")
		if f.Size > 0 {
			s += " (" + size(f.Size) + ")"
		}
		add(s)
		add(f.Caption)
	} else if m.Type == api.MsgPhoto || m.Type == api.MsgVideo || m.Type == api.MsgFile {
		add(fmt.Sprintf("%s: %s #%d", l.file, m.Type, m.MediaID))
	}
	if len(lines) == 0 && !m.Structured.IsZero() {
		add("[" + m.Type + "]")
	}
	return lines
}

func buttons(bs []api.MessageButton, l labels) []string {
	if len(bs) == 0 {
		return nil
	}
	titles := make([]string, 0, len(bs))
	for _, b := range bs {
		titles = append(titles, b.Title)
	}
	return []string{l.options + ": " + strings.Join(titles, " | ")}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Text is the transcript as plain text, the body of transcript emails.
func (t Transcript) Text() string {
	var b strings.Builder
	title, header := t.Header()
	b.WriteString(title + "\n")
	for _, h := range header {
		b.WriteString(h + "\n")
	}
	b.WriteString("\n")
	entries := t.Entries()
	if len(entries) == 0 {
		b.WriteString(t.labels().noMessages + "\n")
	}
	for _, e := range entries {
		if e.Time != "" {
			b.WriteString("[" + e.Time + "] ")
		}
		b.WriteString(e.Author + ":\n")
		for _, line := range e.Lines {
			b.WriteString("  " + strings.ReplaceAll(line, "\n", "\n  ") + "\n")
		}
	}
	return b.String()
}
