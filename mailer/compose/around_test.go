package compose_test

import (
	"strings"
	"testing"

	"github.com/oneonone/oneonone/mailer/compose"
)

// around is the follow-up of prep's meeting, with the same hostile names.
func around(t *testing.T) compose.AroundMeeting {
	p := prep(t)
	return compose.AroundMeeting{From: p.From, To: p.To, Other: p.Other, Title: p.Title, Start: p.Start, End: p.End,
		Location: p.Location, PublicURL: p.PublicURL, Token: "TOKEN-of-ada"}
}

func TestAroundGolden(t *testing.T) {
	m, err := compose.FollowUp(around(t))
	if err != nil {
		t.Fatal(err)
	}
	checkSafe(t, m)
	golden(t, "followup", dump(m))

	notice := 26.0
	n := compose.NudgeFacts{AroundMeeting: around(t), Streak: 2, Held: 5, Missed: 3, TypicalNoticeHours: &notice}
	n.PairURL = "https://1on1.example.com/pair/PAIR-TOKEN"
	m, err = compose.Nudge(n)
	if err != nil {
		t.Fatal(err)
	}
	checkSafe(t, m)
	golden(t, "nudge", dump(m))
}

// The pair page link appears only when the other half of the feature
// gives one.
func TestAroundPairLinkOnlyWhenSet(t *testing.T) {
	a := around(t)
	m, _ := compose.FollowUp(a)
	if strings.Contains(m.Text, "/pair/") || strings.Contains(m.HTML, "Your page for this pair") {
		t.Errorf("a pair link without PairURL:\n%s", m.Text)
	}
	a.PairURL = "https://1on1.example.com/pair/X"
	m, _ = compose.FollowUp(a)
	if !strings.Contains(m.Text, "Your page for this pair: https://1on1.example.com/pair/X") || !strings.Contains(m.HTML, `href="https://1on1.example.com/pair/X"`) {
		t.Errorf("no pair link with PairURL:\n%s", m.Text)
	}
	a.Token = ""
	if _, err := compose.FollowUp(a); err == nil {
		t.Error("a follow-up without a token")
	}
}
