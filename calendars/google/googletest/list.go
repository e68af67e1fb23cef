package googletest

import (
	"sort"
	"strings"
	"time"

	"google.golang.org/api/calendar/v3"
)

// listQuery is a parsed events.list (or events.watch) request.
type listQuery struct {
	single      bool // singleEvents
	showDeleted bool
	incremental bool  // a syncToken was given
	since       int64 // change counter of the syncToken
	win         window
	updatedMin  time.Time
	iCalUID     string
	text        string // q
	orderBy     string
	private     []string
	shared      []string
	eventTypes  []string
	tz          *time.Location
}

func parseListQuery(c *call) (*listQuery, *apiError) {
	v := c.r.URL.Query()
	if err := checkSyncTokenCombination(v); err != nil {
		return nil, err
	}
	q := &listQuery{
		single: v.Get("singleEvents") == "true", showDeleted: v.Get("showDeleted") == "true",
		iCalUID: v.Get("iCalUID"), text: strings.ToLower(v.Get("q")), orderBy: v.Get("orderBy"),
		private: v["privateExtendedProperty"], shared: v["sharedExtendedProperty"], eventTypes: v["eventTypes"],
	}
	if q.orderBy == "startTime" && !q.single {
		return nil, paramError("invalid", "orderBy",
			"The requested ordering is not available for the particular query.")
	}
	// Formats were checked against the discovery document already.
	q.win.min, _ = time.Parse(time.RFC3339, v.Get("timeMin"))
	q.win.max, _ = time.Parse(time.RFC3339, v.Get("timeMax"))
	q.updatedMin, _ = time.Parse(time.RFC3339, v.Get("updatedMin"))
	if !q.win.min.IsZero() && !q.win.max.IsZero() && !q.win.min.Before(q.win.max) {
		return nil, &apiError{Code: 400, Reason: "timeRangeEmpty", Message: "The specified time range is empty."}
	}
	tz, err := requestZone(c)
	q.tz = tz
	return q, err
}

func requestZone(c *call) (*time.Location, *apiError) {
	name := c.q("timeZone")
	if name == "" {
		return nil, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, paramError("invalid", "timeZone", "Invalid time zone definition: "+name)
	}
	return loc, nil
}

func (s *Server) eventsList(c *call) (any, *apiError) {
	cal, err := s.calFor(c)
	if err != nil {
		return nil, err
	}
	q, err := parseListQuery(c)
	if err != nil {
		return nil, err
	}
	if c.q("pageToken") != "" {
		return s.nextPage(c, cal)
	}
	if tok := c.q("syncToken"); tok != "" {
		if q.since, err = s.syncSince(cal, tok, q.single); err != nil {
			return nil, err
		}
		q.incremental = true
	}
	items := s.collect(cal, q)
	q.sort(items, cal.loc())
	return s.page(c, cal, items, s.seq, q.single), nil
}

// collect is every item the query selects, in the stable default order
// (creation order; a recurring event's instances by start).
func (s *Server) collect(cal *calendarState, q *listQuery) []*calendar.Event {
	var out []*calendar.Event
	for _, rec := range cal.sorted() {
		ev := rec.ev
		if (q.incremental && rec.changed <= q.since) || !q.matches(ev) {
			continue
		}
		switch {
		case len(ev.Recurrence) > 0:
			out = append(out, s.listMaster(cal, q, ev)...)
		case ev.RecurringEventId != "":
			if item := s.listException(cal, q, ev); item != nil {
				out = append(out, item)
			}
		default:
			if item := s.listSingle(cal, q, ev); item != nil {
				out = append(out, item)
			}
		}
	}
	return out
}

// deletedVisible: "The list method returns cancelled events only on
// incremental sync (when syncToken or updatedMin are specified) or if the
// showDeleted flag is set to true."
func (q *listQuery) deletedVisible() bool {
	return q.incremental || q.showDeleted || !q.updatedMin.IsZero()
}

func (q *listQuery) deleted(cal *calendarState, ev *calendar.Event) *calendar.Event {
	if q.showDeleted {
		return render(cal, ev, q.tz)
	}
	return minimal(ev)
}

func (s *Server) listSingle(cal *calendarState, q *listQuery, ev *calendar.Event) *calendar.Event {
	start, end, ok := span(ev, cal.loc())
	if !ok || !q.win.contains(start, end) {
		return nil
	}
	if ev.Status == "cancelled" {
		if !q.deletedVisible() {
			return nil
		}
		return q.deleted(cal, ev)
	}
	return render(cal, ev, q.tz)
}

// listException: without singleEvents, cancelled instances are listed (in
// their sparse form) even when showDeleted is false; with singleEvents only
// when showDeleted is true (or on incremental sync).
func (s *Server) listException(cal *calendarState, q *listQuery, ev *calendar.Event) *calendar.Event {
	master := cal.events[ev.RecurringEventId]
	if master == nil || master.ev.Status == "cancelled" {
		return nil
	}
	if ev.Status == "cancelled" {
		start, end, ok := originalSpan(ev, master.ev, cal.loc())
		if !ok || !q.win.contains(start, end) || (q.single && !q.deletedVisible()) {
			return nil
		}
		return sparse(ev)
	}
	start, end, ok := span(ev, cal.loc())
	if !ok || !q.win.contains(start, end) {
		return nil
	}
	return render(cal, ev, q.tz)
}

func (s *Server) listMaster(cal *calendarState, q *listQuery, ev *calendar.Event) []*calendar.Event {
	deleted := ev.Status == "cancelled"
	if deleted && !q.deletedVisible() {
		return nil
	}
	limit := maxInstances
	if !q.single {
		limit = 1
	}
	origs := expand(ev, q.win, s.horizon(q.win.max), limit)
	if !q.single {
		if len(origs) == 0 && q.win != (window{}) {
			return nil
		}
		if deleted {
			return []*calendar.Event{q.deleted(cal, ev)}
		}
		return []*calendar.Event{render(cal, ev, q.tz)}
	}
	// "If showDeleted and singleEvents are both True, only single instances
	// of deleted events (but not the underlying recurring events) are
	// returned."
	var out []*calendar.Event
	for _, orig := range origs {
		inst := virtualInstance(ev, orig)
		start, end, _ := span(inst, cal.loc())
		if _, isException := cal.events[inst.Id]; isException || !q.win.contains(start, end) {
			continue
		}
		if deleted {
			out = append(out, sparse(inst))
		} else {
			out = append(out, render(cal, inst, q.tz))
		}
	}
	return out
}

// horizon bounds the expansion of rules without an end: two years past now
// when the request gives no timeMax.
func (s *Server) horizon(max time.Time) time.Time {
	if !max.IsZero() {
		return max
	}
	return s.now().AddDate(2, 0, 0)
}

func (q *listQuery) matches(ev *calendar.Event) bool {
	if q.iCalUID != "" && ev.ICalUID != q.iCalUID {
		return false
	}
	if !q.updatedMin.IsZero() {
		if u, err := time.Parse(time.RFC3339, ev.Updated); err == nil && u.Before(q.updatedMin) {
			return false
		}
	}
	if len(q.eventTypes) > 0 && !contains(q.eventTypes, eventType(ev)) {
		return false
	}
	if q.text != "" && !strings.Contains(searchText(ev), q.text) {
		return false
	}
	return matchProps(q.private, ev, false) && matchProps(q.shared, ev, true)
}

func eventType(ev *calendar.Event) string {
	if ev.EventType == "" {
		return "default"
	}
	return ev.EventType
}

func searchText(ev *calendar.Event) string {
	parts := []string{ev.Summary, ev.Description, ev.Location}
	if ev.Organizer != nil {
		parts = append(parts, ev.Organizer.Email, ev.Organizer.DisplayName)
	}
	for _, a := range ev.Attendees {
		parts = append(parts, a.Email, a.DisplayName)
	}
	return strings.ToLower(strings.Join(parts, "\n"))
}

func matchProps(constraints []string, ev *calendar.Event, shared bool) bool {
	var props map[string]string
	if ev.ExtendedProperties != nil {
		props = ev.ExtendedProperties.Private
		if shared {
			props = ev.ExtendedProperties.Shared
		}
	}
	for _, c := range constraints {
		name, value, _ := strings.Cut(c, "=")
		if got, ok := props[name]; !ok || got != value {
			return false
		}
	}
	return true
}

func (q *listQuery) sort(items []*calendar.Event, loc *time.Location) {
	switch q.orderBy {
	case "startTime":
		sort.SliceStable(items, func(i, j int) bool {
			return startOf(items[i], loc).Before(startOf(items[j], loc))
		})
	case "updated":
		sort.SliceStable(items, func(i, j int) bool { return items[i].Updated < items[j].Updated })
	}
}

// startOf is when an item starts; for sparse cancelled instances, when it
// was meant to start.
func startOf(ev *calendar.Event, loc *time.Location) time.Time {
	if ev.Start == nil && ev.OriginalStartTime != nil {
		t, _, _ := span(&calendar.Event{Start: ev.OriginalStartTime, End: ev.OriginalStartTime}, loc)
		return t
	}
	t, _, _ := span(ev, loc)
	return t
}
