package mailer_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/store"
	"github.com/oneonone/oneonone/sync/db"
)

// BenchmarkCheckLimits is the rate-limit check the worker makes before
// each message, against a day's worth of sends (20,000 to 2,000
// addresses) in the table it counts from.
func BenchmarkCheckLimits(b *testing.B) {
	d, err := db.Open(context.Background(), filepath.Join(b.TempDir(), "oneonone.db"),
		db.Schema{Owner: store.MigrationsOwner, FS: store.Migrations, Dir: "migrations"})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)
		INSERT INTO mailer_sends (outbox_id, rcpt, sent_at)
		SELECT i, 'p' || (i % 2000) || '@example.com',
			strftime('%Y-%m-%dT%H:%M:%S.000000Z', '2026-03-01T09:00:00', '+' || (i * 4) || ' seconds')
		FROM n`); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	o := store.NewOutbox(d, func() time.Time { return now })
	l := mailer.Limits{PerRecipientHour: 1000, PerRecipientDay: 1000, PerHour: 100000}
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		h, err := mailer.CheckLimits(ctx, o, l, []string{fmt.Sprintf("p%d@example.com", i%2000)}, now)
		if err != nil || h != "" {
			b.Fatalf("%v %v", h, err)
		}
	}
}
