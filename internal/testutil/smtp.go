package testutil

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message an SMTP server received.
type Mail struct {
	From string
	To   []string
	Data []byte
	// Header is the message's parsed header; Body its raw body.
	Header mail.Header
	Body   string
}

// SMTPServer is a real SMTP server (emersion/go-smtp) on 127.0.0.1 that
// keeps what it receives.
type SMTPServer struct {
	Addr string
	srv  *smtp.Server
	mu   sync.Mutex
	got  []Mail
	// hold, while set, makes DATA wait until it is closed (a send caught
	// mid-way); held counts the messages waiting.
	hold chan struct{}
	held int
	// refuse, while set, answers DATA with a temporary failure.
	refuse bool
}

// NewSMTPServer starts a server, stopped when the test ends.
func NewSMTPServer(t testing.TB) *SMTPServer {
	t.Helper()
	s := &SMTPServer{}
	s.srv = smtp.NewServer(smtpBackend{s})
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() {
		s.Release()
		s.srv.Close()
	})
	return s
}

// URL is the DEBRIEF_SMTP_URL of the server.
func (s *SMTPServer) URL() string { return "smtp://" + s.Addr }

// Hold makes the next messages wait in DATA until Release.
func (s *SMTPServer) Hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold == nil {
		s.hold = make(chan struct{})
	}
}

// Release lets held messages through (they are then received).
func (s *SMTPServer) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold != nil {
		close(s.hold)
		s.hold = nil
	}
}

// Held counts the messages waiting in DATA.
func (s *SMTPServer) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// Refuse makes DATA fail with a temporary error (421) while on.
func (s *SMTPServer) Refuse(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = on
}

// Messages returns what was received so far.
func (s *SMTPServer) Messages() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.got...)
}

// WaitFor waits until n messages have arrived (or fails the test).
func (s *SMTPServer) WaitFor(t testing.TB, n int, within time.Duration) []Mail {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := s.Messages()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("SMTP: %d messages after %s, want %d", len(got), within, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Part is the decoded text of the message's part of a media type
// ("text/plain", "text/html"), with \n line ends, or "".
func (m Mail) Part(mediaType string) string {
	if m.Header == nil {
		return ""
	}
	return findPart(textproto.MIMEHeader(m.Header), strings.NewReader(m.Body), mediaType)
}

func findPart(h textproto.MIMEHeader, body io.Reader, want string) string {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return ""
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err != nil {
				return ""
			}
			if got := findPart(p.Header, p, want); got != "" {
				return got
			}
		}
	}
	if mt != want {
		return ""
	}
	var rd io.Reader = body
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		rd = quotedprintable.NewReader(body)
	case "base64":
		rd = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, _ := io.ReadAll(rd)
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

type smtpBackend struct{ s *SMTPServer }

func (b smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: b.s}, nil }

type smtpSession struct {
	s    *SMTPServer
	from string
	to   []string
}

func (x *smtpSession) Reset()        { x.from, x.to = "", nil }
func (x *smtpSession) Logout() error { return nil }
func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	hold, refuse := x.s.hold, x.s.refuse
	if hold != nil {
		x.s.held++
	}
	x.s.mu.Unlock()
	if refuse {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	if hold != nil {
		<-hold
		x.s.mu.Lock()
		x.s.held--
		x.s.mu.Unlock()
	}
	m := Mail{From: x.from, To: append([]string(nil), x.to...), Data: data}
	if msg, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
		m.Header = msg.Header
		body, _ := io.ReadAll(msg.Body)
		m.Body = string(body)
	}
	x.s.mu.Lock()
	x.s.got = append(x.s.got, m)
	x.s.mu.Unlock()
	return nil
}
