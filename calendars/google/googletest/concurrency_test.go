package googletest

import (
	"sync"
	"testing"

	"google.golang.org/api/calendar/v3"
)

// TestConcurrentUse drives the API and the scenario methods from several
// goroutines at once; run with -race.
func TestConcurrentUse(t *testing.T) {
	srv, svc, _ := setup(t)
	master, _ := weekly(srv)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 5 {
				if _, err := svc.Events.List(ada).SingleEvents(true).Do(); err != nil {
					t.Error(err)
				}
				orig := monday.AddDate(0, 0, 7*((i+j)%10))
				srv.SetDescription(ada, instanceID(master, orig, false), "x")
				srv.FailNext("events.get", 500, "", "")
				svc.Events.Get(ada, master).Do()
				svc.Events.Patch(ada, master, &calendar.Event{Summary: "s"}).Do()
				_ = srv.RequestLog()
				_ = srv.Event(grace, master)
			}
		})
	}
	wg.Wait()
	if n := srv.RequestCount(); n != 60 {
		t.Errorf("%d requests logged, want 60", n)
	}
}
