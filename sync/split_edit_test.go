package sync_test

// "This and following" splits and other series edits, as in
// series_edit_test.go.

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

// split is the "this and following" change from 1 Dec on: the old series
// ends on 30 Nov and a new one (b) goes on, on Wednesdays, from 2 Dec.
var (
	shortened    = event{uid: "a", rrule: "FREQ=WEEKLY;UNTIL=20261130T230000Z", seq: 1}
	continuation = event{uid: "b", start: "20261202T100000"}
)

// wantSplit checks what a split must leave: the new series linked to the
// old, no cancellation in the pair's counts, and Ada's answer for 1 Dec on
// the meeting that took its place, 2 Dec in the new series.
func wantSplit(t *testing.T, p *pairWorld, last int, tok string) {
	t.Helper()
	h, _ := p.history(last)
	want(t, h, "created")
	var detail string
	p.db.QueryRow(`SELECT detail FROM history WHERE kind = 'created' ORDER BY id DESC LIMIT 1`).Scan(&detail)
	if want := `continues series a from 2026-12-01T10:00:00+01:00 ("this and following" change)`; detail != want {
		t.Errorf("the new series' created event says %q, want %q", detail, want)
	}
	events, err := sync.History(t.Context(), p.db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st := sync.Stats(events); len(st) != 1 || st[0].Cancelled != 0 || st[0].ConsecutiveCancellations != 0 {
		t.Errorf("pair counts after a split: %+v", st)
	}
	list, err := sync.ListSeries(t.Context(), p.db, p.now, nil)
	if err != nil || len(list) != 2 || list[1].UID != "b" || list[1].Continues != "a" || list[1].Since != "2026-12-02" {
		t.Errorf("series after a split: %+v, %v", list, err)
	}
	if got, want := p.form(tok), "b 2026-12-02T09:00:00Z 2026-12-02T10:00:00+01:00 Roadmap"; got != want {
		t.Errorf("Ada's link opens %q, want %q", got, want)
	}
	if n := p.orphans(); n != 0 {
		t.Errorf("%d prep requests lost their meeting", n)
	}
}

// TestSplitInOneSync: both halves arrive in one sync of each calendar.
// Without a raised SEQUENCE the copy synced first is read together with
// the other calendar's stale copy, and the split shows only when the
// second calendar is synced.
func TestSplitInOneSync(t *testing.T) {
	for _, w := range watchings {
		for _, seq := range []int{1, 0} {
			t.Run(fmt.Sprintf("%s/SEQUENCE %d", w.name, seq), func(t *testing.T) {
				p, last, tok := startPair(t, w)
				edit := shortened
				edit.seq = seq
				p.put("a.ics", edit)
				p.put("b.ics", continuation)
				p.cycle()
				wantSplit(t, p, last, tok)
				wantMails(t, p.mails(), mailsBefore...) // 2 Dec has Ada's and Grace's requests of 1 Dec
				p.cycle()
				if h, _ := p.history(last); len(h) != 1 {
					t.Errorf("a second cycle added history: %q", h)
				}
				// Grace, who did not answer, is reminded two hours before
				// 2 Dec. Once 2 Dec has started, 9 Dec is the new series'
				// next meeting and is invited once; the old series has none.
				p.now = time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)
				p.cycle()
				p.now = time.Date(2026, 12, 2, 9, 0, 1, 0, time.UTC)
				p.cycle()
				p.cycle()
				wantMails(t, p.mails(), append(slices.Clone(mailsBefore), "remind grace@example.com b 2026-12-02T09:00:00Z",
					"invite ada@example.com b 2026-12-09T09:00:00Z", "invite grace@example.com b 2026-12-09T09:00:00Z")...)
			})
		}
	}
}

// TestSplitShortenedSyncedBeforeItsContinuation: the shortened series is
// synced (and its dropped occurrences counted as cancelled) before the
// continuation arrives; then the split is recognised and the cancellations
// taken back.
func TestSplitShortenedSyncedBeforeItsContinuation(t *testing.T) {
	for _, w := range watchings {
		t.Run(w.name, func(t *testing.T) {
			p, last, tok := startPair(t, w)
			p.put("a.ics", shortened)
			p.cycle()
			if h, _ := p.history(last); len(h) != 8 {
				t.Fatalf("the shortened series alone: %q, want 8 cancellations", h)
			}
			p.put("b.ics", continuation)
			p.cycle()
			wantSplit(t, p, last, tok)
			wantMails(t, p.mails(), mailsBefore...)
		})
	}
}

// TestSplitContinuationSyncedFirst: the new series is seen on its own
// first; it is a new 1:1 then, so its first meeting gets its invites.
// When the old series is shortened, nothing is cancelled, and Ada's answer
// for 1 Dec is on her new link for 2 Dec.
func TestSplitContinuationSyncedFirst(t *testing.T) {
	for _, w := range watchings {
		t.Run(w.name, func(t *testing.T) {
			p, last, _ := startPair(t, w)
			p.put("b.ics", continuation)
			p.cycle()
			p.put("a.ics", shortened)
			p.cycle()
			h, _ := p.history(last)
			want(t, h, "created")
			events, _ := sync.History(t.Context(), p.db, nil)
			if st := sync.Stats(events); st[0].Cancelled != 0 {
				t.Errorf("pair counts after a split: %+v", st)
			}
			wantMails(t, p.mails(), append(slices.Clone(mailsBefore),
				"invite ada@example.com b 2026-12-02T09:00:00Z", "invite grace@example.com b 2026-12-02T09:00:00Z")...)
			tok := p.token("b", "2026-12-02T09:00:00Z", "ada@example.com")
			if got, want := p.form(tok), "b 2026-12-02T09:00:00Z 2026-12-02T10:00:00+01:00 Roadmap"; got != want {
				t.Errorf("Ada's new link opens %q, want %q", got, want)
			}
		})
	}
}

func TestSplitThenMove(t *testing.T) {
	for _, w := range watchings {
		t.Run(w.name, func(t *testing.T) {
			p, last, tok := startPair(t, w)
			p.put("a.ics", shortened)
			p.put("b.ics", continuation)
			p.cycle()
			_, mid := p.history(last)
			p.put("b.ics", event{uid: "b", start: "20261202T110000", seq: 1})
			p.cycle()
			var wed []time.Time
			for _, d := range tuesdays[1:] {
				wed = append(wed, d.AddDate(0, 0, 1))
			}
			h, _ := p.history(mid)
			want(t, h, movedLines(wed, func(t time.Time) time.Time { return t.Add(time.Hour) })...)
			if got, want := p.form(tok), "b 2026-12-02T10:00:00Z 2026-12-02T11:00:00+01:00 Roadmap"; got != want {
				t.Errorf("Ada's link opens %q, want %q", got, want)
			}
			wantMails(t, p.mails(), mailsBefore...)
		})
	}
}

// TestOrganizerChange: Grace takes the series over. Same meeting, same
// pair: nothing to record, nothing to send again.
func TestOrganizerChange(t *testing.T) {
	for _, w := range watchings {
		t.Run(w.name, func(t *testing.T) {
			p, last, tok := startPair(t, w)
			p.put("a.ics", event{uid: "a", organizer: "grace@example.com", seq: 1})
			p.cycle()
			h, _ := p.history(last)
			want(t, h)
			wantMails(t, p.mails(), mailsBefore...)
			if got, want := p.form(tok), "a 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00 Roadmap"; got != want {
				t.Errorf("Ada's link opens %q, want %q", got, want)
			}
		})
	}
}

// TestShortenedThenExtended: the series ends early, then goes on again:
// what was cancelled is restored, with its answers, and nobody is invited
// twice.
func TestShortenedThenExtended(t *testing.T) {
	for _, w := range watchings {
		t.Run(w.name, func(t *testing.T) {
			p, last, tok := startPair(t, w)
			p.put("a.ics", shortened)
			p.cycle()
			var cancelled, restored []string
			for _, d := range tuesdays[1:] {
				cancelled = append(cancelled, fmt.Sprintf("cancelled %s %s→", d.UTC().Format(time.RFC3339), d.Format(time.RFC3339)))
				restored = append(restored, fmt.Sprintf("restored %s →%s", d.UTC().Format(time.RFC3339), d.Format(time.RFC3339)))
			}
			h, last := p.history(last)
			slices.Sort(h)
			slices.Sort(cancelled)
			want(t, h, cancelled...)
			if got := p.form(tok); got != "a 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00 Roadmap" {
				t.Errorf("Ada's link of a cancelled meeting opens %q", got)
			}
			if f, _ := p.svc.Open(t.Context(), tok); f.Editable {
				t.Error("the form of a cancelled meeting is editable")
			}
			if _, err := p.svc.Save(t.Context(), tok, map[string]string{"topics": "Too late"}); !errors.Is(err, prep.ErrCancelled) {
				t.Errorf("saving for a cancelled meeting: %v, want prep.ErrCancelled", err)
			}
			p.put("a.ics", event{uid: "a", seq: 2})
			p.cycle()
			if f, _ := p.svc.Open(t.Context(), tok); !f.Editable || f.Answers["topics"] != "Roadmap" {
				t.Errorf("restored meeting: editable %v, answers %q", f.Editable, f.Answers)
			}
			h, _ = p.history(last)
			slices.Sort(h)
			slices.Sort(restored)
			want(t, h, restored...)
			wantMails(t, p.mails(), mailsBefore...)
		})
	}
}

// TestExdateIsNotASplitWhenAnotherSeriesStarts: the pair adds a second
// series and, the same day, cancels one meeting of the first. That meeting
// is cancelled; the new series continues nothing. The cancelled meeting
// was the next one: the one after it becomes next, and is invited once.
func TestExdateIsNotASplitWhenAnotherSeriesStarts(t *testing.T) {
	p, last, tok := startPair(t, watchings[0])
	p.put("a.ics", event{uid: "a", extra: "EXDATE;TZID=Europe/Berlin:20261201T100000\r\n", seq: 1})
	p.put("c.ics", event{uid: "c", start: "20261203T100000", rrule: "FREQ=MONTHLY"})
	p.cycle()
	h, _ := p.history(last)
	slices.Sort(h)
	want(t, h, "cancelled 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00→", "created")
	if got := p.form(tok); got != "a 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00 Roadmap" {
		t.Errorf("Ada's link opens %q", got)
	}
	list, _ := sync.ListSeries(t.Context(), p.db, p.now, nil)
	for _, s := range list {
		if s.Continues != "" {
			t.Errorf("series %s continues %s", s.UID, s.Continues)
		}
	}
	// The new series' first meeting is its next: invited at once. 8 Dec,
	// now a's next, is invited once it is send_before (10 days) away.
	newSeries := append(slices.Clone(mailsBefore), "invite ada@example.com c 2026-12-03T09:00:00Z", "invite grace@example.com c 2026-12-03T09:00:00Z")
	wantMails(t, p.mails(), newSeries...)
	p.now = time.Date(2026, 11, 28, 8, 59, 0, 0, time.UTC)
	p.cycle()
	wantMails(t, p.mails(), newSeries...)
	p.now = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	p.cycle()
	p.cycle()
	wantMails(t, p.mails(), append(newSeries, "invite ada@example.com a 2026-12-08T09:00:00Z", "invite grace@example.com a 2026-12-08T09:00:00Z")...)
}
