package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
)

// The daemon's figures, measured on the built binary as a process; see
// testdata/bench/run.sh for how to run them. They report, they assert
// nothing about speed.

// benchConfig writes a config for a daemon whose mail goes to a Maildir
// (no SMTP server needed: these series are out of prep's reach anyway).
func benchConfig(b *testing.B, dir, syncKeys, calendars string) string {
	b.Helper()
	file := filepath.Join(dir, "oneonone.toml")
	mailKeys := fmt.Sprintf("maildir = %q\n", filepath.Join(dir, "mail"))
	processConfig(b, file, filepath.Join(dir, "state"), freeLoopback(b), mailKeys, syncKeys+calendars)
	return file
}

// BenchmarkStartToReady: exec of `oneonone run` with a state directory
// that exists (migrated, one calendar synced) until READY=1 arrives on
// $NOTIFY_SOCKET. ns/op is the time to READY; the stop after each start
// is not timed.
func BenchmarkStartToReady(b *testing.B) {
	bin := builtBinary(b)
	dav := startDAVStandIn(b, 1)
	dir := b.TempDir()
	file := benchConfig(b, dir, "", dav.calendars())
	// A first run creates and migrates the database and syncs once.
	p := startProc(b, bin, filepath.Join(dir, "n.sock"), nil, "run", "--config", file)
	p.ready(60 * time.Second)
	waitLog(b, p, "msg=synced", 1, time.Minute)
	p.stop()

	var worst time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		sock := filepath.Join(dir, fmt.Sprintf("n%d.sock", i))
		b.StartTimer()
		p := startProc(b, bin, sock, nil, "run", "--config", file)
		at, ok := p.notify.wait("READY=1", time.Minute)
		b.StopTimer()
		if !ok {
			b.Fatalf("no READY=1\n%s", p.logs.String())
		}
		worst = max(worst, at.Sub(p.started))
		p.stop()
		p.notify.close()
		b.StartTimer()
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms")
}

// BenchmarkIdleRSS1000Series: the daemon's resident memory once idle,
// tracking 1,000 weekly 1:1 series (one Radicale calendar, seeded with one
// request; the series start in three days, out of prep's reach). Each
// iteration starts on an empty state directory, waits for the first sync
// to have recorded the 1,000 series, then for VmRSS to settle (six
// readings 500 ms apart within 1 %, at most 30 s).
func BenchmarkIdleRSS1000Series(b *testing.B) {
	const n = 1000
	srv := caldavtest.StartRadicale(b)
	col := srv.Import(b, "test", "big", []byte(manySeries(n, time.Now().Add(72*time.Hour))))
	bin := builtBinary(b)
	var rss, peak, firstSync float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		file := benchConfig(b, dir, "", caldavCalendar("big", col, "o0000@example.com"))
		b.StartTimer()
		p := startProc(b, bin, filepath.Join(dir, "n.sock"), nil, "run", "--config", file)
		p.ready(time.Minute)
		waitLog(b, p, "msg=synced", 1, 5*time.Minute)
		firstSync += time.Since(p.started).Seconds()
		if !strings.Contains(p.logs.String(), fmt.Sprintf("changes=%d history_events=%d", n, n)) {
			b.Fatalf("the first sync did not record %d series:\n%s", n, p.logs.String())
		}
		kb := settledRSS(b, p.cmd.Process.Pid)
		b.StopTimer()
		hwm, _ := statusKB(p.cmd.Process.Pid, "VmHWM")
		rss += float64(kb) / 1024
		peak += float64(hwm) / 1024
		p.stop()
		b.StartTimer()
	}
	b.ReportMetric(rss/float64(b.N), "RSS-MB")
	b.ReportMetric(peak/float64(b.N), "peak-RSS-MB")
	b.ReportMetric(firstSync/float64(b.N), "first-sync-s")
}

// BenchmarkIdleSyncCycle1000Calendars: the daemon's CPU time (user +
// system, /proc/PID/stat) for one sync cycle over 1,000 configured CalDAV
// calendars when nothing changed: each calendar answers its
// sync-collection REPORT with an empty multistatus and a new token. Each
// calendar holds one weekly 1:1, out of prep's reach. A cycle is measured
// from the daemon's first REPORT of the cycle until its 1,000th calendar
// is recorded and the process is quiet again (what the prep loop does
// after the cycle included). Cycles come every sync.interval (30 s, the
// minimum), so ns/op is mostly waiting; CPU-ms/cycle is the figure.
func BenchmarkIdleSyncCycle1000Calendars(b *testing.B) {
	const n = 1000
	bin := builtBinary(b)
	dav := startDAVStandIn(b, n)
	dir := b.TempDir()
	file := benchConfig(b, dir, "[sync]\ninterval = \"30s\"\n", dav.calendars())
	p := startProc(b, bin, filepath.Join(dir, "n.sock"), nil, "run", "--config", file)
	p.ready(time.Minute)
	pid := p.cmd.Process.Pid
	dav.pid.Store(int64(pid))
	start := time.Now()
	waitLog(b, p, "msg=synced", n, 5*time.Minute)
	firstCycle := time.Since(start)
	settledCPU(pid)

	var ticks int64
	var wall time.Duration
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		waitLog(b, p, "msg=synced", (i+1)*n, 2*time.Minute)
		end := settledCPU(pid)
		c := dav.cycle(i)
		if c.startTicks < 0 {
			b.Fatalf("cycle %d: no CPU reading at its first REPORT", i)
		}
		ticks += end - c.startTicks
		wall += c.last.Sub(c.first)
	}
	b.StopTimer()
	b.ReportMetric(float64(ticks)*10/float64(b.N), "CPU-ms/cycle") // USER_HZ = 100
	b.ReportMetric(wall.Seconds()/float64(b.N), "cycle-s")
	b.ReportMetric(firstCycle.Seconds(), "first-cycle-s")
	if kb, err := statusKB(pid, "VmRSS"); err == nil {
		b.ReportMetric(float64(kb)/1024, "RSS-MB")
	}
	if got := dav.idle.Load(); got < int64(b.N*n) {
		b.Errorf("%d idle REPORTs, want %d", got, b.N*n)
	}
	p.stop()
}

// waitLog waits until the process's log holds want occurrences of s.
func waitLog(b testing.TB, p *proc, s string, want int, timeout time.Duration) {
	b.Helper()
	deadline := time.Now().Add(timeout)
	for strings.Count(p.logs.String(), s) < want {
		if time.Now().After(deadline) || !p.alive() {
			b.Fatalf("%d× %q in the log after %s (want %d)\n%s", strings.Count(p.logs.String(), s), s, timeout, want, tail(p.logs.String(), 3000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// settledRSS reads VmRSS every 500 ms until six readings in a row are
// within 1 % of each other (at most 30 s) and returns the last, in kB.
func settledRSS(b testing.TB, pid int) int64 {
	b.Helper()
	var readings []int64
	deadline := time.Now().Add(30 * time.Second)
	for {
		kb, err := statusKB(pid, "VmRSS")
		if err != nil {
			b.Fatal(err)
		}
		readings = append(readings, kb)
		if len(readings) >= 6 {
			last := readings[len(readings)-6:]
			lo, hi := last[0], last[0]
			for _, r := range last {
				lo, hi = min(lo, r), max(hi, r)
			}
			if float64(hi-lo) <= 0.01*float64(hi) || time.Now().After(deadline) {
				return kb
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// settledCPU returns the process's CPU ticks once three readings 100 ms
// apart are equal (at most 3 s).
func settledCPU(pid int) int64 {
	deadline := time.Now().Add(3 * time.Second)
	last, same := int64(-1), 0
	for {
		t, err := cpuTicks(pid)
		if err != nil {
			return last
		}
		if t == last {
			same++
		} else {
			same = 0
		}
		last = t
		if same >= 2 || time.Now().After(deadline) {
			return t
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// manySeries is one calendar of n weekly 1:1s, each between two people of
// its own, starting at start.
func manySeries(n int, start time.Time) string {
	var s strings.Builder
	s.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone bench//EN\r\n")
	for i := range n {
		s.WriteString(benchEvent(i, start))
	}
	s.WriteString("END:VCALENDAR\r\n")
	return s.String()
}

func benchEvent(i int, start time.Time) string {
	at := start.Truncate(time.Hour).Add(time.Duration(i%40) * 15 * time.Minute)
	return fmt.Sprintf("BEGIN:VEVENT\r\nUID:bench-%04d\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:%s\r\nDTEND:%s\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:1:1 %04d\r\n"+
		"ORGANIZER;CN=O %04d:mailto:o%04d@example.com\r\nATTENDEE;CN=A %04d;PARTSTAT=ACCEPTED:mailto:a%04d@example.com\r\nEND:VEVENT\r\n",
		i, icsTime(at), icsTime(at.Add(30*time.Minute)), i, i, i, i, i)
}

// davStandIn is a CalDAV server of n calendars (/cal/NNNN/), each holding
// one weekly 1:1 (s.ics) that never changes: discovery by PROPFIND,
// sync-collection (the whole calendar for an empty token, else nothing
// and a new token) and calendar-multiget. It counts idle REPORTs and, at
// the first one of each cycle, reads the daemon's CPU time.
type davStandIn struct {
	srv   *httptest.Server
	n     int
	start time.Time
	pid   atomic.Int64
	token atomic.Int64
	idle  atomic.Int64

	mu     gosync.Mutex
	cycles map[int]*cycleMark
}

type cycleMark struct {
	startTicks  int64
	first, last time.Time
}

func startDAVStandIn(b testing.TB, n int) *davStandIn {
	d := &davStandIn{n: n, start: time.Now().Add(72 * time.Hour), cycles: map[int]*cycleMark{}}
	d.srv = httptest.NewServer(http.HandlerFunc(d.serve))
	b.Cleanup(d.srv.Close)
	return d
}

// calendars is the [[calendar]] tables of every calendar.
func (d *davStandIn) calendars() string {
	var s strings.Builder
	for i := range d.n {
		fmt.Fprintf(&s, "[[calendar]]\nname = \"c%04d\"\ntype = \"caldav\"\nurl = \"%s/cal/%04d/\"\nemail = \"o%04d@example.com\"\n", i, d.srv.URL, i, i)
	}
	return s.String()
}

// cycle is what was seen of idle cycle i (1 = the first after the
// initial sync); startTicks is -1 when it was not seen.
func (d *davStandIn) cycle(i int) cycleMark {
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.cycles[i]; ok {
		return *c
	}
	return cycleMark{startTicks: -1}
}

var (
	calPath   = regexp.MustCompile(`^/cal/(\d{4})/(s\.ics)?$`)
	syncToken = regexp.MustCompile(`<D:sync-token>([^<]*)</D:sync-token>`)
)

const msOpen = `<?xml version="1.0" encoding="utf-8"?>` + "\n" +
	`<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">`

func (d *davStandIn) serve(w http.ResponseWriter, r *http.Request) {
	m := calPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		http.NotFound(w, r)
		return
	}
	i, _ := strconv.Atoi(m[1])
	if i >= d.n {
		http.NotFound(w, r)
		return
	}
	coll, obj := "/cal/"+m[1]+"/", "/cal/"+m[1]+"/s.ics"
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	switch {
	case r.Method == "PROPFIND" && m[2] == "":
		w.WriteHeader(http.StatusMultiStatus)
		fmt.Fprintf(w, `%s<D:response><D:href>%s</D:href><D:propstat><D:prop>`+
			`<D:resourcetype><D:collection/><C:calendar/></D:resourcetype><D:displayname>c%s</D:displayname>`+
			`<D:sync-token>%s</D:sync-token>`+
			`<D:supported-report-set><D:supported-report><D:report><D:sync-collection/></D:report></D:supported-report></D:supported-report-set>`+
			`<C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>`+
			`</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>`,
			msOpen, coll, m[1], d.newToken())
	case r.Method == "REPORT" && strings.Contains(string(body), "sync-collection"):
		tok := ""
		if t := syncToken.FindStringSubmatch(string(body)); t != nil {
			tok = t[1]
		}
		members := ""
		if tok == "" {
			members = fmt.Sprintf(`<D:response><D:href>%s</D:href><D:propstat><D:prop><D:getetag>"1"</D:getetag></D:prop>`+
				`<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`, obj)
		} else {
			d.sawIdle()
		}
		w.WriteHeader(http.StatusMultiStatus)
		fmt.Fprintf(w, `%s%s<D:sync-token>%s</D:sync-token></D:multistatus>`, msOpen, members, d.newToken())
	case r.Method == "REPORT" && strings.Contains(string(body), "calendar-multiget"):
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone bench//EN\r\n" + benchEvent(i, d.start) + "END:VCALENDAR\r\n"
		w.WriteHeader(http.StatusMultiStatus)
		fmt.Fprintf(w, `%s<D:response><D:href>%s</D:href><D:propstat><D:prop><D:getetag>"1"</D:getetag>`+
			`<C:calendar-data>%s</C:calendar-data></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>`,
			msOpen, obj, html.EscapeString(ics))
	default:
		w.Header().Set("Allow", "PROPFIND, REPORT")
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func (d *davStandIn) newToken() string {
	return fmt.Sprintf("http://standin.invalid/sync/%d", d.token.Add(1))
}

// sawIdle counts an idle REPORT; the first of a cycle reads the CPU time
// of the daemon before it is answered.
func (d *davStandIn) sawIdle() {
	k := d.idle.Add(1)
	cycle := int((k-1)/int64(d.n)) + 1
	now := time.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.cycles[cycle]
	if !ok {
		c = &cycleMark{startTicks: -1, first: now}
		if pid := d.pid.Load(); pid != 0 {
			if t, err := cpuTicks(int(pid)); err == nil {
				c.startTicks = t
			}
		}
		d.cycles[cycle] = c
	}
	c.last = now
}
