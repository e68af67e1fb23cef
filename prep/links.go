package prep

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"github.com/oneonone/oneonone/calendars/seal"
	"github.com/oneonone/oneonone/mailer"
)

// Links makes the personal link tokens of prep requests.
//
// A token must be in the mail, and the mail waits in the outbox, inside
// the same database as everything else; yet the raw token must be stored
// nowhere. So a request stores a random 256-bit seed and the SHA-256 of
// its token, and the token is HMAC-SHA-256(key, address, seed) under a key
// that lives outside the database. Mails are enqueued with a placeholder
// naming the seed; Links.Sender puts the token in its place when the mail
// goes out. A copy of the database alone opens no form, and neither does
// the key alone. Each token is bound to the address it was made for: the
// placeholder expands with the recipient's own address, so a mail can only
// ever carry links that work for its recipient.
type Links struct {
	key []byte
}

// NewLinks returns Links with key, which must have at least 32 bytes (see
// LinkKey). Changing the key invalidates every link already sent.
func NewLinks(key []byte) (*Links, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("prep: link key has %d bytes, needs at least 32", len(key))
	}
	return &Links{key: append([]byte(nil), key...)}, nil
}

// LinkKey derives the link key from the daemon's secrets key, so the one
// key file serves both and neither use can be turned against the other.
func LinkKey(secretsKey []byte) []byte {
	return seal.Derive(secretsKey, "oneonone prep link key v1")
}

// token returns the link token of the request of email with seed.
func (l *Links) token(email, seed string) string {
	mac := hmac.New(sha256.New, l.key)
	mac.Write([]byte("oneonone prep link v1\x00" + normEmail(email) + "\x00" + seed))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// HashToken is the stored form of a token: SHA-256, hex.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// tokenLen is the length of a token: 32 bytes in unpadded base64url.
const tokenLen = 43

// wellFormed reports whether s can be a token at all, so that junk is
// turned away without a query.
func wellFormed(s string) bool {
	if len(s) != tokenLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

func newSeed() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("prep: token seed: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// The placeholder stands for a token in an enqueued mail. It is made of
// characters that URLs, html/template and quoted-printable all leave as
// they are.
const placeholderPrefix = "prep-token-"

var placeholderRe = regexp.MustCompile(placeholderPrefix + `([0-9a-f]{64})`)

func placeholder(seed string) string { return placeholderPrefix + seed }

// Expand replaces the token placeholders of m with the recipient's tokens.
// A message with placeholders must have exactly one recipient.
func (l *Links) Expand(m mailer.Message) (mailer.Message, error) {
	if !l.has(m) {
		return m, nil
	}
	if len(m.To) != 1 {
		return m, fmt.Errorf("prep: links in message %s to %d recipients", m.DedupKey, len(m.To))
	}
	to, err := mail.ParseAddress(m.To[0])
	if err != nil {
		return m, fmt.Errorf("prep: links in message %s: recipient: %w", m.DedupKey, err)
	}
	expand := func(s string) string {
		return placeholderRe.ReplaceAllStringFunc(s, func(p string) string {
			return l.token(to.Address, strings.TrimPrefix(p, placeholderPrefix))
		})
	}
	m.Text, m.HTML = expand(m.Text), expand(m.HTML)
	hs := make([]mailer.Header, len(m.Headers))
	for i, h := range m.Headers {
		hs[i] = mailer.Header{Name: h.Name, Value: expand(h.Value)}
	}
	m.Headers = hs
	return m, nil
}

func (l *Links) has(m mailer.Message) bool {
	if strings.Contains(m.Text, placeholderPrefix) || strings.Contains(m.HTML, placeholderPrefix) {
		return true
	}
	for _, h := range m.Headers {
		if strings.Contains(h.Value, placeholderPrefix) {
			return true
		}
	}
	return false
}

// Sender wraps the mail sender so every message leaves with its links
// expanded. The outbox worker must send through it.
func (l *Links) Sender(next mailer.Sender) mailer.Sender {
	return mailer.SenderFunc(func(ctx context.Context, m mailer.Message) (bool, error) {
		m, err := l.Expand(m)
		if err != nil {
			return false, err // the message cannot be repaired by retrying
		}
		return next.Send(ctx, m)
	})
}

// errNoLinks is returned by the parts that make links when there is no key.
var errNoLinks = errors.New("prep: no link key (Links is nil)")
