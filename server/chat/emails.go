package chat

import (
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
)

// Limits of createEmail.
const (
	MaxEmailFiles   = 10
	MaxEmailContent = 20000 // characters
	MaxEmailName    = 255
)

// EmailSent is the status of a recorded email: it is "sent" once it is in
// the outbox (and handed to SMTP when configured).
const EmailSent = "sent"

// CheckEmail accepts one bare address (a@b.c) and returns it trimmed.
func CheckEmail(v string) (string, error) {
	v = strings.TrimSpace(v)
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || !strings.Contains(v[strings.LastIndexByte(v, '@')+1:], ".") {
		return "", api.Errorf(api.CodeInvalidArgument, "%q is not an email address", v)
	}
	return v, nil
}

// Email is a createEmail request that passed the rules: its menu and
// language, the sender's address and one-line name, and the text.
type Email struct {
	Menu    *Menu
	Lang    string
	Addr    string
	Name    string
	Content string
}

// CheckEmailRequest applies createEmail's rules to req, which carries
// files attachments: an email menu, a valid address, content within
// MaxEmailContent, a one-line name, at most MaxEmailFiles files.
func (s *Domain) CheckEmailRequest(req api.EmailRequest, files int) (Email, error) {
	if req.MenuID <= 0 {
		return Email{}, api.Errorf(api.CodeInvalidArgument, "menu_id is required")
	}
	m, lang, err := s.company.ChannelMenu(req.MenuID, api.ChannelEmail, req.Lang)
	if err != nil {
		return Email{}, err
	}
	addr, err := CheckEmail(req.Email)
	if err != nil {
		return Email{}, err
	}
	if strings.TrimSpace(req.Content) == "" {
		return Email{}, api.Errorf(api.CodeInvalidArgument, "content is required")
	}
	if n := utf8.RuneCountInString(req.Content); n > MaxEmailContent {
		return Email{}, api.Errorf(api.CodeTooLarge, "content is %d characters, over the %d limit", n, MaxEmailContent)
	}
	name := strings.TrimSpace(req.Name)
	if len(name) > MaxEmailName || strings.ContainsAny(name, "\r\n") {
		return Email{}, api.Errorf(api.CodeInvalidArgument, "name must be one line of at most %d bytes", MaxEmailName)
	}
	if files > MaxEmailFiles {
		return Email{}, api.Errorf(api.CodeInvalidArgument, "at most %d files may be attached", MaxEmailFiles)
	}
	return Email{Menu: m, Lang: lang, Addr: addr, Name: name, Content: req.Content}, nil
}
