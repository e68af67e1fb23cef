package googletest

import (
	"sort"
	"time"

	"google.golang.org/api/calendar/v3"
)

// eventsInstances lists the instances of a recurring event: its exceptions
// (moved, changed or cancelled instances) and the instances its rule makes
// that have no exception. timeMin is inclusive here (for events.list it is
// exclusive), as the two methods document. Cancelled instances appear, in
// their sparse form, only with showDeleted=true.
func (s *Server) eventsInstances(c *call) (any, *apiError) {
	cal, err := s.calFor(c)
	if err != nil {
		return nil, err
	}
	rec := cal.events[c.params["eventId"]]
	if rec == nil {
		return nil, notFound()
	}
	if rec.ev.Status == "cancelled" {
		return nil, gone()
	}
	if c.q("pageToken") != "" {
		return s.nextPage(c, cal)
	}
	tz, err := requestZone(c)
	if err != nil {
		return nil, err
	}
	w := window{inclusive: true}
	w.min, _ = time.Parse(time.RFC3339, c.q("timeMin"))
	w.max, _ = time.Parse(time.RFC3339, c.q("timeMax"))
	if len(rec.ev.Recurrence) == 0 {
		return s.page(c, cal, []*calendar.Event{render(cal, rec.ev, tz)}, -1, true), nil
	}
	items := s.instances(cal, rec.ev, w, c.q("showDeleted") == "true", tz)
	if os := c.q("originalStart"); os != "" {
		items = withOriginalStart(items, os)
	}
	return s.page(c, cal, items, -1, true), nil
}

func (s *Server) instances(cal *calendarState, master *calendar.Event, w window, showDeleted bool, tz *time.Location) []*calendar.Event {
	var items []*calendar.Event
	for _, orig := range expand(master, window{}, s.horizon(w.max), maxInstances) {
		inst := virtualInstance(master, orig)
		if ex := cal.events[inst.Id]; ex != nil {
			inst = ex.ev
		}
		start, end, _ := span(inst, cal.loc())
		if inst.Status == "cancelled" {
			start, end, _ = originalSpan(inst, master, cal.loc())
		}
		switch {
		case !w.contains(start, end):
		case inst.Status == "cancelled" && showDeleted:
			items = append(items, sparse(inst))
		case inst.Status != "cancelled":
			items = append(items, render(cal, inst, tz))
		}
	}
	items = append(items, s.movedIn(cal, master, w, items, tz)...)
	sort.SliceStable(items, func(i, j int) bool {
		return startOf(items[i], cal.loc()).Before(startOf(items[j], cal.loc()))
	})
	return items
}

// movedIn are exceptions moved into the window from an original time
// beyond the expansion horizon.
func (s *Server) movedIn(cal *calendarState, master *calendar.Event, w window, have []*calendar.Event, tz *time.Location) []*calendar.Event {
	seen := map[string]bool{}
	for _, it := range have {
		seen[it.Id] = true
	}
	var out []*calendar.Event
	for _, rec := range cal.sorted() {
		ev := rec.ev
		if ev.RecurringEventId != master.Id || seen[ev.Id] || ev.Status == "cancelled" {
			continue
		}
		start, end, ok := span(ev, cal.loc())
		orig, _, err := parseEDT(ev.OriginalStartTime)
		if ok && err == nil && w.contains(start, end) && isOccurrence(master, orig) {
			out = append(out, render(cal, ev, tz))
		}
	}
	return out
}

func withOriginalStart(items []*calendar.Event, want string) []*calendar.Event {
	t, err := time.Parse(time.RFC3339, want)
	if err != nil {
		t, err = time.Parse("2006-01-02", want)
	}
	var out []*calendar.Event
	for _, it := range items {
		if it.OriginalStartTime == nil || err != nil {
			continue
		}
		if o, _, e := parseEDT(it.OriginalStartTime); e == nil && o.Equal(t) {
			out = append(out, it)
		}
	}
	return out
}
