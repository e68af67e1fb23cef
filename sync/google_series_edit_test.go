package sync_test

// The series edits of series_edit_test.go through the fake Google
// Calendar: the organizer edits in the web UI, the change reaches both
// people's calendars, and the daemon watches one or both of them.

import (
	"testing"
	"time"

	gcal "google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"

	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/calendars/google/googletest"
	googlestore "github.com/oneonone/oneonone/calendars/google/store"
	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/prep"
	"github.com/oneonone/oneonone/sync"
)

// googlePair is a pairWorld on the fake Google Calendar, with the weekly
// 1:1 of Ada and Grace tracked, its first invites out, and Ada's answer
// for 1 Dec saved.
type googlePair struct {
	*pairWorld
	srv     *googletest.Server
	id, uid string // the series' event id and iCalUID
	last    int    // the last history event before the edit
	tok     string // Ada's link for 1 Dec
}

func newGooglePair(t *testing.T, w watching) *googlePair {
	t.Helper()
	p := newPrepWorld(t, w, sync.Schema, mailer.Schema, prep.Schema, googlestore.Schema)
	srv := googletest.New()
	t.Cleanup(srv.Close)
	srv.Now = p.clock
	for _, owner := range []string{gAda, gGrace} {
		srv.AddCalendar(owner, owner)
	}
	opts := google.Options{Endpoint: srv.URL, Now: p.clock, ConnectURL: "https://1on1.example.com/connect/google",
		Budget: google.NewBudget(google.ProjectPerMinute, google.UserPerMinute, p.clock, nil)}
	for name, owner := range map[string]string{"ada": gAda, "grace": gGrace} {
		c, err := google.NewServiceAccount(t.Context(), srv.ServiceAccountKey(), owner, opts)
		if err != nil {
			t.Fatal(err)
		}
		p.cals[name] = (&gworld{}).calendar(name, owner, c)
	}
	g := &googlePair{pairWorld: p, srv: srv}
	g.id, g.uid = srv.AddRecurring(gAda, googletest.Recurring{Summary: "Ada / Grace", Start: tuesday(3, 11), TZ: "Europe/Berlin",
		RRule: "FREQ=WEEKLY", Organizer: gAda, Attendees: []string{gGrace}})
	p.cycle()
	g.tok = p.token(g.uid, "2026-12-01T09:00:00Z", gAda)
	p.answer(g.tok, "Roadmap")
	_, g.last = p.history(0)
	return g
}

// patch edits the series as its organizer does in the web UI.
func (g *googlePair) patch(ev *gcal.Event) {
	g.t.Helper()
	svc, err := gcal.NewService(g.t.Context(), option.WithEndpoint(g.srv.Endpoint()), option.WithHTTPClient(g.srv.HTTPClient(gAda)))
	if err != nil {
		g.t.Fatal(err)
	}
	if _, err := svc.Events.Patch(gAda, g.id, ev).Do(); err != nil {
		g.t.Fatal(err)
	}
}

func (g *googlePair) invitesBefore() []string {
	var out []string
	for _, k := range []string{"2026-11-24T09:00:00Z", "2026-12-01T09:00:00Z"} {
		out = append(out, "invite "+gAda+" "+g.uid+" "+k, "invite "+gGrace+" "+g.uid+" "+k)
	}
	return out
}

func berlinAt(day time.Time, hour int, tz string) *gcal.EventDateTime {
	loc, _ := time.LoadLocation(tz)
	t := time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, loc)
	return &gcal.EventDateTime{DateTime: t.Format(time.RFC3339), TimeZone: tz}
}

// minutesAt is the event time m minutes after t, in Berlin.
func minutesAt(t time.Time, m int) *gcal.EventDateTime {
	return &gcal.EventDateTime{DateTime: t.Add(time.Duration(m) * time.Minute).Format(time.RFC3339), TimeZone: "Europe/Berlin"}
}

func TestGoogleWholeSeriesMoves(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	cases := []struct {
		name       string
		start, end *gcal.EventDateTime
		shift      func(time.Time) time.Time
	}{
		{"an hour later", berlinAt(tuesday(3, 11), 11, "Europe/Berlin"), berlinAt(tuesday(3, 11), 12, "Europe/Berlin"),
			func(t time.Time) time.Time { return t.Add(time.Hour) }},
		{"two minutes earlier", minutesAt(tuesday(3, 11), -2), minutesAt(tuesday(3, 11), 28),
			func(t time.Time) time.Time { return t.Add(-2 * time.Minute) }},
		{"to Wednesdays", berlinAt(tuesday(3, 11).AddDate(0, 0, 1), 10, "Europe/Berlin"), berlinAt(tuesday(3, 11).AddDate(0, 0, 1), 11, "Europe/Berlin"),
			func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"to another time zone", berlinAt(tuesday(3, 11), 10, "Europe/London"), berlinAt(tuesday(3, 11), 11, "Europe/London"),
			func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, london) }},
	}
	for _, c := range cases {
		for _, w := range watchings {
			t.Run(c.name+"/"+w.name, func(t *testing.T) {
				g := newGooglePair(t, w)
				g.patch(&gcal.Event{Start: c.start, End: c.end})
				g.cycle()
				h, _ := g.history(g.last)
				want(t, h, movedLines(tuesdays, c.shift)...)
				wantMails(t, g.mails(), g.invitesBefore()...)
				dec1 := c.shift(date(2026, 12, 1))
				if got, want := g.form(g.tok), g.uid+" "+dec1.UTC().Format(time.RFC3339)+" "+dec1.Format(time.RFC3339)+" Roadmap"; got != want {
					t.Errorf("Ada's link opens %q, want %q", got, want)
				}
				if n := g.orphans(); n != 0 {
					t.Errorf("%d prep requests lost their meeting", n)
				}
			})
		}
	}
}

func TestGoogleSplitThenMove(t *testing.T) {
	for _, w := range watchings {
		t.Run(w.name, func(t *testing.T) {
			g := newGooglePair(t, w)
			_, newUID := g.srv.SplitSeries(gAda, g.id, tuesday(1, 12), func(r *googletest.Recurring) {
				r.Start = time.Date(2026, 12, 2, 10, 0, 0, 0, berlin) // and from now on on Wednesdays
			})
			g.cycle()
			h, mid := g.history(g.last)
			want(t, h, "created")
			events, _ := sync.History(t.Context(), g.db, nil)
			if st := sync.Stats(events); st[0].Cancelled != 0 {
				t.Errorf("pair counts after a split: %+v", st)
			}
			if got, want := g.form(g.tok), newUID+" 2026-12-02T09:00:00Z 2026-12-02T10:00:00+01:00 Roadmap"; got != want {
				t.Errorf("after the split Ada's link opens %q, want %q", got, want)
			}
			wantMails(t, g.mails(), g.invitesBefore()...)
			g.id = g.id + "_R20261201T090000"
			g.patch(&gcal.Event{Start: berlinAt(time.Date(2026, 12, 2, 0, 0, 0, 0, berlin), 11, "Europe/Berlin"),
				End: berlinAt(time.Date(2026, 12, 2, 0, 0, 0, 0, berlin), 12, "Europe/Berlin")})
			g.cycle()
			var wed []time.Time
			for _, d := range tuesdays[1:] {
				wed = append(wed, d.AddDate(0, 0, 1))
			}
			h, _ = g.history(mid)
			want(t, h, movedLines(wed, func(t time.Time) time.Time { return t.Add(time.Hour) })...)
			if got, want := g.form(g.tok), newUID+" 2026-12-02T10:00:00Z 2026-12-02T11:00:00+01:00 Roadmap"; got != want {
				t.Errorf("after the move Ada's link opens %q, want %q", got, want)
			}
			wantMails(t, g.mails(), g.invitesBefore()...)
		})
	}
}

func TestGoogleShortenedThenExtended(t *testing.T) {
	for _, w := range watchings {
		t.Run(w.name, func(t *testing.T) {
			g := newGooglePair(t, w)
			g.patch(&gcal.Event{Recurrence: []string{"RRULE:FREQ=WEEKLY;UNTIL=20261130T230000Z"}})
			g.cycle()
			h, last := g.history(g.last)
			if len(h) != 8 {
				t.Errorf("shortened: %q, want 8 cancellations", h)
			}
			g.patch(&gcal.Event{Recurrence: []string{"RRULE:FREQ=WEEKLY"}})
			g.cycle()
			if h, _ = g.history(last); len(h) != 8 || h[0][:8] != "restored" {
				t.Errorf("extended again: %q, want 8 restored", h)
			}
			if got := g.form(g.tok); got != g.uid+" 2026-12-01T09:00:00Z 2026-12-01T10:00:00+01:00 Roadmap" {
				t.Errorf("Ada's link opens %q", got)
			}
			wantMails(t, g.mails(), g.invitesBefore()...)
		})
	}
}
