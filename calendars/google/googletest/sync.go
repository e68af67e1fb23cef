package googletest

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/api/calendar/v3"
)

const (
	defaultPageSize = 250
	maxPageSize     = 2500
)

type syncState struct {
	tokens map[string]syncToken
	pages  map[string]*pageSnap
}

func (st *syncState) init() {
	st.tokens = map[string]syncToken{}
	st.pages = map[string]*pageSnap{}
}

// syncToken remembers what a nextSyncToken stands for: the calendar, the
// change counter when the listing began, and whether it listed instances.
type syncToken struct {
	cal    string
	seq    int64
	single bool
}

// pageSnap is the rest of a listing, handed out page by page.
type pageSnap struct {
	cal    string
	query  string // canonical query; the next pages must ask the same
	items  []*calendar.Event
	seq    int64 // for the nextSyncToken of the last page; -1 for none
	single bool
}

// ExpireSyncTokens invalidates every sync token handed out so far: the next
// list with one of them gets 410 Gone, reason fullSyncRequired.
func (s *Server) ExpireSyncTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncs.tokens = map[string]syncToken{}
}

// canonicalQuery is the query without paging and standard parameters, used
// to check that a pageToken is used with the query that produced it.
func canonicalQuery(q url.Values) string {
	c := url.Values{}
	for k, v := range q {
		switch k {
		case "pageToken", "maxResults", "alt", "prettyPrint", "fields", "quotaUser", "key", "oauth_token", "userIp":
			continue
		}
		v = append([]string(nil), v...)
		sort.Strings(v)
		c[k] = v
	}
	return c.Encode()
}

func pageSize(c *call) int {
	n, err := strconv.Atoi(c.q("maxResults"))
	switch {
	case err != nil:
		return defaultPageSize
	case n > maxPageSize:
		return maxPageSize
	}
	return n
}

// page answers one page of items. seq >= 0 puts a nextSyncToken on the last
// page; earlier pages carry only a nextPageToken.
func (s *Server) page(c *call, cal *calendarState, items []*calendar.Event, seq int64, single bool) any {
	env := s.eventsEnvelope(cal, c.subject)
	n := pageSize(c)
	if len(items) > n {
		tok := randomString(18)
		s.syncs.pages[tok] = &pageSnap{cal: cal.id, query: canonicalQuery(c.r.URL.Query()),
			items: items[n:], seq: seq, single: single}
		env.NextPageToken = tok
		items = items[:n]
	} else if seq >= 0 {
		tok := randomString(24)
		s.syncs.tokens[tok] = syncToken{cal: cal.id, seq: seq, single: single}
		env.NextSyncToken = tok
	}
	env.Items = append(env.Items, items...)
	return env
}

// nextPage continues a listing from its pageToken.
func (s *Server) nextPage(c *call, cal *calendarState) (any, *apiError) {
	snap := s.syncs.pages[c.q("pageToken")]
	if snap == nil || snap.cal != cal.id {
		return nil, paramError("invalid", "pageToken", "Invalid page token value.")
	}
	if snap.query != canonicalQuery(c.r.URL.Query()) {
		return nil, paramError("invalid", "pageToken",
			"The page token was issued for a request with different parameters.")
	}
	delete(s.syncs.pages, c.q("pageToken"))
	return s.page(c, cal, snap.items, snap.seq, snap.single), nil
}

// syncSince resolves a syncToken to the change counter it stands for.
// Unknown, expired or other calendars' tokens are 410 fullSyncRequired.
func (s *Server) syncSince(cal *calendarState, tok string, single bool) (int64, *apiError) {
	st, ok := s.syncs.tokens[tok]
	if !ok || st.cal != cal.id {
		return 0, fullSyncRequired()
	}
	if st.single != single {
		return 0, paramError("invalid", "singleEvents",
			"singleEvents must be the same as in the request that returned the sync token "+
				"(the documentation calls anything else undefined behaviour).")
	}
	return st.seq, nil
}

// noSyncTokenWith are the parameters the syncToken documentation says
// cannot be combined with it.
var noSyncTokenWith = []string{"iCalUID", "orderBy", "privateExtendedProperty", "q",
	"sharedExtendedProperty", "timeMin", "timeMax", "updatedMin"}

func checkSyncTokenCombination(q url.Values) *apiError {
	if q.Get("syncToken") == "" {
		return nil
	}
	for _, name := range noSyncTokenWith {
		if _, ok := q[name]; ok {
			return paramError("invalid", name, "Sync token cannot be used with "+name+
				" (one of "+strings.Join(noSyncTokenWith, ", ")+").")
		}
	}
	return nil
}
