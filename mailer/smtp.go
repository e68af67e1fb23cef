package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// TLSMode is how the connection to the SMTP server is protected.
type TLSMode string

// The TLS modes of the smtp_tls setting.
const (
	TLSStartTLS TLSMode = "starttls" // plain connect, then mandatory STARTTLS (port 587)
	TLSImplicit TLSMode = "tls"      // TLS from the first byte (port 465)
	TLSNone     TLSMode = "none"     // no encryption; for a relay on the same host
)

// SMTPConfig is the [mail] section's view of the SMTP server.
type SMTPConfig struct {
	Host string
	Port int     // default 587, or 465 with TLSImplicit, or 25 with TLSNone
	TLS  TLSMode // default TLSStartTLS

	// AUTH is used only when Username is set: PLAIN when the server offers
	// it, else LOGIN. go-mail refuses both over an unencrypted connection
	// to anything but localhost.
	Username string
	Password string

	HELO      string        // name sent in EHLO; default the host name
	Timeout   time.Duration // per connection and per command; default 30 s
	TLSConfig *tls.Config   // override, e.g. a test CA; ServerName defaults to Host
}

// SMTPSender delivers through an SMTP server with go-mail, one connection
// per message.
type SMTPSender struct {
	cfg SMTPConfig
}

// NewSMTPSender checks cfg and fills its defaults.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.Host == "" {
		return nil, errors.New("mailer: smtp: no host (smtp_host)")
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = TLSStartTLS
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("mailer: smtp: smtp_tls %q: want starttls, tls or none", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = map[TLSMode]int{TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25}[cfg.TLS]
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("mailer: smtp: smtp_port %d out of range", cfg.Port)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTPSender{cfg: cfg}, nil
}

// Addr is host:port, for logs and `oneonone check`.
func (s *SMTPSender) Addr() string {
	return net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
}

func (s *SMTPSender) client() (*mail.Client, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.cfg.TLSConfig != nil {
		tc = s.cfg.TLSConfig.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = s.cfg.Host
	}
	opts := []mail.Option{
		mail.WithPort(s.cfg.Port),
		mail.WithTimeout(s.cfg.Timeout),
		mail.WithTLSConfig(tc),
	}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.cfg.HELO != "" {
		opts = append(opts, mail.WithHELO(s.cfg.HELO))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithOpportunisticSMTPAuth(mail.SMTPAuthPlain, mail.SMTPAuthLogin),
			mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	return mail.NewClient(s.cfg.Host, opts...)
}

// Send delivers m. The context bounds connecting; once connected, each
// command is bounded by the timeout, so a message being transmitted when
// the daemon stops is finished rather than cut off after the server may
// already have accepted it.
func (s *SMTPSender) Send(ctx context.Context, m Message) (bool, error) {
	msg, err := Render(m)
	if err != nil {
		return false, fmt.Errorf("mailer: send %s: %w", m.MessageID, err)
	}
	c, err := s.client()
	if err != nil {
		return false, fmt.Errorf("mailer: send %s: smtp client: %w", m.MessageID, err)
	}
	err = c.DialAndSendWithContext(ctx, msg)
	// go-mail can report an error after the server accepted the message
	// (RSET or QUIT failing): that message is sent, and retrying would
	// deliver it twice.
	if msg.IsDelivered() {
		return false, nil
	}
	if err == nil {
		return true, fmt.Errorf("mailer: send %s: not delivered, no error given", m.MessageID)
	}
	return s.classify("mailer: send "+m.MessageID, err)
}

// Check connects, says EHLO, starts TLS and logs in as configured, then
// quits without sending: `oneonone check` uses it to say what is wrong
// before any mail is due.
func (s *SMTPSender) Check(ctx context.Context) error {
	c, err := s.client()
	if err != nil {
		return fmt.Errorf("mailer: check %s: %w", s.Addr(), err)
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		_, err = s.classify("mailer: check", err)
		return err
	}
	if err := c.CloseWithSMTPClient(sc); err != nil {
		return fmt.Errorf("mailer: check %s: %w", s.Addr(), err)
	}
	return nil
}

// classify turns a go-mail error into (retry, error). Server replies decide
// by their code, read from the reply itself: go-mail's IsTemp looks only at
// the first character of the text. Errors without a reply (refused or
// dropped connections, timeouts, TLS trouble) are retried. A refused
// login or relay is the server's word on our configuration, not on this
// message: it wraps ErrServerConfig and is retried, so the mail waits
// until the configuration or the server is fixed.
func (s *SMTPSender) classify(what string, err error) (bool, error) {
	if isAuthError(err) {
		return true, fmt.Errorf("%s: %w: authentication with the SMTP server %s failed: %w; check smtp_username and smtp_password_file",
			what, ErrServerConfig, s.Addr(), err)
	}
	code, ok := replyCode(err)
	switch {
	case ok && code >= 500 && isRelayDenied(code, err):
		return true, fmt.Errorf("%s: %w: %s refuses to relay for us: %w; check smtp_host, smtp_username and the server's relay rules",
			what, ErrServerConfig, s.Addr(), err)
	case ok && code >= 500:
		return false, fmt.Errorf("%s: rejected by %s: %w", what, s.Addr(), err)
	case ok:
		return true, fmt.Errorf("%s: deferred by %s: %w", what, s.Addr(), err)
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		switch se.Reason {
		case mail.ErrGetSender, mail.ErrGetRcpts, mail.ErrNoUnencoded:
			return false, fmt.Errorf("%s: %w", what, err)
		}
	}
	return true, fmt.Errorf("%s: %s: %w", what, s.Addr(), err)
}

// replyCode finds the SMTP reply code in err: a SendError carries it from
// MAIL FROM onwards; before that (greeting, EHLO, STARTTLS, AUTH) the reply
// is a textproto.Error inside the wrapped dial error.
func replyCode(err error) (int, bool) {
	var se *mail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		return code, code >= 400 && code < 600
	}
	if code, ok := textprotoCode(err); ok {
		return code, code >= 400 && code < 600
	}
	return 0, false
}

// isAuthError reports a refused or impossible login: RFC 4954's permanent
// AUTH replies (530 authentication required, 534 mechanism too weak, 535
// credentials invalid, 538 encryption required) or go-mail's refusal to
// authenticate at all.
func isAuthError(err error) bool {
	if code, ok := replyCode(err); ok {
		return code == 530 || code == 534 || code == 535 || code == 538
	}
	// go-mail's "server does not support SMTP AUTH" has no sentinel value.
	return errors.Is(err, mail.ErrPlainAuthNotSupported) || errors.Is(err, mail.ErrLoginAuthNotSupported) ||
		errors.Is(err, mail.ErrNoSupportedAuthDiscovered) || errors.Is(err, smtp.ErrUnencrypted) ||
		strings.Contains(err.Error(), "does not support SMTP AUTH")
}

// ErrServerConfig marks an SMTP answer that says the configuration is
// wrong (login refused, relaying denied) rather than something about one
// message: every message would get the same answer.
var ErrServerConfig = errors.New("the SMTP server refused our configuration")

var enhancedCodeRe = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)

// isRelayDenied reports a permanent reply about policy rather than the
// mailbox: an RFC 3463 enhanced code 5.7.x (security or policy status:
// "relay access denied", "sender not authorized"), or, from servers
// without enhanced codes, a 5xx whose text says relaying was refused. A
// 5.1.x (no such mailbox) is about the recipient and fails that message.
func isRelayDenied(code int, err error) bool {
	// Only the server's reply counts, not the address or Message-ID
	// go-mail adds to it.
	text := affectedRe.ReplaceAllString(err.Error(), "")
	if se := (*mail.SendError)(nil); errors.As(err, &se) && se.EnhancedStatusCode() != "" {
		text = se.EnhancedStatusCode()
	}
	if m := enhancedCodeRe.FindStringSubmatch(text); m != nil {
		return m[1] == "5" && m[2] == "7"
	}
	return code >= 500 && strings.Contains(strings.ToLower(text), "relay")
}

func textprotoCode(err error) (int, bool) {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code, true
	}
	return 0, false
}
