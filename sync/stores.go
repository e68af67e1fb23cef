package sync

import (
	"context"
	"database/sql"
	"time"

	"github.com/oneonone/oneonone/sync/store"
)

// syncTx is what one calendar's sync needs of the store, all in one
// transaction that the engine begins and commits.
type syncTx interface {
	objectsTx
	seriesTx
	occurrencesTx
	splitTx
	Commit() error
	Rollback()
	// SQL is handed to the Rekeyer, so what others keep by occurrence
	// moves in the same transaction.
	SQL() *sql.Tx
}

// objectsTx keeps the calendars' objects and cursors.
type objectsTx interface {
	ObjectUID(calID int64, href string) (string, bool, error)
	DeleteObject(calID int64, href string) error
	PutObject(calID int64, href, etag, uid string, data []byte) error
	DueForExpansion(calID int64, edge time.Time) ([]string, error)
	CalendarIDs() (map[string]int64, error)
	SaveCursor(calID int64, cursor string, now time.Time) error
}

// seriesTx keeps series, pairs and history.
type seriesTx interface {
	Copies(uid string) ([]store.Copy, error)
	LoadSeries(uid string) (*store.Series, error)
	InsertSeries(d store.SeriesData) (int64, error)
	UpdateSeries(id int64, d store.SeriesData) error
	EndSeries(id int64, now time.Time) error
	Pair(a, b string) (int64, error)
	AddHistory(e store.Event) error
}

// occurrencesTx keeps occurrences.
type occurrencesTx interface {
	Occurrences(seriesID int64) (map[string]store.Occ, error)
	SaveOccurrence(d store.OccurrenceData) error
	SetState(seriesID int64, key, state string, now time.Time) error
	Rekey(seriesID int64, from, to string) error
	Ended(calID int64, now time.Time) ([]store.Ended, error)
}

// splitTx is what telling a split from cancellations needs.
type splitTx interface {
	Candidates(seriesID, pairID int64, since time.Time) ([]store.Candidate, error)
	Live(seriesID int64, from time.Time) (int, error)
	SeriesUID(id int64) (string, error)
	SeriesZone(id int64) (string, error)
	LinkSplit(next int64, uid, detail string) error
	Continuation(id int64) (pairID int64, continues, first string, ok bool)
	Cancellations(pairID, id int64, detail string, since, from time.Time) ([]store.Cancelled, error)
	DeleteCancellations(seriesID int64, detail string, keys []string) error
}

// calendarStore keeps the calendars' rows outside a sync.
type calendarStore interface {
	EnsureCalendar(ctx context.Context, name, kind, source, owner string) (id int64, cursor string, err error)
	MarkFailed(ctx context.Context, id int64, reason string, now time.Time) error
	SetupFailed(ctx context.Context, name, kind, source, reason string, now time.Time) error
	SetupDone(ctx context.Context, name string) error
}

// begin starts one calendar's sync in the store.
func (e *Engine) begin(ctx context.Context) (syncTx, error) {
	return store.New(e.DB).Begin(ctx)
}

func (e *Engine) calendars() calendarStore { return store.New(e.DB) }

// queryStore is what the read-only queries (series list, history, export,
// the pair's record) need of the store.
type queryStore interface {
	ListSeries(ctx context.Context, now time.Time) ([]store.SeriesRow, error)
	History(ctx context.Context, a, b string) ([]store.EventRow, error)
	PairOccurrences(ctx context.Context, a, b string, since, until time.Time) ([]store.OccurrenceRow, error)
	LatestSeries(ctx context.Context, a, b string) (uid, summary, people string, err error)
}

// meetingStore is what serving prep its meetings needs of the store.
type meetingStore interface {
	Upcoming(ctx context.Context, from, to time.Time) ([]store.MeetingRow, error)
	Meeting(ctx context.Context, seriesUID, recurrenceID string) (store.MeetingRow, error)
	Previous(ctx context.Context, seriesUID string, start time.Time) (store.MeetingRow, error)
	PairMeetings(ctx context.Context, a, b string, until time.Time) ([]store.PairMeetingRow, error)
}

func queries(d *sql.DB) queryStore { return store.New(d) }

func (m Meetings) store() meetingStore { return store.New(m.DB) }
