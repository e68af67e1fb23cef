package microsoft365

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/microsoft365/graphtest"
)

const (
	tenantDomain = "contoso.onmicrosoft.com"
	appID        = "11111111-2222-3333-4444-555555555555"
	appSecret    = "s3cret~value"
)

// fakeNow is the fake's clock and the feed's: a Monday.
var fakeNow = time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)

type world struct {
	srv *graphtest.Server
	uid string // a weekly 1:1 Ada (organizer) / Grace, Tuesdays 10:00 Berlin
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv := graphtest.New()
	t.Cleanup(srv.Close)
	srv.Now = func() time.Time { return fakeNow }
	srv.AddTenant(tenantDomain)
	srv.AddApp(tenantDomain, appID, appSecret, graphtest.CalendarsReadWrite)
	for _, a := range []string{ada, grace, "bob@contoso.com"} {
		srv.AddMailbox(tenantDomain, a, a[:1])
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	uid := srv.CreateMeeting(graphtest.Meeting{Organizer: ada, Attendees: []string{grace}, Subject: "Ada / Grace",
		Body: "<p>Grace's own notes</p>", Start: time.Date(2026, 12, 8, 10, 0, 0, 0, berlin), Duration: 30 * time.Minute,
		TimeZone: "W. Europe Standard Time", Recurrence: &graphtest.Recurrence{Pattern: "weekly", Interval: 1}})
	return &world{srv: srv, uid: uid}
}

func (w *world) client(t *testing.T, user, secret string) *Client {
	t.Helper()
	c, err := New(Config{User: user, Tenant: tenantDomain, ClientID: appID, ClientSecret: secret,
		Endpoint: w.srv.GraphEndpoint(), LoginEndpoint: w.srv.LoginEndpoint()},
		Options{Budget: NewBudget(1000000, 1000000, nil, nil), Now: func() time.Time { return fakeNow },
			Sleep: (&sleeps{}).sleep})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *world) feed(t *testing.T, user, secret string) Feed {
	return Feed{Client: w.client(t, user, secret), Past: 30 * 24 * time.Hour, Ahead: 60 * 24 * time.Hour,
		Now: func() time.Time { return fakeNow }}
}

func series(t *testing.T, objs []calendars.Object) []*calendars.Series {
	t.Helper()
	var files []calendars.File
	for _, o := range objs {
		files = append(files, calendars.File{Name: o.Href, Data: o.Data})
	}
	s, probs := calendars.ReadICS(files, calendars.ReadOptions{})
	if len(probs) > 0 {
		t.Fatalf("problems %v", probs)
	}
	return s
}

// TestFakeFeedDetectsTheOneOnOne: Grace's mailbox through the fake: the
// series (sparse occurrences filled from the master) is a 1:1 of Ada and
// Grace under the meeting's iCalUId; an idle poll is one request.
func TestFakeFeedDetectsTheOneOnOne(t *testing.T) {
	w := newWorld(t)
	f := w.feed(t, grace, appSecret)
	d, cur, err := f.Changes(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	s := series(t, d.Updated)
	if len(s) != 1 || s[0].UID != w.uid {
		t.Fatalf("series %d, objects %d", len(s), len(d.Updated))
	}
	if dec := calendars.Detect(s[0], calendars.DefaultRules()); !dec.OneOnOne || !strings.Contains(dec.Why, ada) {
		t.Errorf("decision %+v", dec)
	}
	d, _, err = f.Changes(context.Background(), cur)
	if err != nil || len(d.Updated)+len(d.Deleted) > 0 || d.Requests != 1 {
		t.Errorf("idle poll: %d updated, %d deleted, %d requests, %v", len(d.Updated), len(d.Deleted), d.Requests, err)
	}
}

// TestFakeAgendaInAttendeesCopyNotifiesNobody: the agenda goes into
// Grace's own copy of one occurrence, her text kept; Ada's copy (the
// organizer's) is refused unwritten; no attendee gets a message.
func TestFakeAgendaInAttendeesCopyNotifiesNobody(t *testing.T) {
	w := newWorld(t)
	rid := "2026-12-15T09:00:00Z"
	for _, user := range []string{grace, ada} {
		f := w.feed(t, user, appSecret)
		d, _, err := f.Changes(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		master := d.Updated[0].Href
		ref := calendars.OccurrenceRef{Href: master, SeriesUID: w.uid, RecurrenceID: rid}
		_, err = Writer{Client: f.Client}.WriteOccurrence(context.Background(), ref, calendars.AgendaEdit("1. Roadmap"))
		switch user {
		case grace:
			if err != nil {
				t.Fatalf("grace: %v", err)
			}
		case ada:
			if !errors.Is(err, calendars.ErrNotWritable) {
				t.Errorf("ada (organizer): %v", err)
			}
		}
	}
	id := w.srv.EventID(grace, w.uid, time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC))
	ev, ok := w.srv.Event(grace, id)
	if !ok || !strings.Contains(ev.BodyHTML, "Roadmap") || !strings.Contains(ev.BodyHTML, "Grace's own notes") {
		t.Errorf("grace's occurrence: %+v", ev)
	}
	if n := w.srv.GraphNotifications(); n != 0 {
		t.Errorf("%d attendee notifications from our writes", n)
	}
}

// TestFakeRevokedSecretIsCredentialsError: after the secret is deleted
// and the token expires, the feed fails with ErrCredentials saying what
// to do, without retrying.
func TestFakeRevokedSecretIsCredentialsError(t *testing.T) {
	w := newWorld(t)
	f := w.feed(t, grace, appSecret)
	_, cur, err := f.Changes(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	w.srv.RevokeSecret(appID, appSecret)
	w.srv.ExpireTokens()
	_, next, err := f.Changes(context.Background(), cur)
	if !errors.Is(err, ErrCredentials) || !strings.Contains(err.Error(), "client_secret_file") || next != cur {
		t.Errorf("got %v", err)
	}
}

// TestFakeThrottlingIsRetried: a 429 with Retry-After on the delta is
// waited out and the read completes.
func TestFakeThrottlingIsRetried(t *testing.T) {
	w := newWorld(t)
	w.srv.InjectFault(graphtest.Fault{Status: 429, RetryAfter: 5 * time.Second, Path: "calendarView/delta"})
	z := &sleeps{}
	f := w.feed(t, grace, appSecret)
	f.Client.opt.Sleep = z.sleep
	d, _, err := f.Changes(context.Background(), "")
	if err != nil || len(d.Updated) == 0 {
		t.Fatalf("%v, %d objects", err, len(d.Updated))
	}
	if len(z.d) != 1 || z.d[0] != 5*time.Second {
		t.Errorf("waits %v", z.d)
	}
}
