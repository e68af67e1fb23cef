package graphtest

// GET, PATCH and DELETE of one event follow "Get event", "Update event" and
// "Delete event": GET answers the full event with @odata.etag; PATCH takes
// the writable properties, answers 200 with the updated event, and with
// If-Match answers 412 Precondition Failed when the etag is not the
// current one (Graph's optimistic concurrency on Outlook items, error code
// ErrorIrresolvableConflict); PATCH of an occurrence turns it into an
// exception with the same id; an unknown property is 400. DELETE answers 204.
// An occurrence's etag is its master's (it has no item of its own), so any
// change to the series, a new exception included, makes it stale: a client
// must be ready for 412 and read again.

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

func (s *Server) handleGetEvent(w http.ResponseWriter, r *http.Request, mb *mailbox, id string) {
	p := parsePrefer(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.lookup(mb, id)
	if !ok {
		notFound(w)
		return
	}
	ev := s.renderFull(mb, p, e)
	ev["@odata.context"] = s.GraphEndpoint() + "$metadata#users('" + mb.id + "')/events/$entity"
	p.apply(w)
	w.Header().Set("ETag", ev["@odata.etag"].(string))
	writeJSON(w, 200, ev)
}

func notFound(w http.ResponseWriter) {
	graphError(w, 404, "ErrorItemNotFound", "The specified object was not found in the store.")
}

// readOnly properties a client may send back unchanged; they are ignored.
var readOnly = map[string]bool{"id": true, "changeKey": true, "iCalUId": true,
	"createdDateTime": true, "lastModifiedDateTime": true, "type": true, "seriesMasterId": true,
	"organizer": true, "isOrganizer": true, "originalStart": true, "webLink": true,
	"originalStartTimeZone": true, "originalEndTimeZone": true, "bodyPreview": true, "responseStatus": true}

// meaningful properties: an organizer's change to them sends an update.
var meaningful = map[string]bool{"subject": true, "body": true, "start": true, "end": true,
	"location": true, "attendees": true, "recurrence": true}

var writable = map[string]bool{"isReminderOn": true, "reminderMinutesBeforeStart": true,
	"categories": true, "showAs": true, "importance": true, "sensitivity": true, "isAllDay": false}

func (s *Server) handlePatchEvent(w http.ResponseWriter, r *http.Request, mb *mailbox, id string) {
	p := parsePrefer(r)
	raw, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	var patch map[string]json.RawMessage
	if err == nil {
		err = json.Unmarshal(raw, &patch)
	}
	if err != nil {
		graphError(w, 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return
	}
	for k := range patch {
		if !strings.HasPrefix(k, "@odata.") && !readOnly[k] && !meaningful[k] && !writable[k] {
			graphError(w, 400, "RequestBodyRead", "The property '"+k+"' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.lookup(mb, id)
	if !ok {
		notFound(w)
		return
	}
	if m := r.Header.Get("If-Match"); m != "" && m != "*" && m != e.it.etag() {
		graphError(w, 412, "ErrorIrresolvableConflict", "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.")
		return
	}
	change, err := patchFunc(patch)
	if err != nil {
		graphError(w, 400, "ErrorInvalidRequest", err.Error())
		return
	}
	target := e.it
	if e.kind == "occurrence" {
		target = s.materialize(mb, e.it, e.originalStart)
	}
	if target.isOrganizer && touchesMeeting(patch) {
		s.organizerChange(target.iCalUID, e.originalStart, ViaGraph, KindUpdate, change)
	} else {
		change(target)
		s.touch(target)
		s.changed()
	}
	e, _ = s.lookup(mb, id)
	p.apply(w)
	writeJSON(w, 200, s.renderFull(mb, p, e))
}

func touchesMeeting(patch map[string]json.RawMessage) bool {
	for k := range patch {
		if meaningful[k] {
			return true
		}
	}
	return false
}

type dateTimeTZ struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

func (d dateTimeTZ) time() (time.Time, error) {
	loc := zoneLoc(d.TimeZone)
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSuffix(d.DateTime, "Z"), loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &badValue{"dateTime", d.DateTime}
}

type badValue struct{ prop, val string }

func (b *badValue) Error() string {
	return "Cannot convert the literal '" + b.val + "' to the expected type of '" + b.prop + "'."
}

// patchFunc turns a PATCH body into a change to an item.
func patchFunc(patch map[string]json.RawMessage) (func(*item), error) {
	var fns []func(*item)
	for k, v := range patch {
		parse := setters[k]
		if parse == nil {
			continue // read-only or not modelled (reminders, categories, …)
		}
		f, err := parse(v)
		if err != nil {
			return nil, &badValue{k, string(v)}
		}
		fns = append(fns, f)
	}
	return func(it *item) {
		for _, f := range fns {
			f(it)
		}
	}, nil
}

// setters parse the writable properties the fake models.
var setters = map[string]func(json.RawMessage) (func(*item), error){
	"subject": func(v json.RawMessage) (func(*item), error) {
		var sub string
		err := json.Unmarshal(v, &sub)
		return func(it *item) { it.subject = sub }, err
	},
	"body": func(v json.RawMessage) (func(*item), error) {
		var b struct{ ContentType, Content string }
		err := json.Unmarshal(v, &b)
		return func(it *item) { it.bodyHTML = storeBody(b.ContentType, b.Content) }, err
	},
	"location": func(v json.RawMessage) (func(*item), error) {
		var l struct{ DisplayName string }
		err := json.Unmarshal(v, &l)
		return func(it *item) { it.location = l.DisplayName }, err
	},
	"start": func(v json.RawMessage) (func(*item), error) {
		t, err := parseDateTimeTZ(v)
		return func(it *item) { it.start = t }, err
	},
	"end": func(v json.RawMessage) (func(*item), error) {
		t, err := parseDateTimeTZ(v)
		return func(it *item) { it.end = t }, err
	},
	"attendees": parseAttendees,
}

func parseDateTimeTZ(v json.RawMessage) (time.Time, error) {
	var d dateTimeTZ
	if err := json.Unmarshal(v, &d); err != nil {
		return time.Time{}, err
	}
	return d.time()
}

// parseAttendees replaces the attendee list, keeping known responses.
func parseAttendees(v json.RawMessage) (func(*item), error) {
	var as []struct {
		Type         string
		EmailAddress struct{ Name, Address string }
	}
	if err := json.Unmarshal(v, &as); err != nil {
		return nil, err
	}
	return func(it *item) {
		old := map[string]string{}
		for _, a := range it.attendees {
			old[a.Address] = a.Response
		}
		it.attendees = nil
		for _, a := range as {
			addr := strings.ToLower(a.EmailAddress.Address)
			it.attendees = append(it.attendees, Attendee{Address: addr, Name: a.EmailAddress.Name,
				Type: orDefault(a.Type, TypeRequired), Response: orDefault(old[addr], ResponseNone)})
		}
	}, nil
}

func (s *Server) handleDeleteEvent(w http.ResponseWriter, r *http.Request, mb *mailbox, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.lookup(mb, id)
	if !ok {
		notFound(w)
		return
	}
	it := e.it
	if e.kind == "exception" {
		it = mb.items[e.it.masterID]
	}
	if it.isOrganizer && len(it.attendees) > 0 {
		s.cancel(it.iCalUID, e.originalStart, ViaGraph)
	} else {
		s.remove(copyRef{mb, it}, e.originalStart)
		s.changed()
	}
	w.WriteHeader(http.StatusNoContent)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
