// Package smtptest is a minimal SMTP server on 127.0.0.1 for tests: it
// records the envelope and the message it receives, and can refuse
// recipients or stay silent to exercise a sender's errors.
package smtptest

import (
	"io"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server records what it receives. It closes when the test ends.
type Server struct {
	ln        net.Listener
	wg        sync.WaitGroup
	rcptReply string
	greet     bool

	mu       sync.Mutex
	from     string
	rcpt     []string
	data     []byte
	received chan struct{}
}

// New starts a server. rcptReply answers RCPT TO ("250 OK" accepts);
// greet false makes it never answer at all.
func New(t testing.TB, rcptReply string, greet bool) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{ln: ln, rcptReply: rcptReply, greet: greet, received: make(chan struct{}, 16)}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer conn.Close()
				s.handle(conn)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Received returns the last envelope and message data.
func (s *Server) Received() (from string, rcpt []string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.from, append([]string(nil), s.rcpt...), s.data
}

// Wait waits up to d for a message to arrive; it reports whether one did.
func (s *Server) Wait(d time.Duration) bool {
	select {
	case <-s.received:
		return true
	case <-time.After(d):
		return false
	}
}

func (s *Server) handle(conn net.Conn) {
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if !s.greet {
		io.Copy(io.Discard, conn) // say nothing until the client hangs up
		return
	}
	tp := textproto.NewConn(conn)
	tp.PrintfLine("220 test ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		addr := func() string { return strings.Trim(arg[strings.IndexByte(arg, ':')+1:], "<> ") }
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			tp.PrintfLine("250 test")
		case "MAIL":
			s.mu.Lock()
			s.from, s.rcpt = addr(), nil
			s.mu.Unlock()
			tp.PrintfLine("250 OK")
		case "RCPT":
			s.mu.Lock()
			s.rcpt = append(s.rcpt, addr())
			s.mu.Unlock()
			tp.PrintfLine("%s", s.rcptReply)
		case "DATA":
			tp.PrintfLine("354 go ahead")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.data = data
			s.mu.Unlock()
			tp.PrintfLine("250 queued")
			select {
			case s.received <- struct{}{}:
			default:
			}
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 not implemented")
		}
	}
}
