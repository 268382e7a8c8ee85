package transcript

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
)

// Mail is one email: a UTF-8 plain-text body and optional attachments
// (typically the transcript PDF).
type Mail struct {
	From    string   // one address, "Name <a@b>" or "a@b"
	To      []string // one or more addresses
	Subject string
	Date    time.Time // zero means now
	// MessageID is the Message-ID without angle brackets; empty means a
	// random one at the From address's domain.
	MessageID   string
	Text        string
	Attachments []Attachment
}

// Attachment is a file attached to a Mail.
type Attachment struct {
	Name        string
	ContentType string // empty means application/octet-stream
	Data        []byte
}

// MaxRecipients bounds Mail.To, so one request cannot turn the platform into
// a mass mailer.
const MaxRecipients = 20

// envelope validates m and returns the bare sender and recipient addresses.
func (m Mail) envelope() (from string, to []string, err error) {
	f, err := mail.ParseAddress(m.From)
	if err != nil {
		return "", nil, api.Errorf(api.CodeInvalidArgument, "mail: sender %q is not an email address", m.From)
	}
	if len(m.To) == 0 {
		return "", nil, api.Errorf(api.CodeInvalidArgument, "mail: no recipient")
	}
	if len(m.To) > MaxRecipients {
		return "", nil, api.Errorf(api.CodeInvalidArgument, "mail: %d recipients, at most %d", len(m.To), MaxRecipients)
	}
	for _, s := range m.To {
		a, err := mail.ParseAddress(s)
		if err != nil {
			return "", nil, api.Errorf(api.CodeInvalidArgument, "mail: recipient %q is not an email address", s)
		}
		to = append(to, a.Address)
	}
	return f.Address, to, nil
}

// Bytes encodes m as an RFC 5322 message with CRLF line endings: From, To,
// Subject (RFC 2047-encoded when not ASCII), Date, Message-ID, MIME-Version,
// and a quoted-printable text/plain; charset=utf-8 body, inside a
// multipart/mixed with base64 attachments when there are any.
func (m Mail) Bytes() ([]byte, error) {
	from, _, err := m.envelope()
	if err != nil {
		return nil, err
	}
	fromAddr, _ := mail.ParseAddress(m.From)
	var to []string
	for _, s := range m.To {
		a, _ := mail.ParseAddress(s)
		to = append(to, a.String())
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	id := m.MessageID
	if id == "" {
		domain := from[strings.LastIndexByte(from, '@')+1:]
		id = randomHex(12) + "@" + domain
	}
	if strings.ContainsAny(id, "<>\r\n \t") {
		return nil, api.Errorf(api.CodeInvalidArgument, "mail: bad Message-ID %q", id)
	}

	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", fromAddr.String())
	header("To", strings.Join(to, ", "))
	header("Subject", mime.QEncoding.Encode("utf-8", strings.NewReplacer("\r", " ", "\n", " ").Replace(m.Subject)))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+id+">")
	header("MIME-Version", "1.0")

	text := strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n", "\r\n")
	if len(m.Attachments) == 0 {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}

	mw := multipart.NewWriter(&b)
	header("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	tp, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return nil, err
	}
	if err := writeQP(tp, text); err != nil {
		return nil, err
	}
	for _, a := range m.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		name := filepath.Base(strings.ReplaceAll(a.Name, `\`, "/"))
		if name == "." || name == "/" {
			name = "attachment"
		}
		ap, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {mime.FormatMediaType(ct, map[string]string{"name": name})},
			"Content-Transfer-Encoding": {"base64"},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": name})},
		})
		if err != nil {
			return nil, err
		}
		enc := base64.StdEncoding.EncodeToString(a.Data)
		for len(enc) > 76 {
			ap.Write([]byte(enc[:76] + "\r\n"))
			enc = enc[76:]
		}
		ap.Write([]byte(enc + "\r\n"))
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeQP(w interface{ Write([]byte) (int, error) }, text string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(text)); err != nil {
		return err
	}
	return qp.Close()
}

// WriteEML writes m as an .eml file in dir (created if needed) and returns
// its path. The file appears complete or not at all: it is written under a
// temporary name and renamed.
func WriteEML(dir string, m Mail) (string, error) {
	raw, err := m.Bytes()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("write eml: %w", err)
	}
	f, err := os.CreateTemp(dir, ".eml-*.tmp")
	if err != nil {
		return "", fmt.Errorf("write eml: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(raw)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("write eml: %w", err)
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	path := filepath.Join(dir, date.UTC().Format("20060102T150405Z")+"-"+randomHex(6)+".eml")
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("write eml: %w", err)
	}
	return path, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
