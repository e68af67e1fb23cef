package graphtest_test

import (
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars/microsoft365/graphtest"
)

// A test's Microsoft 365 tenant: one app with Calendars.ReadWrite, two
// mailboxes and a weekly 1:1 between them. A client is configured with
// endpoint = srv.GraphEndpoint(), login_endpoint = srv.LoginEndpoint(),
// tenant = "contoso.onmicrosoft.com" and the app's client id and secret.
func Example() {
	srv := graphtest.New()
	defer srv.Close()
	srv.Now = func() time.Time { return time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC) }
	srv.AddTenant("contoso.onmicrosoft.com")
	srv.AddApp("contoso.onmicrosoft.com", "app-id", "app-secret", graphtest.CalendarsReadWrite)
	srv.AddMailbox("contoso.onmicrosoft.com", "ada@contoso.com", "Ada Lovelace")
	srv.AddMailbox("contoso.onmicrosoft.com", "grace@contoso.com", "Grace Hopper")
	uid := srv.CreateMeeting(graphtest.Meeting{
		Organizer: "ada@contoso.com", Attendees: []string{"grace@contoso.com"},
		Subject: "Ada / Grace", Body: "<p>Ada's notes</p>",
		Start:    time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC),
		Duration: 30 * time.Minute, TimeZone: "W. Europe Standard Time",
		Recurrence: &graphtest.Recurrence{Pattern: "weekly", Interval: 1},
	})

	// What people do in Outlook: Ada moves one meeting, Grace declines another.
	dec15 := time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC)
	srv.MoveOccurrence(uid, dec15, dec15.Add(time.Hour))
	srv.Respond("grace@contoso.com", uid, dec15.AddDate(0, 0, 7), graphtest.ResponseDeclined, true)

	// What a client's writes cost attendees: update messages from Graph requests.
	fmt.Println(srv.GraphNotifications())
	// Output: 0
}
