// Package smtptest runs SMTP servers for tests: an in-process one built on
// emersion/go-smtp whose answers a test scripts, and the external aiosmtpd
// (Debian python3-aiosmtpd) that writes what it receives into a Maildir.
package smtptest

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Step is what the fake server does with one mail transaction (one MAIL
// FROM). Steps are used in order; once the script is used up, it accepts.
type Step int

// The scripted answers.
const (
	Accept         Step = iota // 250 after DATA
	Shutdown                   // 421 4.3.2 at MAIL FROM: the server is going away
	Busy                       // 450 4.2.1 at RCPT TO: mailbox busy, try later
	Reject                     // 550 5.1.1 at RCPT TO: no such user
	DropInData                 // reads part of the DATA, then closes the connection
	AcceptThenDrop             // 250 after DATA, then closes the connection before RSET and QUIT
	AuthRequired               // 530 5.7.0 at MAIL FROM: the server wants a login we did not give
	RelayDenied                // 550 5.7.1 at RCPT TO: the server will not relay for us
)

// RejectText is the text of the Reject answer, for asserting that the
// server's words reach last_error.
const RejectText = "No such user here"

// FakeOptions configures the fake server.
type FakeOptions struct {
	TLS      *tls.Config // when set, STARTTLS is offered with it
	Username string      // when set, AUTH PLAIN is required with these credentials
	Password string
	Implicit bool // TLS from the first byte (needs TLS), instead of STARTTLS
	Script   []Step
}

// Received is one message the fake server accepted.
type Received struct {
	From          string
	To            []string
	Data          []byte
	TLS           bool // the connection was encrypted
	Authenticated bool // the client logged in
}

// Fake is a running in-process SMTP server on 127.0.0.1.
type Fake struct {
	Addr string // 127.0.0.1:port
	Host string
	Port int

	opt FakeOptions

	mu           sync.Mutex
	script       []Step
	transactions int
	received     []Received
	seen         []Received // every complete DATA, accepted or not
}

// StartFake starts a fake server; the test's cleanup stops it.
func StartFake(t testing.TB, opt FakeOptions) *Fake {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	f := &Fake{Addr: l.Addr().String(), Host: "127.0.0.1", opt: opt, script: append([]Step(nil), opt.Script...)}
	f.Port = l.Addr().(*net.TCPAddr).Port
	if opt.Implicit {
		l = tls.NewListener(l, opt.TLS)
	}
	s := smtp.NewServer(smtp.BackendFunc(f.newSession))
	s.Domain = "fake.test"
	if !opt.Implicit {
		s.TLSConfig = opt.TLS
	}
	s.AllowInsecureAuth = opt.TLS == nil
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.ErrorLog = discardLog{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Serve(l)
	}()
	t.Cleanup(func() {
		s.Close()
		// Close knows only the listeners Serve has registered: a test that
		// ends before Serve ran would leave it accepting forever.
		l.Close()
		<-done
	})
	return f
}

// SetScript replaces what is left of the script.
func (f *Fake) SetScript(steps ...Step) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append([]Step(nil), steps...)
}

// SetPassword changes the password the server accepts, as an admin
// fixing the server's side of a refused login would.
func (f *Fake) SetPassword(p string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opt.Password = p
}

// Received returns a copy of the accepted messages, in order.
func (f *Fake) Received() []Received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Received(nil), f.received...)
}

// Seen returns every message whose DATA was read in full, including those
// then answered with a temporary error.
func (f *Fake) Seen() []Received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Received(nil), f.seen...)
}

// Transactions counts MAIL FROM commands, accepted or not.
func (f *Fake) Transactions() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.transactions
}

func (f *Fake) nextStep() Step {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.transactions++
	if len(f.script) == 0 {
		return Accept
	}
	s := f.script[0]
	f.script = f.script[1:]
	return s
}

func (f *Fake) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{fake: f, conn: c}, nil
}

type discardLog struct{}

func (discardLog) Printf(string, ...any) {}
func (discardLog) Println(...any)        {}

var (
	errShutdown = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "Shutting down, try again later"}
	errBusy     = &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 0}, Message: "Mailbox busy, try again later"}
	errReject   = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: RejectText}
	errAuthReq  = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	errRelay    = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: RelayText}
)

// RelayText is the text of the RelayDenied answer.
const RelayText = "Relaying denied"

type session struct {
	fake   *Fake
	conn   *smtp.Conn
	authed bool
	step   Step
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		s.fake.mu.Lock()
		want := s.fake.opt.Password
		s.fake.mu.Unlock()
		if s.fake.opt.Username == "" || user != s.fake.opt.Username || pass != want {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.fake.opt.Username != "" && !s.authed {
		return errAuthReq
	}
	s.step = s.fake.nextStep()
	switch s.step {
	case Shutdown:
		return errShutdown
	case AuthRequired:
		return errAuthReq
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch s.step {
	case Reject:
		return errReject
	case RelayDenied:
		return errRelay
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	if s.step == DropInData {
		io.CopyN(io.Discard, r, 64)
		s.conn.Conn().Close()
		return errors.New("connection dropped by the test")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, tls := s.conn.TLSConnectionState()
	rcv := Received{From: s.from, To: s.to, Data: data, TLS: tls, Authenticated: s.authed}
	s.fake.mu.Lock()
	defer s.fake.mu.Unlock()
	s.fake.seen = append(s.fake.seen, rcv)
	if s.step == Busy {
		return errBusy
	}
	s.fake.received = append(s.fake.received, rcv)
	return nil
}

func (s *session) Reset() {
	if s.step == AcceptThenDrop {
		// Reset runs right after the 250 that ends DATA has been written.
		s.conn.Conn().Close()
	}
	s.from, s.to, s.step = "", nil, Accept
}

func (s *session) Logout() error { return nil }
