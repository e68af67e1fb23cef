package caldav_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// fakeDAV is a small in-memory CalDAV server with one calendar, /cal/work/
// inside the home /cal/, that can answer in the ways Radicale never does:
// truncated (507) sync pages, an empty listing, other statuses for a stale
// token, weak or unquoted ETags, relative hrefs.
type fakeDAV struct {
	mu      sync.Mutex
	objs    map[string]fakeObj
	changed map[string]int // path → version of its last change, deletions included
	version int
	epoch   int // part of every token; forget moves it on

	etagStyle     string // "", "weak" or "unquoted"
	pageSize      int    // truncate sync-collection answers after this many entries
	staleStatus   int    // status for an unknown token; 0 = 403 valid-sync-token
	noSync        bool   // answer 501 to sync-collection
	tooMany       bool   // answer 507 number-of-matches-within-limits to sync-collection
	emptyListings int    // answer this many full listings with no members
	relative      bool   // write member hrefs relative to the collection
	omitETagOnPut bool
	omitInGet     string // leave this path out of multiget answers

	requests []string // "METHOD path"
	ifMatch  []string
}

type fakeObj struct {
	etag string
	data []byte
}

const fakeColl = "/cal/work/"

func newFakeDAV() *fakeDAV {
	return &fakeDAV{objs: map[string]fakeObj{}, changed: map[string]int{}}
}

func (f *fakeDAV) put(path string, data []byte) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.version++
	n := strconv.Itoa(f.version)
	etag := map[string]string{"": `"` + n + `"`, "weak": `W/"` + n + `"`, "unquoted": n}[f.etagStyle]
	f.objs[path] = fakeObj{etag: etag, data: data}
	f.changed[path] = f.version
	return etag
}

func (f *fakeDAV) remove(path string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.version++
	delete(f.objs, path)
	f.changed[path] = f.version
}

// forget makes every sync token issued so far unknown.
func (f *fakeDAV) forget() {
	f.mu.Lock()
	f.epoch++
	f.mu.Unlock()
}

func (f *fakeDAV) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

func (f *fakeDAV) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	body, _ := io.ReadAll(r.Body)
	switch {
	case r.Method == "PROPFIND":
		f.propfind(w, r)
	case r.Method == "REPORT" && strings.Contains(string(body), "sync-collection"):
		f.syncCollection(w, body)
	case r.Method == "REPORT":
		f.multiget(w, body)
	case r.Method == http.MethodGet:
		obj, ok := f.objs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("ETag", obj.etag)
		w.Write(obj.data)
	case r.Method == http.MethodPut || r.Method == http.MethodDelete:
		f.write(w, r, body)
	default:
		http.Error(w, "no", http.StatusMethodNotAllowed)
	}
}

func (f *fakeDAV) write(w http.ResponseWriter, r *http.Request, body []byte) {
	obj, exists := f.objs[r.URL.Path]
	im := r.Header.Get("If-Match")
	f.ifMatch = append(f.ifMatch, im)
	if (im != "" && (!exists || bare(im) != bare(obj.etag))) || (r.Header.Get("If-None-Match") == "*" && exists) {
		w.WriteHeader(http.StatusPreconditionFailed)
		return
	}
	f.mu.Unlock()
	defer f.mu.Lock()
	if r.Method == http.MethodDelete {
		f.remove(r.URL.Path)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	etag := f.put(r.URL.Path, body)
	if !f.omitETagOnPut {
		w.Header().Set("ETag", etag)
	}
	w.WriteHeader(http.StatusCreated)
}

func bare(etag string) string { return strings.Trim(strings.TrimPrefix(etag, "W/"), `"`) }

func (f *fakeDAV) propfind(w http.ResponseWriter, r *http.Request) {
	depth1 := r.Header.Get("Depth") == "1"
	var b strings.Builder
	switch r.URL.Path {
	case "/cal/":
		b.WriteString(fakeResponse("/cal/", `<D:resourcetype><D:collection/></D:resourcetype>`))
		if depth1 {
			b.WriteString(f.collectionResponse())
		}
	case fakeColl:
		b.WriteString(f.collectionResponse())
		if depth1 && !f.takeEmpty() {
			for _, p := range f.byVersion(0, false) {
				b.WriteString(fakeResponse(f.href(p), "<D:getetag>"+esc(f.objs[p].etag)+"</D:getetag>"))
			}
		}
	default:
		obj, ok := f.objs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b.WriteString(fakeResponse(r.URL.Path, "<D:getetag>"+esc(obj.etag)+"</D:getetag>"))
	}
	multistatus(w, b.String())
}

func (f *fakeDAV) collectionResponse() string {
	reports := `<D:supported-report-set><D:supported-report><D:report><C:calendar-multiget/></D:report></D:supported-report>`
	if !f.noSync {
		reports += `<D:supported-report><D:report><D:sync-collection/></D:report></D:supported-report>`
	}
	return fakeResponse(fakeColl, `<D:resourcetype><D:collection/><C:calendar/></D:resourcetype>`+
		`<D:displayname>Work</D:displayname>`+reports+`</D:supported-report-set>`+
		fmt.Sprintf(`<CS:getctag>ctag-%d</CS:getctag>`, f.version))
}

func (f *fakeDAV) takeEmpty() bool {
	if f.emptyListings > 0 {
		f.emptyListings--
		return true
	}
	return false
}

// byVersion lists paths changed after version v, oldest change first;
// withDeleted includes paths deleted since.
func (f *fakeDAV) byVersion(v int, withDeleted bool) []string {
	var paths []string
	for p, n := range f.changed {
		if _, exists := f.objs[p]; n > v && (exists || withDeleted) {
			paths = append(paths, p)
		}
	}
	slices.SortFunc(paths, func(a, b string) int { return f.changed[a] - f.changed[b] })
	return paths
}

func (f *fakeDAV) href(path string) string {
	if f.relative {
		return strings.TrimPrefix(path, fakeColl)
	}
	return path
}

type fakeReport struct {
	Token string   `xml:"DAV: sync-token"`
	Hrefs []string `xml:"DAV: href"`
}

func (f *fakeDAV) syncCollection(w http.ResponseWriter, body []byte) {
	var req fakeReport
	_ = xml.Unmarshal(body, &req)
	if f.noSync {
		http.Error(w, "no sync-collection here", http.StatusNotImplemented)
		return
	}
	if f.tooMany {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusInsufficientStorage)
		io.WriteString(w, `<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:number-of-matches-within-limits/></D:error>`)
		return
	}
	var epoch, since int
	_, err := fmt.Sscanf(req.Token, "urn:fake:%d:%d", &epoch, &since)
	if req.Token != "" && (err != nil || epoch != f.epoch || since > f.version) {
		f.staleToken(w)
		return
	}
	paths := f.byVersion(since, req.Token != "")
	if req.Token == "" && f.takeEmpty() {
		paths = nil
	}
	next, truncated := f.version, f.pageSize > 0 && len(paths) > f.pageSize
	if truncated {
		paths = paths[:f.pageSize]
		next = f.changed[paths[len(paths)-1]]
	}
	var b strings.Builder
	for _, p := range paths {
		if obj, ok := f.objs[p]; ok {
			b.WriteString(fakeResponse(f.href(p), "<D:getetag>"+esc(obj.etag)+"</D:getetag>"))
		} else {
			fmt.Fprintf(&b, `<D:response><D:href>%s</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>`, f.href(p))
		}
	}
	if truncated {
		b.WriteString(`<D:response><D:href>` + fakeColl + `</D:href><D:status>HTTP/1.1 507 Insufficient Storage</D:status></D:response>`)
	}
	multistatus(w, fmt.Sprintf("%s<D:sync-token>urn:fake:%d:%d</D:sync-token>", b.String(), f.epoch, next))
}

func (f *fakeDAV) staleToken(w http.ResponseWriter) {
	if f.staleStatus != 0 {
		http.Error(w, "token?", f.staleStatus)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusForbidden)
	io.WriteString(w, `<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:valid-sync-token/></D:error>`)
}

func (f *fakeDAV) multiget(w http.ResponseWriter, body []byte) {
	var req fakeReport
	_ = xml.Unmarshal(body, &req)
	var b strings.Builder
	for _, h := range req.Hrefs {
		obj, ok := f.objs[h]
		switch {
		case h == f.omitInGet:
		case !ok:
			fmt.Fprintf(&b, `<D:response><D:href>%s</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>`, h)
		default:
			b.WriteString(fakeResponse(f.href(h), "<D:getetag>"+esc(obj.etag)+"</D:getetag><C:calendar-data>"+esc(string(obj.data))+"</C:calendar-data>"))
		}
	}
	multistatus(w, b.String())
}

func fakeResponse(href, props string) string {
	return `<D:response><D:href>` + esc(href) + `</D:href><D:propstat><D:prop>` + props +
		`</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
