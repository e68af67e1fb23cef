package prep_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// adaDay is Ada's Tuesday: 1:1s with Grace (14:00 Berlin), Linus (16:00)
// and Edsger (17:00), and Wednesday with Barbara.
func adaDay() []prep.Meeting {
	with := func(uid, email, name string, at time.Time) prep.Meeting {
		m := meeting(1)
		m.SeriesUID, m.RecurrenceID, m.Start, m.End = uid, at.Format(time.RFC3339), at, at.Add(30*time.Minute)
		m.People = [2]prep.Person{{Email: ada, Name: "Ada Lovelace"}, {Email: email, Name: name}}
		return m
	}
	return []prep.Meeting{
		meeting(1),
		with("s2@example.com", "linus@example.com", "Linus", start.Add(2*time.Hour)),
		with("s3@example.com", "edsger@example.com", "Edsger", start.Add(3*time.Hour)),
		with("s4@example.com", "barbara@example.com", "Barbara", start.Add(24*time.Hour)),
	}
}

func digestEnv(t *testing.T, min int) (*env, []prep.Meeting) {
	e := newEnv(t)
	e.settings.DigestMin, e.settings.Links = min, e.links
	e.rewire()
	ms := adaDay()
	for _, m := range ms {
		e.meetings.put(m)
	}
	return e, ms
}

func TestDigestForManyOneOnOnesOnADay(t *testing.T) {
	e, ms := digestEnv(t, 3)
	e.tick(start.Add(-24 * time.Hour))
	var digest []string
	for _, m := range e.mails() {
		if strings.HasPrefix(m.DedupKey, "prep:digest:"+ada+":2026-03-03:") {
			digest = append(digest, m.Subject)
			for i, want := range []string{"14:00–14:30 CET with Grace Hopper", "16:00–16:30 CET with Linus", "17:00–17:30 CET with Edsger"} {
				if !strings.Contains(m.Text, want) {
					t.Errorf("the digest lacks meeting %d, %q:\n%s", i+1, want, m.Text)
				}
			}
			if strings.Contains(m.Text, "Barbara") || strings.Count(m.Text, "/pair/") != 3 {
				t.Errorf("the digest:\n%s", m.Text)
			}
			// Each link opens the form of its own meeting.
			links := formLinkRe.FindAllStringSubmatch(m.Text, -1)
			if len(links) != 3 {
				t.Fatalf("%d form links in the digest", len(links))
			}
			for i, l := range links {
				f, err := e.svc.Open(context.Background(), l[1])
				if err != nil || f.Meeting.SeriesUID != ms[i].SeriesUID || f.You.Email != ada {
					t.Errorf("link %d opens %s for %s, %v", i+1, f.Meeting.SeriesUID, f.You.Email, err)
				}
			}
		}
	}
	if len(digest) != 1 || digest[0] != "Your 3 1:1s on Tuesday" {
		t.Fatalf("digests: %q; outbox %v", digest, e.keys())
	}
	// Grace is below the threshold: her invite as before.
	e.token(meeting(1), grace)
	for _, m := range ms[1:3] {
		e.tick(m.Start.Add(-24 * time.Hour))
		e.token(m, m.People[1].Email)
	}
	for _, k := range e.keys() {
		if strings.Contains(k, ":"+ada+":invite") {
			t.Errorf("Ada got an invite besides her digest: %s", k)
		}
	}
	// Her reminders still come, one per meeting.
	e.tick(start.Add(-2 * time.Hour))
	if !contains(e.keys(), prep.DedupKey(meeting(1).SeriesUID, meeting(1).RecurrenceID, ada, "remind")) {
		t.Errorf("no reminder to Ada after her digest: %v", e.keys())
	}
	// Wednesday has one 1:1: an invite.
	e.tick(ms[3].Start.Add(-24 * time.Hour))
	e.token(ms[3], ada)
}

func TestNoDigestBelowTheThreshold(t *testing.T) {
	for _, min := range []int{0, 4} {
		e, ms := digestEnv(t, min)
		for _, m := range ms[:3] {
			e.tick(m.Start.Add(-24 * time.Hour))
			e.token(m, ada)
		}
		for _, k := range e.keys() {
			if strings.HasPrefix(k, "prep:digest:") {
				t.Errorf("digest_min %d: a digest %s", min, k)
			}
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// A series with many occurrences on one day (anyone can invite Ada to
// one) counts once, as for single invites: it neither fills a digest nor
// mails the outsider one.
func TestDigestCountsEachSeriesOnce(t *testing.T) {
	e := newEnv(t)
	e.settings.DigestMin, e.settings.Links = 3, e.links
	e.rewire()
	for i := range 4 {
		m := meeting(1)
		m.SeriesUID = "storm@evil.example"
		m.Start = start.Add(time.Duration(i) * 15 * time.Minute)
		m.End, m.RecurrenceID = m.Start.Add(10*time.Minute), m.Start.UTC().Format(time.RFC3339)
		m.People = [2]prep.Person{{Email: ada, Name: "Ada Lovelace"}, {Email: "victim@elsewhere.example"}}
		e.meetings.put(m)
	}
	e.tick(start.Add(-24 * time.Hour))
	invites := 0
	for _, k := range e.keys() {
		if strings.HasPrefix(k, "prep:digest:") {
			t.Errorf("a digest from one series: %s", k)
		}
		if strings.HasSuffix(k, ":invite") {
			invites++
		}
	}
	if invites != 2 {
		t.Errorf("%d invites, want one each for the next occurrence: %v", invites, e.keys())
	}
}
