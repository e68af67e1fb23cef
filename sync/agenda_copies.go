package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/sync/store"
)

// Copy is one watched calendar's copy of a series: where an agenda can
// be written.
type Copy struct {
	Calendar string // config name
	Kind     string // caldav | google
	Owner    string // the calendar owner's address, "" when unknown
	ref      copyRef
}

// agendaStore is the SQL the agenda writers need (store.Agenda).
type agendaStore interface {
	WritableCalendar(ctx context.Context, uid string) (store.Resource, error)
	ResourcesIn(ctx context.Context, calendarID int64, uid string) ([]store.Resource, error)
	Copies(ctx context.Context, uid string) ([]store.Resource, error)
	Organizer(ctx context.Context, uid string) (string, error)
	StoredETag(ctx context.Context, calendarID int64, href string) (string, bool, error)
	ReplaceResource(ctx context.Context, calendarID int64, href, old, etag string, data []byte) error
}

// CopyWriter writes an agenda block into one calendar copy of a meeting
// (an empty block removes it). calendars.ErrNotWritable: the account may not
// change that copy.
type CopyWriter interface {
	WriteCopy(ctx context.Context, c Copy, m calendars.Meeting, block string) error
}

// reaches says who sees what is written into c. A Google event is one
// event shared by its guests: what the organizer's copy holds (the only
// copy Google lets anyone but a guest with edit rights change) every
// participant sees. A CalDAV copy is its owner's own resource: without
// server-side scheduling (and the agenda writes ask for none) nobody else
// sees it. A copy whose owner is unknown reaches nobody oneonone can
// name.
func (c Copy) reaches(people []string) []string {
	if c.Kind == "google" {
		return people
	}
	if slices.Contains(people, c.Owner) {
		return []string{c.Owner}
	}
	return nil
}

// seriesCopies lists the watched copies of a series, one per calendar
// (the resource with the master when a calendar holds several), the
// organizer's first. calendars.ErrNoMeeting when no calendar holds it.
func seriesCopies(ctx context.Context, st agendaStore, uid, organizer string) ([]Copy, error) {
	resources, err := st.Copies(ctx, uid)
	if err != nil {
		return nil, err
	}
	var out []Copy
	for _, r := range resources {
		c := Copy{Calendar: r.Calendar, Kind: r.Kind, Owner: strings.ToLower(r.Owner),
			ref: copyRef{calID: r.CalendarID, calendar: r.Calendar, href: r.Href}}
		if n := len(out); n > 0 && out[n-1].Calendar == c.Calendar {
			if hasMaster(r.Data, uid) {
				out[n-1].ref.href = c.ref.href
			}
			continue
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, calendars.ErrNoMeeting
	}
	organizer = strings.ToLower(organizer)
	slices.SortStableFunc(out, func(a, b Copy) int {
		switch {
		case a.Owner == organizer && b.Owner != organizer:
			return -1
		case b.Owner == organizer && a.Owner != organizer:
			return 1
		}
		return 0
	})
	return out, nil
}

// AgendaWriters writes each agenda into every watched copy of the
// meeting that it can write, with the writer for that copy's kind of
// calendar, and says who sees it there (prep.AgendaWriter): prep mails
// the others. A copy is skipped when everyone it would reach already
// sees the agenda in another (a Google guest's copy once the organizer's
// is written).
type AgendaWriters struct {
	DB     *sql.DB
	ByKind map[string]CopyWriter
}

// WriteAgenda implements prep.AgendaWriter. A copy that cannot be
// written (refused, or it lacks the occurrence) reaches nobody; any other
// failure is returned, so that the whole delivery is tried again.
func (ws AgendaWriters) WriteAgenda(ctx context.Context, m calendars.Meeting, block string) ([]string, error) {
	copies, err := seriesCopies(ctx, store.Agenda{DB: ws.DB}, m.SeriesUID, m.Organizer)
	if err != nil {
		return nil, fmt.Errorf("sync: agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, err)
	}
	people := peopleOf(m)
	var reached []string
	var errs []error
	for _, c := range copies {
		would := c.reaches(people)
		w, ok := ws.ByKind[c.Kind]
		if !ok || len(would) > 0 && allIn(would, reached) {
			continue
		}
		err := w.WriteCopy(ctx, c, m, block)
		switch {
		case err == nil:
			reached = union(reached, would)
		case errors.Is(err, calendars.ErrNotWritable), errors.Is(err, calendars.ErrNoOccurrence):
		default:
			errs = append(errs, err)
		}
	}
	return reached, errors.Join(errs...)
}

func peopleOf(m calendars.Meeting) []string {
	var out []string
	for _, p := range m.People {
		if p.Email != "" {
			out = append(out, strings.ToLower(p.Email))
		}
	}
	return out
}

func allIn(xs, set []string) bool {
	for _, x := range xs {
		if !slices.Contains(set, x) {
			return false
		}
	}
	return true
}

func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	slices.Sort(a)
	return a
}
