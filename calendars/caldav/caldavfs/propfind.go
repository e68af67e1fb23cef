package caldavfs

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// propfind answers PROPFIND on the root, the principal/home, a calendar or
// an object, with Depth 0, 1 or infinity.
func (s *Server) propfind(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req propfindReq
	if len(bytes.TrimSpace(body)) > 0 {
		if err := xml.Unmarshal(body, &req); err != nil {
			http.Error(w, "caldavfs: bad PROPFIND body: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	depth := -1 // infinity
	switch strings.ToLower(r.Header.Get("Depth")) {
	case "0":
		depth = 0
	case "1":
		depth = 1
	case "", "infinity":
	default:
		http.Error(w, "caldavfs: bad Depth", http.StatusBadRequest)
		return
	}
	var resps []response
	emit := func(href string, p props) { resps = append(resps, answer(href, p, req.propSel)) }
	if !s.walk(s.resolve(r.URL.Path), depth, emit) {
		http.Error(w, "caldavfs: not found", http.StatusNotFound)
		return
	}
	writeMultistatus(w, resps)
}

// walk emits the properties of t and, depth levels down (negative: all), of
// its members. It reports false when t does not exist.
func (s *Server) walk(t target, depth int, emit func(string, props)) bool {
	switch t.kind {
	case kindRoot:
		emit("/", s.rootProps())
		if depth != 0 {
			s.walk(target{kind: kindHome}, depth-1, emit)
		}
	case kindHome:
		emit(s.homePath(), s.homeProps())
		if depth != 0 {
			for _, c := range s.store.calendars() {
				s.walk(target{kind: kindCalendar, cal: c}, depth-1, emit)
			}
		}
	case kindCalendar:
		entries, ctag, err := s.store.list(t.cal)
		if err != nil {
			return false
		}
		emit(s.calPath(t.cal), s.calendarProps(t.cal, ctag))
		if depth != 0 {
			for _, e := range entries {
				emit(s.objPath(t.cal, e.name), objectProps(e.meta))
			}
		}
	case kindObject:
		m, ok := s.store.stat(t.cal, t.name)
		if !ok {
			return false
		}
		emit(s.objPath(t.cal, t.name), objectProps(m))
	default:
		return false
	}
	return true
}

func (s *Server) rootProps() props {
	return props{
		davName("resourcetype"):           elems(davName("collection")),
		davName("current-user-principal"): hrefXML(s.homePath()),
		caldavName("calendar-home-set"):   hrefXML(s.homePath()),
	}
}

func (s *Server) homeProps() props {
	return props{
		davName("resourcetype"):           elems(davName("collection"), davName("principal")),
		davName("displayname"):            text(s.user),
		davName("current-user-principal"): hrefXML(s.homePath()),
		davName("principal-URL"):          hrefXML(s.homePath()),
		davName("owner"):                  hrefXML(s.homePath()),
		caldavName("calendar-home-set"):   hrefXML(s.homePath()),
	}
}

func (s *Server) calendarProps(cal, ctag string) props {
	var comps strings.Builder
	for _, c := range components {
		comps.WriteString(`<comp xmlns="` + nsCalDAV + `" name="` + text(c) + `"/>`)
	}
	var reports strings.Builder
	for _, n := range []string{"calendar-multiget", "calendar-query"} {
		reports.WriteString(`<supported-report xmlns="DAV:"><report>` + elems(caldavName(n)) + `</report></supported-report>`)
	}
	return props{
		davName("resourcetype"):                        elems(davName("collection"), caldavName("calendar")),
		davName("displayname"):                         text(cal),
		davName("current-user-principal"):              hrefXML(s.homePath()),
		davName("owner"):                               hrefXML(s.homePath()),
		davName("supported-report-set"):                reports.String(),
		{Space: nsCS, Local: "getctag"}:                text(ctag),
		caldavName("supported-calendar-component-set"): comps.String(),
		caldavName("supported-calendar-data"): `<calendar-data xmlns="` + nsCalDAV +
			`" content-type="text/calendar" version="2.0"/>`,
	}
}

func objectProps(m meta) props {
	return props{
		davName("resourcetype"):     "",
		davName("getetag"):          text(quote(m.etag)),
		davName("getcontenttype"):   text(contentType),
		davName("getcontentlength"): strconv.FormatInt(m.size, 10),
		davName("getlastmodified"):  text(m.mod.UTC().Format(http.TimeFormat)),
	}
}

const contentType = "text/calendar; charset=utf-8"
