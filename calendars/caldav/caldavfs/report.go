package caldavfs

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
)

// report answers calendar-multiget, and calendar-query through go-webdav
// (see query), both with the stored bytes as calendar-data. Other reports,
// sync-collection included, are refused with DAV:supported-report (RFC 3253
// 3.6): a client then falls back to getctag and an ETag listing.
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
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
		s.query(w, r, body)
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
		resps = append(resps, s.withData(t, data, m, req.propSel))
	}
	writeMultistatus(w, resps)
}

func (s *Server) withData(t target, data []byte, m meta, sel propSel) response {
	p := objectProps(m)
	p[caldavName("calendar-data")] = text(string(data))
	return answer(s.objPath(t.cal, t.name), p, sel)
}

// queryHits collects the objects a calendar-query matched.
type queryHits struct{ paths []string }

// query lets go-webdav decode the calendar-query filter and run it through
// the backend, which records the matches and returns none, so that go-webdav
// never re-encodes them (its encoder refuses objects without, say, DTSTAMP,
// and would fail the whole answer). The matches are then answered here.
func (s *Server) query(w http.ResponseWriter, r *http.Request, body []byte) {
	var req queryReq
	if err := xml.Unmarshal(body, &req); err != nil {
		http.Error(w, "caldavfs: bad calendar-query: "+err.Error(), http.StatusBadRequest)
		return
	}
	if r.Header.Get("Content-Type") == "" {
		r.Header.Set("Content-Type", "application/xml")
	}
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	hits := &queryHits{}
	buf := &bufferWriter{header: http.Header{}}
	s.dav.ServeHTTP(buf, r.WithContext(context.WithValue(r.Context(), queryKey, hits)))
	if buf.code != http.StatusMultiStatus {
		maps.Copy(w.Header(), buf.header)
		w.WriteHeader(buf.code)
		w.Write(buf.body.Bytes())
		return
	}
	var resps []response
	for _, p := range hits.paths {
		if data, m, t, err := s.lookup(p); err == nil {
			resps = append(resps, s.withData(t, data, m, req.propSel))
		}
	}
	writeMultistatus(w, resps)
}

// bufferWriter holds a response of go-webdav's handler.
type bufferWriter struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }

func (b *bufferWriter) WriteHeader(code int) {
	if b.code == 0 {
		b.code = code
	}
}

func (b *bufferWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
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
