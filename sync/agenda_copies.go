package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/sync/store"
)

// Copy is one watched calendar's copy of a series: where an agenda can
// be written.
type Copy struct {
	Calendar string            // config name
	Sharing  calendars.Sharing // who sees what is written into it
	Owner    string            // the calendar owner's address, "" when unknown
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

// reaches says who sees what is written into c. A shared event
// (calendars.OneEvent, Google) is one event seen by its guests: what the
// organizer's copy holds (the only copy anyone but a guest with edit
// rights may change) every participant sees. An own copy
// (calendars.OwnCopies, CalDAV) is its owner's own resource: without
// server-side scheduling (and the agenda writes ask for none) nobody else
// sees it. A copy whose owner is unknown reaches nobody oneonone can
// name.
func (c Copy) reaches(people []string) []string {
	if c.Sharing == calendars.OneEvent {
		return people
	}
	if slices.Contains(people, c.Owner) {
		return []string{c.Owner}
	}
	return nil
}

// organizersNotifying is the organizer's copy where a change sends every
// attendee an update (calendars.AttendeeCopies): never written.
func (c Copy) organizersNotifying(organizer string) bool {
	return c.Sharing == calendars.AttendeeCopies && c.Owner != "" && c.Owner == strings.ToLower(organizer)
}

// seriesCopies lists the watched copies of a series, one per calendar
// (the resource with the master when a calendar holds several), the
// organizer's first, each with the sharing of its calendar.
// calendars.ErrNoMeeting when no calendar holds it.
func seriesCopies(ctx context.Context, st agendaStore, uid, organizer string, sharing func(store.Resource) calendars.Sharing) ([]Copy, error) {
	resources, err := st.Copies(ctx, uid)
	if err != nil {
		return nil, err
	}
	var out []Copy
	for _, r := range resources {
		c := Copy{Calendar: r.Calendar, Sharing: sharing(r), Owner: strings.ToLower(r.Owner),
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
// meeting that can be written, through the writer of that copy's
// calendar as the scheduler last set it up, and says who sees it there
// (prep.AgendaWriter): prep mails the others. A copy is skipped when
// everyone it would reach already sees the agenda in another (a Google
// guest's copy once the organizer's is written), or when its calendar
// cannot be written (no Writer).
type AgendaWriters struct {
	DB        *sql.DB
	Calendars func() []Calendar // the calendars set up now (Scheduler.Current)
	Now       func() time.Time  // nil means time.Now
}

// WriteAgenda implements prep.AgendaWriter. A copy that cannot be
// written (refused, or it lacks the occurrence) reaches nobody; any other
// failure (a calendar not set up yet among them) is returned, so that the
// whole delivery is tried again.
func (ws AgendaWriters) WriteAgenda(ctx context.Context, m calendars.Meeting, block string) ([]string, error) {
	set := ws.Calendars()
	st := store.Agenda{DB: ws.DB}
	copies, err := seriesCopies(ctx, st, m.SeriesUID, m.Organizer, liveSharing(set))
	if err != nil {
		return nil, fmt.Errorf("sync: agenda of %s %s: %w", m.SeriesUID, m.RecurrenceID, err)
	}
	people := peopleOf(m)
	var reached []string
	var errs []error
	for _, c := range copies {
		would := c.reaches(people)
		cal, ok := findCalendar(set, c.Calendar)
		if ok && cal.Writer == nil || len(would) > 0 && allIn(would, reached) || c.organizersNotifying(m.Organizer) {
			continue
		}
		err := calendars.ErrNotSetUp // not a refusal: the next tick tries again
		if ok {
			err = writeCopy(ctx, st, cal.Writer, c.ref, m, block, clock(ws.Now))
		}
		switch {
		case err == nil:
			reached = union(reached, would)
		case errors.Is(err, calendars.ErrNotWritable), errors.Is(err, calendars.ErrNoOccurrence):
		default:
			errs = append(errs, fmt.Errorf("sync: agenda of %s %s in %s: %w", m.SeriesUID, m.RecurrenceID, c.Calendar, err))
		}
	}
	return reached, errors.Join(errs...)
}

// liveSharing is the sharing of each copy's calendar as set up; a copy
// of a calendar not set up now counts as its owner's own.
func liveSharing(set []Calendar) func(store.Resource) calendars.Sharing {
	return func(r store.Resource) calendars.Sharing {
		cal, _ := findCalendar(set, r.Calendar)
		return cal.Sharing
	}
}

// KindSharing tells, by a calendar's kind (its provider as configured),
// how its copies are shared: for plans made without setting calendars up
// (`oneonone series`). nil, or an unknown kind, is calendars.OwnCopies.
type KindSharing func(kind string) calendars.Sharing

func (k KindSharing) of(r store.Resource) calendars.Sharing {
	if k == nil {
		return calendars.OwnCopies
	}
	return k(r.Kind)
}

func findCalendar(set []Calendar, name string) (Calendar, bool) {
	for _, c := range set {
		if c.Name == name {
			return c, true
		}
	}
	return Calendar{}, false
}

func clock(now func() time.Time) time.Time {
	if now == nil {
		return time.Now()
	}
	return now()
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
