package webapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
)

// busy is retried, refused is not, expired is a 401.
var busy, refused, expired = errors.New("busy"), errors.New("refused"), errors.New("401")

// rules retry busy with Retry-After 7, never refused, and
// re-authenticate on expired.
func rules(reauths *int) Rules {
	return Rules{
		Refused:      func(err error) bool { return errors.Is(err, refused) },
		Unauthorized: func(err error) bool { return errors.Is(err, expired) },
		Reauth:       func() { *reauths++ },
		Transient: func(err error) (http.Header, bool) {
			return http.Header{"Retry-After": {"7"}}, errors.Is(err, busy)
		},
	}
}

// fails returns a try that fails with errs in turn, then succeeds.
func fails(tries *int, errs ...error) func(context.Context) error {
	return func(context.Context) error {
		*tries++
		if *tries <= len(errs) {
			return errs[*tries-1]
		}
		return nil
	}
}

// TestDoRetriesWhatIsWorthItAndStopsAtTheBound: a transient failure is
// retried after its Retry-After, never beyond MaxAttempts, and the last
// error is returned; a refused one ends at once; a 401 is retried once,
// at once, after re-authenticating.
func TestDoRetriesWhatIsWorthItAndStopsAtTheBound(t *testing.T) {
	clk := testkit.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	r := Retry{Name: "test", MaxAttempts: 3, Now: clk.Now, Sleep: clk.Sleep}
	b := NewBudget("test", 1e6, 1e6, clk.Now, clk.Sleep)
	reauths, tries := 0, 0
	err := r.Do(t.Context(), b, ada, rules(&reauths), fails(&tries, busy, busy, busy, busy))
	if !errors.Is(err, busy) || tries != 3 || !slices.Equal(clk.Slept(), []time.Duration{7 * time.Second, 7 * time.Second}) {
		t.Errorf("err %v after %d tries, slept %v; want busy after 3, 7s twice", err, tries, clk.Slept())
	}
	tries = 0
	if err := r.Do(t.Context(), b, ada, rules(&reauths), fails(&tries, refused)); !errors.Is(err, refused) || tries != 1 {
		t.Errorf("refused: err %v after %d tries; want refused after 1", err, tries)
	}
	tries = 0
	err = r.Do(t.Context(), b, ada, rules(&reauths), fails(&tries, expired, expired))
	if !errors.Is(err, expired) || tries != 2 || reauths != 1 {
		t.Errorf("401 twice: err %v after %d tries, %d re-auths; want the 401 after 2 tries, 1 re-auth", err, tries, reauths)
	}
	tries = 0
	if err := r.Do(t.Context(), b, ada, rules(&reauths), fails(&tries, busy)); err != nil || tries != 2 {
		t.Errorf("a retry that works: err %v after %d tries", err, tries)
	}
}
