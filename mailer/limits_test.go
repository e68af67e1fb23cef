package mailer_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// limitedEnv is a worker with small limits that counts the metric calls.
func limitedEnv(t *testing.T, l mailer.Limits) (*workerEnv, map[string]int) {
	e := newEnv(t)
	e.worker.Limits = l
	hits := map[string]int{}
	e.worker.Limited = func(limit string) { hits[limit]++ }
	return e, hits
}

func states(t *testing.T, o *store.Outbox, ids []int64) []mailer.State {
	t.Helper()
	var out []mailer.State
	for _, id := range ids {
		out = append(out, get(t, o, id).State)
	}
	return out
}

func TestPerRecipientLimitsHoldMailBack(t *testing.T) {
	e, hits := limitedEnv(t, mailer.Limits{PerRecipientHour: 3, PerRecipientDay: 5, PerHour: 100})
	var toAda []int64
	for i := range 5 {
		m := message("ada:" + string(rune('a'+i)))
		toAda = append(toAda, enqueue(t, e.outbox, m))
	}
	toGrace := enqueueTo(t, e.outbox, "grace@example.com")
	runOnce(t, e.worker)
	got := states(t, e.outbox, toAda)
	want := []mailer.State{"sent", "sent", "sent", "deferred", "deferred"}
	if strings.Join(strs(got), ",") != strings.Join(strs(want), ",") {
		t.Fatalf("to ada: %v, want %v", got, want)
	}
	if m := get(t, e.outbox, toGrace[0]); m.State != mailer.StateSent {
		t.Fatalf("another recipient is not limited: %+v", m)
	}
	held := get(t, e.outbox, toAda[3])
	if held.Attempts != 0 || !held.NextAttempt.Equal(t0.Add(time.Hour)) ||
		!strings.Contains(held.LastError, "rate limit of 3 mails to ada@example.com per hour") {
		t.Fatalf("held message: %+v", held)
	}
	if n := strings.Count(e.logs.String(), "held back by a rate limit"); n != 1 {
		t.Fatalf("%d log lines for one limited recipient, want 1:\n%s", n, e.logs)
	}
	if hits[mailer.LimitRecipientHour] != 2 {
		t.Fatalf("metric: %v", hits)
	}
	// Within the hour nothing more goes to ada; after it, the day limit
	// (5) lets two more through.
	e.clock.Advance(59 * time.Minute)
	runOnce(t, e.worker)
	if len(e.fake.Received()) != 4 {
		t.Fatalf("%d received before the hour was over", len(e.fake.Received()))
	}
	e.clock.Advance(time.Minute)
	runOnce(t, e.worker)
	if got := states(t, e.outbox, toAda); got[3] != mailer.StateSent || got[4] != mailer.StateSent {
		t.Fatalf("after an hour: %v", got)
	}
	sixth := enqueue(t, e.outbox, message("ada:f"))
	e.clock.Advance(2 * time.Hour)
	runOnce(t, e.worker)
	m := get(t, e.outbox, sixth)
	if m.State != mailer.StateDeferred || !m.NextAttempt.Equal(t0.Add(24*time.Hour)) || !strings.Contains(m.LastError, "per day") {
		t.Fatalf("over the day limit: %+v", m)
	}
	if hits[mailer.LimitRecipientDay] != 1 {
		t.Fatalf("metric: %v", hits)
	}
}

func strs(ss []mailer.State) []string {
	var out []string
	for _, s := range ss {
		out = append(out, string(s))
	}
	return out
}

func TestGlobalLimitStopsTheBatch(t *testing.T) {
	e, hits := limitedEnv(t, mailer.Limits{PerHour: 2})
	ids := enqueueTo(t, e.outbox, "a@example.com", "b@example.com", "c@example.com", "d@example.com")
	if n := runOnce(t, e.worker); n != 3 {
		t.Fatalf("took %d, want 2 sent and the batch stopped at the third", n)
	}
	got := states(t, e.outbox, ids)
	if got[2] != mailer.StateDeferred || got[3] != mailer.StateQueued || len(e.fake.Received()) != 2 {
		t.Fatalf("states %v, received %d", got, len(e.fake.Received()))
	}
	if hits[mailer.LimitGlobalHour] != 1 {
		t.Fatalf("metric: %v", hits)
	}
	e.clock.Advance(time.Hour)
	runOnce(t, e.worker)
	if len(e.fake.Received()) != 4 {
		t.Fatalf("after the hour: %d received", len(e.fake.Received()))
	}
}

// Mail held back past what it is about is not sent late: it expires, and
// says why.
func TestHeldMailExpiresInsteadOfGoingOutLate(t *testing.T) {
	e, _ := limitedEnv(t, mailer.Limits{PerRecipientHour: 1})
	enqueueTo(t, e.outbox, "ada@example.com")
	late := message("prep:s:r:ada@example.com:invite")
	late.To = []string{"ada@example.com"}
	late.Expires = t0.Add(30 * time.Minute)
	id := enqueue(t, e.outbox, late)
	runOnce(t, e.worker)
	if m := get(t, e.outbox, id); m.State != mailer.StateDeferred || !m.NextAttempt.Equal(late.Expires) {
		t.Fatalf("held: %+v", m)
	}
	e.clock.Advance(30 * time.Minute)
	runOnce(t, e.worker)
	m := get(t, e.outbox, id)
	if m.State != mailer.StateExpired || !strings.Contains(m.LastError, "not sent late") ||
		!strings.Contains(m.LastError, "rate limit") || m.Attempts != 0 {
		t.Fatalf("expired: %+v", m)
	}
	e.clock.Advance(2 * time.Hour)
	runOnce(t, e.worker)
	if n := len(e.fake.Received()); n != 1 {
		t.Fatalf("%d received, want only the first", n)
	}
}

// A recipient a calendar smuggled in as a quoted local part is a valid
// RFC 5322 address, but no plain one: the worker refuses it for good.
func TestWorkerRefusesMalformedRecipients(t *testing.T) {
	e := newEnv(t)
	for _, to := range []string{`"grace@example.com,victim"@evil.example`, "grace%victim@evil.example"} {
		m := message("bad:" + to)
		m.To = []string{to}
		id := enqueue(t, e.outbox, m)
		runOnce(t, e.worker)
		got := get(t, e.outbox, id)
		if got.State != mailer.StateFailed || !strings.Contains(got.LastError, "not a plain address") {
			t.Fatalf("%s: %+v", to, got)
		}
	}
	e.clock.Advance(time.Hour)
	runOnce(t, e.worker)
	if n := e.fake.Transactions(); n != 0 {
		t.Fatalf("%d SMTP transactions for malformed recipients", n)
	}
	if n := strings.Count(e.logs.String(), "not a plain address"); n < 2 {
		t.Fatalf("refusals not logged:\n%s", e.logs)
	}
}

// A database made before the expiry and the limits keeps its mail.
func TestUpgradeFromTheFirstSchema(t *testing.T) {
	name := "migrations/0001_outbox.sql"
	if dbtest.FromEnv() == db.PostgreSQL {
		name = "migrations/0001_outbox.postgres.sql"
	}
	first, err := fs.ReadFile(mailerSchema.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	old := db.Schema{Owner: "mailer", FS: fstest.MapFS{"m/0001_outbox.sql": {Data: first}}, Dir: "m"}
	d := openDBWith(t, old)
	ctx := context.Background()
	if _, err := d.Exec(`INSERT INTO mailer_outbox (dedup_key, message_id, from_addr, to_addrs, subject, text_body,
		state, attempts, next_attempt, last_error, created_at, updated_at)
		VALUES ('k', '<x@example.com>', 'a@example.com', '["ada@example.com"]', 's', 't', 'failed', 3,
		'2026-03-02T09:00:00.000000Z', '550 no', '2026-03-02T09:00:00.000000Z', '2026-03-02T09:00:00.000000Z')`); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, d, mailerSchema); err != nil {
		t.Fatal(err)
	}
	o := store.NewOutbox(d, newClock().Now)
	ms, err := o.List(ctx, mailer.ListOptions{})
	if err != nil || len(ms) != 1 || ms[0].State != mailer.StateFailed || ms[0].Attempts != 3 || !ms[0].Expires.IsZero() {
		t.Fatalf("after the upgrade: %+v %v", ms, err)
	}
	if _, err := d.Exec(`UPDATE mailer_outbox SET state = 'expired'`); err != nil {
		t.Fatalf("the new state: %v", err)
	}
}
