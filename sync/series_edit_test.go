package sync_test

// Series-level edits as people make them in their calendar apps ("all
// events", "this and following"), with the meeting watched in one or both
// people's calendars and the copies synced in either order. Each asserts
// the exact history, that answers follow their meeting, and the exact
// mails sent.

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/oneonone/oneonone/sync"
)

// Before every edit: the weekly 1:1 (Tuesdays 10:00 Berlin) is tracked
// from 23 Nov; 24 Nov, its next meeting then, was invited, reminded and
// held. Only the next meeting of a series is invited, so 1 Dec was invited
// once 24 Nov had started; the clock stands just after 24 Nov ended, and
// Ada answered for 1 Dec.
func startPair(t *testing.T, w watching) (*pairWorld, int, string) {
	p := newPairWorld(t, w)
	p.put("a.ics", event{uid: "a"})
	p.cycle()
	p.pastNov24()
	tok := p.token("a", "2026-12-01T09:00:00Z", "ada@example.com")
	p.answer(tok, "Roadmap")
	_, last := p.history(0)
	return p, last, tok
}

// afterNov24 is when every edit is made: 24 Nov (09:00–09:30Z) is over.
var afterNov24 = time.Date(2026, 11, 24, 9, 31, 0, 0, time.UTC)

// pastNov24 runs the daemon on from 23 Nov: 24 Nov's reminders at 07:00Z,
// then a cycle at afterNov24, which holds 24 Nov and invites 1 Dec.
func (p *pairWorld) pastNov24() {
	p.t.Helper()
	p.now = time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC)
	p.tick()
	p.now = afterNov24
	p.cycle()
}

// mailsBefore are the mails startPair sends: the invites and reminders of
// 24 Nov, then the invites of 1 Dec (and none for a later meeting).
var mailsBefore = []string{
	"invite ada@example.com a 2026-11-24T09:00:00Z", "invite grace@example.com a 2026-11-24T09:00:00Z",
	"remind ada@example.com a 2026-11-24T09:00:00Z", "remind grace@example.com a 2026-11-24T09:00:00Z",
	"invite ada@example.com a 2026-12-01T09:00:00Z", "invite grace@example.com a 2026-12-01T09:00:00Z",
}

// tuesdays are the occurrences in the sync window from 24 Nov on; when
// the edits are made 24 Nov is held, and the others are to come.
var tuesdays = []time.Time{
	date(2026, 11, 24), date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22),
	date(2026, 12, 29), date(2027, 1, 5), date(2027, 1, 12), date(2027, 1, 19),
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, berlin) }

// movedLines are the history of moving each Tuesday 10:00 Berlin by
// shift(t) to zone loc.
func movedLines(from []time.Time, shift func(time.Time) time.Time) []string {
	var out []string
	for _, t := range from {
		n := shift(t)
		out = append(out, fmt.Sprintf("moved %s %s→%s", n.UTC().Format(time.RFC3339), t.Format(time.RFC3339), n.Format(time.RFC3339)))
	}
	return out
}

// newMeetingMails are the invites of a meeting that a whole-series move
// brings in: moved to Wednesdays on the Tuesday after a held meeting, the
// series has one tomorrow, 25 Nov, which nothing stored stood for. It is
// the next meeting, so both are invited to it.
func newMeetingMails(name, uid string) []string {
	if name != "to Wednesdays" {
		return nil
	}
	return []string{"invite ada@example.com " + uid + " 2026-11-25T09:00:00Z", "invite grace@example.com " + uid + " 2026-11-25T09:00:00Z"}
}

func wantMails(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("mails:\n  got  %q\n  want %q", got, want)
	}
}

func TestWholeSeriesMoves(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	cases := []struct {
		name  string
		edit  event
		shift func(time.Time) time.Time
	}{
		{"an hour later", event{uid: "a", start: "20261103T110000", seq: 1}, func(t time.Time) time.Time { return t.Add(time.Hour) }},
		{"two minutes earlier", event{uid: "a", start: "20261103T095800", seq: 1}, func(t time.Time) time.Time { return t.Add(-2 * time.Minute) }},
		{"to Wednesdays", event{uid: "a", start: "20261104T100000", seq: 1}, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"to another time zone", event{uid: "a", start: "20261103T100000", tz: "Europe/London", seq: 1}, func(t time.Time) time.Time {
			return time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, london)
		}},
	}
	for _, c := range cases {
		for _, w := range watchings {
			t.Run(c.name+"/"+w.name, func(t *testing.T) {
				p, last, tok := startPair(t, w)
				p.put("a.ics", c.edit)
				p.cycle()
				h, _ := p.history(last)
				want(t, h, movedLines(tuesdays[1:], c.shift)...) // 24 Nov was held and stays as it was
				dec1 := c.shift(date(2026, 12, 1))
				events, _ := sync.History(t.Context(), p.db, nil)
				// notice counts to the planned start: 24 Nov 09:31Z to 1 Dec 09:00Z
				if n, w := events[len(events)-len(h)].NoticeMinutes, 7*24*60-31; n == nil || *n != w {
					t.Errorf("notice of the first move: %+v, want %d minutes", events[len(events)-len(h)], w)
				}
				// nobody is invited again for the same meeting
				wantMails(t, p.mails(), append(slices.Clone(mailsBefore), newMeetingMails(c.name, "a")...)...)
				if got, want := p.form(tok), "a "+dec1.UTC().Format(time.RFC3339)+" "+dec1.Format(time.RFC3339)+" Roadmap"; got != want {
					t.Errorf("Ada's link opens %q, want %q", got, want)
				}
				if n := p.orphans(); n != 0 {
					t.Errorf("%d prep requests lost their meeting", n)
				}
			})
		}
	}
}

// TestWholeSeriesMoveRetimesTheReminder: the reminder of the next
// meeting follows its new start, and goes out once, under the meeting's
// new key, to Grace only: Ada's answer moved with the meeting. Once that
// meeting has started, the one after it is invited, once, under its new
// key.
func TestWholeSeriesMoveRetimesTheReminder(t *testing.T) {
	p, _, _ := startPair(t, watchings[1])
	p.put("a.ics", event{uid: "a", start: "20261103T110000", seq: 1})
	p.cycle()
	p.now = time.Date(2026, 12, 1, 7, 30, 0, 0, time.UTC) // after two hours before the old start
	p.tick()
	wantMails(t, p.mails(), mailsBefore...)
	p.now = time.Date(2026, 12, 1, 8, 1, 0, 0, time.UTC) // two hours before the new one
	p.tick()
	p.tick()
	reminded := append(slices.Clone(mailsBefore), "remind grace@example.com a 2026-12-01T10:00:00Z")
	wantMails(t, p.mails(), reminded...)
	p.now = time.Date(2026, 12, 1, 10, 0, 1, 0, time.UTC) // the moved 1 Dec has started
	p.tick()
	p.tick()
	wantMails(t, p.mails(), append(reminded,
		"invite ada@example.com a 2026-12-08T10:00:00Z", "invite grace@example.com a 2026-12-08T10:00:00Z")...)
}
