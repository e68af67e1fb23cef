package graphtest

// calendarView delta follows "event: delta" and "Get incremental changes to
// events in a calendar view": the first request names startDateTime and
// endDateTime (ISO 8601; without an offset they are UTC, and Prefer:
// outlook.timezone does not change them); every response is a page of at
// most odata.maxpagesize events with either @odata.nextLink ($skiptoken) or,
// on the last page, @odata.deltaLink ($deltatoken); state tokens encode the
// window, so later requests carry only the token. A round on a deltaLink
// returns only what changed since, a removed event as {"id", "@removed":
// {"reason": "deleted"}}; a round with no change is one empty page with a
// new deltaLink. A token the service no longer holds answers 410 Gone with
// code syncStateNotFound (or resyncRequired): start again with a full
// synchronization. Without Prefer: odata.maxpagesize pages hold
// defaultPageSize events (an assumption: the docs do not give the number).

import (
	"net/http"
	"time"
)

const defaultPageSize = 10

type deltaState struct {
	mailboxID string
	from, to  time.Time
	seen      map[string]string // id -> fingerprint the client has
	expired   string            // error code once expired
}

type deltaRound struct {
	mailboxID string
	changed   []entry
	removed   []string
	offset    int
	next      *deltaState
	expired   string
}

type deltaStore struct {
	states map[string]*deltaState
	rounds map[string]*deltaRound
}

func (d *deltaStore) init() {
	d.states = map[string]*deltaState{}
	d.rounds = map[string]*deltaRound{}
}

// ExpireDeltaTokens makes every delta and skip token issued so far answer
// 410 Gone with code ("syncStateNotFound" or "resyncRequired").
func (s *Server) ExpireDeltaTokens(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.deltas.states {
		st.expired = code
	}
	for _, r := range s.deltas.rounds {
		r.expired = code
	}
}

func (s *Server) handleDelta(w http.ResponseWriter, r *http.Request, mb *mailbox) {
	p := parsePrefer(r)
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	var round *deltaRound
	var skip string
	switch {
	case q.Get("$skiptoken") != "":
		skip = q.Get("$skiptoken")
		round = s.deltas.rounds[skip]
		if round == nil || round.mailboxID != mb.id || round.expired != "" {
			gone(w, round.expiredCode())
			return
		}
	case q.Get("$deltatoken") != "":
		st := s.deltas.states[q.Get("$deltatoken")]
		if st == nil || st.mailboxID != mb.id || st.expired != "" {
			gone(w, st.expiredCode())
			return
		}
		round = s.newRound(mb, st.from, st.to, st.seen)
	default:
		from, err1 := parseWindow(q.Get("startDateTime"))
		to, err2 := parseWindow(q.Get("endDateTime"))
		if err1 != nil || err2 != nil {
			graphError(w, 400, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.")
			return
		}
		round = s.newRound(mb, from, to, nil)
	}
	s.writePage(w, mb, p, round, skip)
}

// gone answers 410 for an expired or unknown token.
func gone(w http.ResponseWriter, code string) {
	if code == "" {
		code = "syncStateNotFound"
	}
	graphError(w, 410, code, "The sync state generation is not found. The delta token is expired and data must be synchronized again.")
}

func (r *deltaRound) expiredCode() string {
	if r == nil {
		return ""
	}
	return r.expired
}

func (st *deltaState) expiredCode() string {
	if st == nil {
		return ""
	}
	return st.expired
}

func parseWindow(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	return time.ParseInLocation("2006-01-02T15:04:05.9999999", v, time.UTC)
}

// newRound compares the view with what the client has seen.
func (s *Server) newRound(mb *mailbox, from, to time.Time, seen map[string]string) *deltaRound {
	cur := s.view(mb, from, to)
	next := &deltaState{mailboxID: mb.id, from: from, to: to, seen: map[string]string{}}
	r := &deltaRound{mailboxID: mb.id, next: next}
	for _, e := range cur {
		fp := e.fingerprint()
		next.seen[e.id] = fp
		if old, ok := seen[e.id]; !ok || old != fp {
			r.changed = append(r.changed, e)
		}
	}
	for id := range seen {
		if _, ok := next.seen[id]; !ok {
			r.removed = append(r.removed, id)
		}
	}
	return r
}

// writePage answers one page of a round and registers the next token.
func (s *Server) writePage(w http.ResponseWriter, mb *mailbox, p prefs, r *deltaRound, skip string) {
	size := p.pageSize
	if size == 0 {
		size = defaultPageSize
	}
	value := []map[string]any{}
	total := len(r.changed) + len(r.removed)
	end := min(r.offset+size, total)
	for i := r.offset; i < end; i++ {
		if i < len(r.changed) {
			e := r.changed[i]
			if e.kind == "occurrence" {
				value = append(value, p.renderOccurrence(e))
			} else {
				value = append(value, s.renderFull(mb, p, e))
			}
			continue
		}
		value = append(value, map[string]any{"@odata.type": "#microsoft.graph.event",
			"id": r.removed[i-len(r.changed)], "@removed": map[string]any{"reason": "deleted"}})
	}
	if skip != "" {
		delete(s.deltas.rounds, skip)
	}
	base := s.GraphEndpoint() + "users/" + mb.id + "/calendarView/delta?"
	body := map[string]any{"@odata.context": s.GraphEndpoint() + "$metadata#Collection(event)", "value": value}
	if end < total {
		tok := randomB64(48)
		r.offset = end
		s.deltas.rounds[tok] = r
		body["@odata.nextLink"] = base + "$skiptoken=" + tok
	} else {
		tok := randomB64(48)
		s.deltas.states[tok] = r.next
		body["@odata.deltaLink"] = base + "$deltatoken=" + tok
	}
	p.apply(w)
	writeJSON(w, 200, body)
}
