package googletest

import (
	"context"
	"errors"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/oneonone/oneonone/calendars/testkit"
)

const (
	ada   = "ada@example.com"
	grace = "grace@example.com"
)

// monday is the first occurrence of the weekly test series (Berlin time).
var monday = time.Date(2026, 3, 2, 10, 0, 0, 0, berlin)

var berlin = mustZone("Europe/Berlin")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// setup starts a fake with ada's and grace's primary calendars and returns
// a client acting as ada.
func setup(t *testing.T) (*Server, *calendar.Service, *testkit.Clock) {
	t.Helper()
	srv := New()
	t.Cleanup(srv.Close)
	// The clock moves on a second at every read, so that every write gets
	// a later "updated" stamp.
	clk := testkit.NewTickingClock(time.Date(2026, 2, 20, 8, 0, 0, 0, time.UTC), time.Second)
	srv.Now = clk.Now
	srv.AddCalendar(ada, ada)
	srv.AddCalendar(grace, grace)
	return srv, service(t, srv, ada), clk
}

func service(t *testing.T, srv *Server, subject string) *calendar.Service {
	t.Helper()
	svc, err := calendar.NewService(context.Background(),
		option.WithEndpoint(srv.URL+"/calendar/v3/"), option.WithHTTPClient(srv.HTTPClient(subject)))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// weekly adds ada's weekly 1:1 with grace (Mondays 10:00 Berlin, 10 times).
func weekly(srv *Server) (string, string) {
	return srv.AddRecurring(ada, Recurring{
		Summary: "Ada / Grace 1:1", Start: monday, TZ: "Europe/Berlin", Duration: 30 * time.Minute,
		RRule: "FREQ=WEEKLY;BYDAY=MO;COUNT=10", Organizer: ada, Attendees: []string{grace},
	})
}

func wantErr(t *testing.T, err error, code int) *googleapi.Error {
	t.Helper()
	var gerr *googleapi.Error
	if !errors.As(err, &gerr) {
		t.Fatalf("want *googleapi.Error with code %d, got %v", code, err)
	}
	if gerr.Code != code {
		t.Fatalf("code = %d, want %d (%v)", gerr.Code, code, gerr)
	}
	return gerr
}

func reason(e *googleapi.Error) string {
	if len(e.Errors) == 0 {
		return ""
	}
	return e.Errors[0].Reason
}

func ids(items []*calendar.Event) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Id)
	}
	return out
}
