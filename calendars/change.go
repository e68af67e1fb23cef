package calendars

// Object is one calendar resource as a change feed hands it over: for
// CalDAV the iCalendar resource at an href, for Google one event (with
// its exceptions) rendered as iCalendar under its event id.
type Object struct {
	Href, ETag string
	Data       []byte
}

// Delta is what changed in a calendar since a feed's cursor.
type Delta struct {
	Updated  []Object
	Deleted  []string // hrefs
	Resynced bool     // a full listing was reconciled (first sync, or an expired token)
	// Skipped are objects the provider could not hand over (too large to
	// read), as "href: why"; they are logged, and the feed moves past them.
	Skipped  []string
	Requests int
	Bytes    int64
}
