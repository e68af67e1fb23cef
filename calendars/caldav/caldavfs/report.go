package caldavfs

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// report answers calendar-multiget itself (with the stored bytes), hands
// calendar-query to go-webdav, and refuses other reports, sync-collection
// included, with DAV:supported-report (RFC 3253 3.6): a client then falls
// back to getctag and an ETag listing.
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "caldavfs: reading the body: "+err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	root, err := rootElement(body)
	if err != nil {
		http.Error(w, "caldavfs: bad REPORT body: "+err.Error(), http.StatusBadRequest)
		return
	}
	switch root {
	case caldavName("calendar-multiget"):
		s.multiget(w, body)
	case caldavName("calendar-query"):
		if r.Header.Get("Content-Type") == "" {
			r.Header.Set("Content-Type", "application/xml")
		}
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		s.dav.ServeHTTP(w, r)
	default:
		writeError(w, http.StatusForbidden, davName("supported-report"))
	}
}

// rootElement returns the name of the first element of an XML document.
func rootElement(body []byte) (xml.Name, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.Name{}, err
		}
		if start, ok := tok.(xml.StartElement); ok {
			return start.Name, nil
		}
	}
}

// multiget answers calendar-multiget: each href with the selected
// properties, calendar-data being the bytes as stored; an href that names no
// object gets its own 404 response, never failing the others.
func (s *Server) multiget(w http.ResponseWriter, body []byte) {
	var req multigetReq
	if err := xml.Unmarshal(body, &req); err != nil {
		http.Error(w, "caldavfs: bad calendar-multiget: "+err.Error(), http.StatusBadRequest)
		return
	}
	var resps []response
	for _, raw := range req.Hrefs {
		raw = strings.TrimSpace(raw)
		data, m, t, err := s.lookup(raw)
		if err != nil {
			resps = append(resps, response{Href: raw, Status: statusLine(http.StatusNotFound)})
			continue
		}
		p := objectProps(m)
		p[caldavName("calendar-data")] = text(string(data))
		resps = append(resps, answer(s.objPath(t.cal, t.name), p, req.propSel))
	}
	writeMultistatus(w, resps)
}

// lookup reads the object an href (path or URL) names.
func (s *Server) lookup(href string) ([]byte, meta, target, error) {
	u, err := url.Parse(href)
	if err != nil {
		return nil, meta{}, target{}, err
	}
	t := s.resolve(u.Path)
	if t.kind != kindObject {
		return nil, meta{}, t, ErrNotFound
	}
	data, m, err := s.store.get(t.cal, t.name)
	return data, m, t, err
}

// get answers GET and HEAD of an object with the stored bytes; conditional
// and range requests are handled by http.ServeContent.
func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	data, m, t, err := s.lookup(r.URL.Path)
	switch {
	case errors.Is(err, ErrNotFound) && (t.kind == kindCalendar || t.kind == kindHome || t.kind == kindRoot):
		w.Header().Set("Allow", "OPTIONS, PROPFIND, REPORT, MKCALENDAR")
		http.Error(w, "caldavfs: a collection has no content; use PROPFIND or REPORT", http.StatusMethodNotAllowed)
		return
	case err != nil:
		http.Error(w, "caldavfs: not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("ETag", quote(m.etag))
	http.ServeContent(w, r, "", m.mod, bytes.NewReader(data))
}
