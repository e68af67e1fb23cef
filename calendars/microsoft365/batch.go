package microsoft365

import (
	"slices"
	"time"
)

// batch is what one read of the delta says, by series: the masters
// touched, the exceptions listed and the instances removed.
type batch struct {
	next       Cursor
	masters    []string // touched series masters, in the order first met
	touched    map[string]bool
	exceptions map[string]*event // exceptions listed, by id
	removed    map[string]bool   // instances removed, by id
	plain      map[string]bool   // plain occurrences listed, by id
}

func newBatch(next Cursor) *batch {
	return &batch{next: next, touched: map[string]bool{}, exceptions: map[string]*event{}, removed: map[string]bool{},
		plain: map[string]bool{}}
}

func (b *batch) touch(m string) {
	if m != "" && !b.touched[m] {
		b.touched[m] = true
		b.masters = append(b.masters, m)
	}
}

// add sorts the delta's items into the batch. One-off events
// (singleInstance) are left out: a one-off is never a tracked series.
func (b *batch) add(items []event) {
	for i := range items {
		ev := &items[i]
		switch {
		case ev.removed():
			if in, ok := b.next.Instances[ev.ID]; ok {
				b.removed[ev.ID] = true
				b.touch(in.Master)
			} else if _, ok := b.next.Masters[ev.ID]; ok {
				b.touch(ev.ID)
			}
		case ev.Type == "seriesMaster":
			b.touch(ev.ID)
		case ev.Type == "occurrence" || ev.Type == "exception":
			if ev.SeriesMasterID == "" {
				continue
			}
			start, err := originalStart(ev)
			if err != nil {
				continue
			}
			in := b.next.Instances[ev.ID]
			in.Master, in.Start = ev.SeriesMasterID, start
			b.next.Instances[ev.ID] = in
			delete(b.removed, ev.ID)
			if ev.Type == "exception" {
				b.exceptions[ev.ID] = ev
				delete(b.plain, ev.ID)
			} else {
				b.plain[ev.ID] = true
				delete(b.exceptions, ev.ID)
			}
			b.touch(ev.SeriesMasterID)
		}
	}
}

// reconcile is the end of a full read: an instance known from before
// that the window should hold but the read did not list was deleted
// meanwhile; a series still in the window with nothing listed is read
// again (its master says whether it still exists). Nothing is dropped on
// absence alone. What the window has left behind is forgotten: plain
// occurrences before it, and series with nothing left in it (their
// records stay with the engine).
func (b *batch) reconcile(items []event, from, to time.Time) {
	listed := make(map[string]bool, len(items))
	for _, ev := range items {
		if !ev.removed() {
			listed[ev.ID] = true
		}
	}
	current := map[string]bool{} // masters with an instance listed or in the window
	for _, id := range sortedIDs(b.next.Instances) {
		in := b.next.Instances[id]
		switch {
		case listed[id]:
			current[in.Master] = true
		case in.Start.Before(from):
			if !in.Object {
				delete(b.next.Instances, id)
			}
		case in.Start.Before(to):
			current[in.Master] = true
			b.removed[id] = true
			b.touch(in.Master)
		}
	}
	for _, m := range sortedIDs(b.next.Masters) {
		if current[m] || b.touched[m] {
			b.touch(m)
		} else {
			b.next.forget(m)
		}
	}
}

// instancesOf are the instances of master m the batch has news of.
func (b *batch) instancesOf(m string) []string {
	var out []string
	for id, in := range b.next.Instances {
		if in.Master == m && (b.removed[id] || b.exceptions[id] != nil || b.plain[id] && in.Object) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// deleteSeries forgets a series whose master is gone and returns the
// ids delivered for it.
func (b *batch) deleteSeries(m string) []string {
	out := b.next.objectsOf(m)
	slices.Sort(out)
	b.next.forget(m)
	return out
}

func sortedIDs[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
