// Package mailer renders emails, keeps them in a durable outbox inside the
// one SQLite database, and delivers them over SMTP (or into a Maildir) with
// retries.
//
// A caller enqueues a Message inside its own transaction, so that the thing
// the mail is about and the mail itself are committed together, then pokes
// the Worker with Notify. The Worker claims due messages, hands them to a
// Sender, and records the outcome: sent, deferred with backoff, or failed.
package mailer

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// State is where a message is in its life.
type State string

// The states of an outbox message. queued and deferred are due once their
// next attempt has come; sending is held by a worker; sent, failed and
// expired are final. expired is mail that could not go out before its
// Expires (held back by a rate limit or an SMTP problem): a prep invite
// for a meeting that has started is worthless, so it is not sent late.
const (
	StateQueued   State = "queued"
	StateSending  State = "sending"
	StateSent     State = "sent"
	StateDeferred State = "deferred"
	StateFailed   State = "failed"
	StateExpired  State = "expired"
)

// States lists every state, in the order an admin view shows them.
var States = []State{StateQueued, StateSending, StateDeferred, StateSent, StateFailed, StateExpired}

// Header is one extra header field, such as List-Unsubscribe.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Message is one email in the outbox. The caller fills the content fields;
// the outbox owns the rest.
type Message struct {
	ID        int64  // outbox row id
	DedupKey  string // e.g. "prep:<occurrence>:<participant>:invite"; a second enqueue is a no-op
	MessageID string // "<random@domain-of-from>"; generated at enqueue when empty

	From    string   // "Display Name <addr@example.com>"; see FormatAddress
	To      []string // one or more
	ReplyTo string   // optional
	Subject string
	Text    string   // the text/plain part; required
	HTML    string   // the text/html alternative; optional
	Headers []Header // extra fields, e.g. List-Unsubscribe
	// Expires, when set, is when the mail stops being worth sending (a
	// prep invite: the meeting's start); not sent by then, it expires.
	Expires time.Time

	Created     time.Time
	State       State
	Attempts    int
	NextAttempt time.Time
	LastError   string
	Sent        time.Time // zero until sent
}

// reservedHeaders are written by Render from the message's own fields;
// extra headers may not replace them.
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true, "sender": true,
	"subject": true, "date": true, "message-id": true, "mime-version": true,
	"content-type": true, "content-transfer-encoding": true, "return-path": true,
}

// Validate reports the first reason the message cannot be sent as given.
// Enqueue calls it, so that a bad address fails the caller's transaction
// instead of turning into a failed mail much later.
func (m Message) Validate() error {
	if m.DedupKey == "" {
		return errors.New("mailer: message: empty dedup key")
	}
	if _, err := mail.ParseAddress(m.From); err != nil {
		return fmt.Errorf("mailer: message %s: from %q: %w", m.DedupKey, m.From, err)
	}
	if len(m.To) == 0 {
		return fmt.Errorf("mailer: message %s: no recipient", m.DedupKey)
	}
	for _, to := range m.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return fmt.Errorf("mailer: message %s: to %q: %w", m.DedupKey, to, err)
		}
	}
	if m.ReplyTo != "" {
		if _, err := mail.ParseAddress(m.ReplyTo); err != nil {
			return fmt.Errorf("mailer: message %s: reply-to %q: %w", m.DedupKey, m.ReplyTo, err)
		}
	}
	if m.Text == "" {
		return fmt.Errorf("mailer: message %s: empty text body", m.DedupKey)
	}
	if m.MessageID != "" && !validMessageID(m.MessageID) {
		return fmt.Errorf("mailer: message %s: malformed Message-ID %q", m.DedupKey, m.MessageID)
	}
	for _, h := range m.Headers {
		if err := validHeader(h); err != nil {
			return fmt.Errorf("mailer: message %s: %w", m.DedupKey, err)
		}
	}
	return nil
}

func validHeader(h Header) error {
	if h.Name == "" {
		return errors.New("header with an empty name")
	}
	for _, c := range []byte(h.Name) {
		// RFC 5322 field names: printable US-ASCII except the colon.
		if c < 33 || c > 126 || c == ':' {
			return fmt.Errorf("header name %q: invalid character", h.Name)
		}
	}
	if reservedHeaders[strings.ToLower(h.Name)] {
		return fmt.Errorf("header %s: set by the message itself", h.Name)
	}
	if strings.ContainsAny(h.Value, "\r\n") {
		return fmt.Errorf("header %s: line break in value", h.Name)
	}
	return nil
}

func validMessageID(id string) bool {
	if len(id) < 5 || id[0] != '<' || id[len(id)-1] != '>' {
		return false
	}
	inner := id[1 : len(id)-1]
	at := strings.LastIndexByte(inner, '@')
	if at <= 0 || at == len(inner)-1 {
		return false
	}
	for _, c := range []byte(inner) {
		if c <= 32 || c >= 127 || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// NewMessageID returns "<random@domain>" where domain is the domain of the
// from address, so that the ID is unique and says who made it.
func NewMessageID(from string) (string, error) {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return "", fmt.Errorf("mailer: message id: from %q: %w", from, err)
	}
	domain := "localhost"
	if at := strings.LastIndexByte(a.Address, '@'); at >= 0 && at < len(a.Address)-1 {
		domain = strings.ToLower(a.Address[at+1:])
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("mailer: message id: %w", err)
	}
	return "<" + hex.EncodeToString(b[:]) + "@" + domain + ">", nil
}
