package microsoft365

import (
	"maps"
	"time"
)

// Cursor is where a mailbox's change feed stands.
type Cursor struct {
	// User is the mailbox the cursor reads; another one starts afresh.
	User string `json:"user,omitempty"`
	// DeltaLink is the @odata.deltaLink of the last complete read.
	DeltaLink string `json:"delta,omitempty"`
	// From and To are the calendarView window the delta link tracks; a
	// delta link keeps its window, so the feed starts a new one when
	// To falls behind the sync window.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Masters maps every series master delivered to its iCalUId.
	Masters map[string]string `json:"masters,omitempty"`
	// Instances are the occurrences and exceptions seen, by event id: an
	// @removed entry names only the id.
	Instances map[string]instance `json:"instances,omitempty"`
}

// instance is an occurrence or exception of a series.
type instance struct {
	Master string    `json:"m"`
	Start  time.Time `json:"s"`           // its originalStart
	Object bool      `json:"o,omitempty"` // delivered as its own object (an exception or a cancelled occurrence)
}

func (c Cursor) clone() Cursor {
	c.Masters = maps.Clone(c.Masters)
	if c.Masters == nil {
		c.Masters = map[string]string{}
	}
	c.Instances = maps.Clone(c.Instances)
	if c.Instances == nil {
		c.Instances = map[string]instance{}
	}
	return c
}

// objectsOf are the ids delivered as objects for master m, the master's
// own first when it was delivered.
func (c Cursor) objectsOf(m string) []string {
	var out []string
	if _, ok := c.Masters[m]; ok {
		out = append(out, m)
	}
	for id, in := range c.Instances {
		if in.Master == m && in.Object {
			out = append(out, id)
		}
	}
	return out
}

// forget drops master m and its instances from the cursor.
func (c Cursor) forget(m string) {
	delete(c.Masters, m)
	for id, in := range c.Instances {
		if in.Master == m {
			delete(c.Instances, id)
		}
	}
}
