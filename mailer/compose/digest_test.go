package compose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/compose"
)

func TestDigestGolden(t *testing.T) {
	p := prep(t)
	at := func(h int) time.Time { return time.Date(2026, 3, 3, h, 0, 0, 0, time.UTC) }
	d := compose.Digest{From: p.From, To: p.To, Location: berlin(t), PublicURL: p.PublicURL,
		Meetings: []compose.DigestMeeting{
			{Other: p.Other, Title: p.Title, Start: at(8), End: at(8).Add(30 * time.Minute), Token: "TOKEN-1", PairToken: "PAIR-1"},
			{Other: compose.Person{Email: "linus@example.com"}, Start: at(10), End: at(10).Add(time.Hour), OtherAnswered: true, Token: "TOKEN-2", PairToken: "PAIR-2"},
			{Other: compose.Person{Name: "Edsger"}, Start: at(15), End: at(15).Add(30 * time.Minute), Token: "TOKEN-3"},
		}}
	m, err := compose.DigestMail(d)
	if err != nil {
		t.Fatal(err)
	}
	checkSafe(t, m)
	if m.Subject != "Your 3 1:1s on Tuesday" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"09:00–09:30 CET with Grace <b>Hopper</b> Bcc: eve@example.com", "linus@example.com has answered.",
		"https://1on1.example.com/p/TOKEN-2", "https://1on1.example.com/pair/PAIR-2", "16:00–16:30 CET with Edsger"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the text lacks %q", want)
		}
	}
	golden(t, "digest", dump(m))
	if _, err := compose.DigestMail(compose.Digest{PublicURL: p.PublicURL}); err == nil {
		t.Error("a digest of nothing")
	}
}

// Every prep mail links the recipient's pair page when it has a token.
func TestPrepMailsLinkThePairPage(t *testing.T) {
	for name, fn := range map[string]func(compose.Prep) (mailer.Message, error){
		"invite": compose.Invite, "reminder": compose.Reminder, "agenda": compose.Agenda,
	} {
		p := prep(t)
		p.PairToken = "PAIR-of-ada"
		m, err := fn(p)
		if err != nil {
			t.Fatal(err)
		}
		link := "https://1on1.example.com/pair/PAIR-of-ada"
		if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, `href="`+link+`"`) {
			t.Errorf("%s: no pair link:\n%s", name, m.Text)
		}
		p.PairToken = ""
		if m, _ := fn(p); strings.Contains(m.Text, "/pair/") {
			t.Errorf("%s: a pair link without a token", name)
		}
	}
}
