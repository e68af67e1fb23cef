package prep_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/prep"
)

// rawInvite returns Ada's invite as the outbox holds it.
func rawInvite(t *testing.T, e *env) mailer.Message {
	t.Helper()
	ms, err := e.outbox.List(context.Background(), mailer.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.DedupKey == key(meeting(1), ada, "invite") {
			return m
		}
	}
	t.Fatal("no invite for Ada")
	return mailer.Message{}
}

func TestLinksExpandAtSend(t *testing.T) {
	e, adaTok, _ := invited(t)
	raw := rawInvite(t, e)
	if strings.Contains(raw.Text, adaTok) || !strings.Contains(raw.Text, "prep-token-") {
		t.Fatal("the outbox holds the token, or no placeholder")
	}
	var sent mailer.Message
	s := e.links.Sender(mailer.SenderFunc(func(_ context.Context, m mailer.Message) (bool, error) {
		sent = m
		return false, nil
	}))
	if _, err := s.Send(context.Background(), raw); err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{sent.Text, sent.HTML} {
		if !strings.Contains(part, "https://1on1.example.com/p/"+adaTok+"/pause") || strings.Contains(part, "prep-token-") {
			t.Fatalf("expanded part:\n%s", part)
		}
	}
	want := "<https://1on1.example.com/p/" + adaTok + "/unsubscribe>"
	if sent.Headers[0].Name != "List-Unsubscribe" || sent.Headers[0].Value != want {
		t.Fatalf("headers %v", sent.Headers)
	}
}

// A mail only carries links for its own recipient: sent to someone else,
// the same placeholder makes a token that opens nothing.
func TestLinksBoundToRecipient(t *testing.T) {
	e, _, _ := invited(t)
	raw := rawInvite(t, e)
	raw.To = []string{"mallory@example.com"}
	m, err := e.links.Expand(raw)
	if err != nil {
		t.Fatal(err)
	}
	tok := formLinkRe.FindStringSubmatch(m.Text)[1]
	e.clock.Set(start.Add(-time.Hour))
	if _, err := e.svc.Open(context.Background(), tok); !errors.Is(err, prep.ErrUnknownLink) {
		t.Fatalf("token made for another recipient: %v", err)
	}
	raw.To = append(raw.To, ada)
	if _, err := e.links.Expand(raw); err == nil {
		t.Fatal("expanded links for two recipients")
	}
	s := e.links.Sender(mailer.SenderFunc(func(context.Context, mailer.Message) (bool, error) { return true, nil }))
	if retry, err := s.Send(context.Background(), raw); retry || err == nil {
		t.Fatalf("send to two recipients: retry %v, %v", retry, err)
	}
}

func TestLinksKey(t *testing.T) {
	if _, err := prep.NewLinks(make([]byte, 31)); err == nil {
		t.Error("a 31-byte key was taken")
	}
	k1, k2 := prep.LinkKey([]byte("secret one")), prep.LinkKey([]byte("secret two"))
	if len(k1) != 32 || string(k1) == string(k2) {
		t.Errorf("derived keys %x %x", k1, k2)
	}
	// A message without placeholders passes unchanged.
	l, _ := prep.NewLinks(k1)
	m := mailer.Message{To: []string{"a@example.com", "b@example.com"}, Text: "hello"}
	if got, err := l.Expand(m); err != nil || got.Text != "hello" {
		t.Errorf("plain message: %v %q", err, got.Text)
	}
}

// A key that changes invalidates the links already sent.
func TestLinksOtherKey(t *testing.T) {
	e, _, _ := invited(t)
	other, _ := prep.NewLinks(prep.LinkKey([]byte("another key")))
	m, err := other.Expand(rawInvite(t, e))
	if err != nil {
		t.Fatal(err)
	}
	tok := formLinkRe.FindStringSubmatch(m.Text)[1]
	if _, err := e.svc.Open(context.Background(), tok); !errors.Is(err, prep.ErrUnknownLink) {
		t.Fatalf("token under another key: %v", err)
	}
}
