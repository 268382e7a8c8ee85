package transcript

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/smtp"
	"net/textproto"
	"time"

	"github.com/ccaip/headless-go/api"
)

// SMTPSender delivers Mail through an SMTP server (host:port), for setups
// that have one; without it the platform writes .eml files (WriteEML).
type SMTPSender struct {
	// Addr is the server's host:port.
	Addr string
	// Hello is the name given in EHLO; empty means "localhost".
	Hello string
	// Auth, if set, authenticates after EHLO (and STARTTLS when used).
	Auth smtp.Auth
	// TLS, if set, is used for STARTTLS when the server offers it.
	TLS *tls.Config
	// Timeout bounds one whole delivery; zero means 30 seconds.
	Timeout time.Duration
}

// Send delivers m to all its recipients in one SMTP transaction. Errors
// are unavailable (retryable) when the server cannot be reached or refuses
// temporarily (4xx), invalid_argument for a bad Mail.
func (s *SMTPSender) Send(ctx context.Context, m Mail) error {
	from, to, err := m.envelope()
	if err != nil {
		return err
	}
	raw, err := m.Bytes()
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return unavailable("smtp dial %s: %v", s.Addr, err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	// Closing the connection is what interrupts a blocked read on cancel.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return smtpErr("greeting", err)
	}
	defer c.Close()
	hello := s.Hello
	if hello == "" {
		hello = "localhost"
	}
	if err := c.Hello(hello); err != nil {
		return smtpErr("EHLO", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && s.TLS != nil {
		if err := c.StartTLS(s.TLS); err != nil {
			return smtpErr("STARTTLS", err)
		}
	}
	if s.Auth != nil {
		if err := c.Auth(s.Auth); err != nil {
			return smtpErr("AUTH", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return smtpErr("MAIL FROM", err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return smtpErr("RCPT TO "+r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return smtpErr("DATA", err)
	}
	if _, err := w.Write(raw); err != nil {
		return smtpErr("DATA", err)
	}
	if err := w.Close(); err != nil {
		return smtpErr("end of DATA", err)
	}
	// The message was accepted at the end of DATA; a failed QUIT does not
	// lose it.
	_ = c.Quit()
	return nil
}

// smtpErr classifies an SMTP failure: a 5xx reply is permanent, anything
// else (4xx, network) may succeed later.
func smtpErr(stage string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
		e := api.Errorf(api.CodeInvalidArgument, "smtp %s refused: %v", stage, err)
		e.Status = api.StatusFor(api.CodeInvalidArgument)
		return e
	}
	return unavailable("smtp %s: %v", stage, err)
}

func unavailable(format string, args ...any) error {
	e := api.Errorf(api.CodeUnavailable, format, args...)
	e.Status = api.StatusFor(api.CodeUnavailable)
	return e
}
