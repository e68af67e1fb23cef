package sync_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// slowFeed is an idle calendar behind a server that takes latency to
// answer its one request per poll.
type slowFeed struct{ latency time.Duration }

func (f slowFeed) Changes(ctx context.Context, cursor string) (calendars.Delta, string, error) {
	select {
	case <-time.After(f.latency):
	case <-ctx.Done():
		return calendars.Delta{Requests: 1}, "", ctx.Err()
	}
	return calendars.Delta{Requests: 1}, "idle", nil
}

// BenchmarkIdleCycle10k is one idle sync cycle over 10,000 calendars whose
// server answers each poll in 50 ms, by one instance at concurrency 8,
// 32 and 64 and by three instances (one database) at 8 and 32 each,
// leases included, on SQLite and on PostgreSQL: wall time, requests a
// minute, database round trips per calendar (statements, begins and
// commits, counted on SQLite through a counting connection; the same code
// sends the same statements to PostgreSQL) and the process's peak RSS.
// Run with -benchtime=1x; it takes several minutes.
func BenchmarkIdleCycle10k(b *testing.B) {
	var calls atomic.Int64
	b.Run("sqlite", func(b *testing.B) { idleCycles(b, countingDB(b, &calls), &calls) })
	b.Run("postgresql", func(b *testing.B) {
		d, err := db.OpenPostgres(context.Background(), dbtest.URL(b), sync.Schema)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { d.Close() })
		idleCycles(b, d, nil)
	})
}

func idleCycles(b *testing.B, d *sql.DB, calls *atomic.Int64) {
	const n = 10000
	d.SetMaxIdleConns(3*64 + 4) // as the daemon does: a connection per calendar in flight
	cals := make([]sync.Calendar, n)
	for i := range cals {
		cals[i] = sync.Calendar{Name: fmt.Sprintf("cal%05d", i), Kind: "caldav", Rules: calendars.DefaultRules()}
	}
	// The first cycle stores each calendar's row and cursor; the ones
	// measured are idle.
	cycle(b, d, cals, 0, []int{64})
	for _, tc := range []struct {
		name      string
		instances []int // the concurrency of each instance
	}{
		{"one/concurrency=8", []int{8}},
		{"one/concurrency=32", []int{32}},
		{"one/concurrency=64", []int{64}},
		{"three/concurrency=8", []int{8, 8, 8}},
		{"three/concurrency=32", []int{32, 32, 32}},
	} {
		// Unmeasured, so that the instances hold their shares: the first
		// hands back the excess, the others take it.
		for range len(tc.instances) - 1 {
			cycle(b, d, cals, 0, tc.instances)
		}
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				if calls != nil {
					calls.Store(0)
				}
				took := cycle(b, d, cals, 50*time.Millisecond, tc.instances)
				b.ReportMetric(took.Seconds(), "s/cycle")
				b.ReportMetric(float64(n)/took.Minutes(), "requests/min")
				if calls != nil {
					b.ReportMetric(float64(calls.Load())/n, "roundtrips/calendar")
				}
			}
			if kb, err := peakRSS(); err == nil {
				b.ReportMetric(float64(kb)/1024, "peakRSS-MiB")
			}
		})
	}
}

// cycle runs one pass of each instance's scheduler over cals at once and
// returns the wall time until the last one ended.
func cycle(b *testing.B, d *sql.DB, cals []sync.Calendar, latency time.Duration, instances []int) time.Duration {
	b.Helper()
	feedCals := make([]sync.Calendar, len(cals))
	for i, c := range cals {
		c.Feed = slowFeed{latency}
		feedCals[i] = c
	}
	clock := func() time.Time { return time.Now().UTC() }
	leases := make([]*sync.Leases, len(instances))
	for i := range instances {
		leases[i] = &sync.Leases{DB: d, Holder: fmt.Sprintf("bench%d", i), Now: clock, Log: slog.New(slog.DiscardHandler)}
	}
	// Every instance is alive before any claims: the steady state.
	for _, l := range leases {
		if err := l.Beat(context.Background(), 5*time.Minute); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	var wg gosync.WaitGroup
	for i, conc := range instances {
		ctx, cancel := context.WithCancel(context.Background())
		s := &sync.Scheduler{
			Engine: func() *sync.Engine { return &sync.Engine{DB: d, Now: clock} },
			Calendars: func() []sync.Configured {
				return []sync.Configured{{Name: "all", SetUp: func(context.Context) ([]sync.Calendar, error) { return feedCals, nil }}}
			},
			Interval:    func() time.Duration { return 5 * time.Minute },
			Concurrency: func() int { return conc },
			Now:         clock,
			Log:         slog.New(slog.DiscardHandler),
			Leases:      leases[i],
			Observe: func(s sync.Summary) {
				if s.Err != nil {
					b.Errorf("%s: %v", s.Calendar, s.Err)
				}
			},
			Synced: cancel,
		}
		wg.Go(func() { s.Run(ctx) })
	}
	wg.Wait()
	return time.Since(start)
}

// countingDB opens a migrated SQLite database whose connections count
// every statement, begin and commit: the round trips a server database
// would see.
func countingDB(b *testing.B, calls *atomic.Int64) *sql.DB {
	b.Helper()
	file := filepath.Join(b.TempDir(), "bench.db")
	m, err := db.Open(context.Background(), file, sync.Schema)
	if err != nil {
		b.Fatal(err)
	}
	m.Close()
	dsn := "file:" + file + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_txlock=immediate&_synchronous=NORMAL"
	d := sql.OpenDB(countingConnector{dsn: dsn, calls: calls})
	b.Cleanup(func() { d.Close() })
	return d
}

type countingConnector struct {
	dsn   string
	calls *atomic.Int64
}

func (c countingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := (&sqlite3.SQLiteDriver{}).Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &countingConn{conn.(*sqlite3.SQLiteConn), c.calls}, nil
}

func (c countingConnector) Driver() driver.Driver { return &sqlite3.SQLiteDriver{} }

type countingConn struct {
	*sqlite3.SQLiteConn
	calls *atomic.Int64
}

func (c *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.calls.Add(1)
	return c.SQLiteConn.ExecContext(ctx, q, args)
}

func (c *countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.calls.Add(1)
	return c.SQLiteConn.QueryContext(ctx, q, args)
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.calls.Add(1)
	tx, err := c.SQLiteConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return countingTx{tx, c.calls}, nil
}

type countingTx struct {
	driver.Tx
	calls *atomic.Int64
}

func (t countingTx) Commit() error {
	t.calls.Add(1)
	return t.Tx.Commit()
}

// peakRSS is the process's VmHWM in kB.
func peakRSS() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmHWM")
}
