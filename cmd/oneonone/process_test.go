package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/mailer/smtptest"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// These tests run the built binary as a real process, the way systemd
// runs it, against Radicale and aiosmtpd: readiness over $NOTIFY_SOCKET,
// a whole prep cycle, SIGHUP, SIGTERM in the middle of work, and SIGKILL
// at random moments.

// procBed is one test's peers, directories and config.
type procBed struct {
	t        *testing.T
	bin      string
	dir      string
	stateDir string
	file     string
	addr     string
	public   string
	dav      *caldavtest.Server
	col      string
	smtp     *smtptest.Server
	runs     int
}

func newProcBed(t *testing.T) *procBed {
	t.Helper()
	dav := caldavtest.StartRadicale(t)
	smtp := smtptest.StartAiosmtpd(t)
	b := &procBed{t: t, bin: builtBinary(t), dir: t.TempDir(), dav: dav, smtp: smtp, addr: freeLoopback(t)}
	b.stateDir = filepath.Join(b.dir, "state")
	b.file = filepath.Join(b.dir, "oneonone.toml")
	b.public = "http://" + b.addr
	b.col = dav.MakeCalendar(t, "test", "work")
	return b
}

// config writes the config: the calendar "ada" (the work collection),
// mail through smtpAddr (host:port), and any further TOML.
func (b *procBed) config(smtpAddr, rest string) {
	b.t.Helper()
	host, port, _ := net.SplitHostPort(smtpAddr)
	n, _ := strconv.Atoi(port)
	processConfig(b.t, b.file, b.stateDir, b.addr, smtpKeys(host, n), caldavCalendar("ada", b.col, "ada@example.com")+rest)
}

// start execs `oneonone run` with its own notify socket.
func (b *procBed) start(env ...string) *proc {
	b.t.Helper()
	b.runs++
	return startProc(b.t, b.bin, filepath.Join(b.dir, fmt.Sprintf("n%d.sock", b.runs)), env, "run", "--config", b.file)
}

func (b *procBed) mails() []sentMail { return parseMails(b.smtp.Messages(b.t), b.public) }

func (b *procBed) metrics() string {
	body, _, _ := quietGet(b.public + "/metrics")
	return body
}

// TestProcessStartReadyAndPrepCycle: the binary signals READY=1 (timed
// from exec) and then WATCHDOG=1 pings; a weekly 1:1 three hours away
// brings both people a mail through aiosmtpd; both answer through their
// links; the occurrence in Radicale then holds both answers and the
// organizer's text; SIGTERM ends it with STOPPING=1 and exit 0.
func TestProcessStartReadyAndPrepCycle(t *testing.T) {
	b := newProcBed(t)
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	b.dav.Put(t, "test", b.col+"1on1.ics", []byte(weeklyAt(start, "Bring the roadmap.")))
	b.config(b.smtp.Addr, "")
	p := b.start("WATCHDOG_USEC=1000000")
	toReady := p.ready(30 * time.Second)
	t.Logf("exec → READY=1: %s", toReady.Round(100*time.Microsecond))
	if _, ok := p.notify.wait("WATCHDOG=1", 20*time.Second); !ok {
		t.Errorf("no WATCHDOG=1 within 20 s with WATCHDOG_USEC=1000000 (got %q)", p.notify.all())
	}
	if body, status, err := quietGet(b.public + "/healthz"); err != nil || status != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz: %d %q %v", status, body, err)
	}

	var links map[string]string
	poll(t, 90*time.Second, "both invites in aiosmtpd", func() bool {
		links = invitesTo(b.mails())
		return links["ada@example.com"] != "" && links["grace@example.com"] != ""
	})
	client := noRedirect()
	for who, text := range map[string]string{"ada@example.com": "Roadmap for Q3", "grace@example.com": "My promotion case"} {
		if status, err := postForm(client, b.public, links[who], url.Values{"a.topics": {text}}); err != nil || status != http.StatusSeeOther {
			t.Fatalf("%s answers: %d %v\n%s", who, status, err, p.logs.String())
		}
	}
	dav, _ := caldav.New(b.col, caldav.Options{Username: "test", Password: "testpass"})
	var desc string
	poll(t, 90*time.Second, "the agenda in Radicale's occurrence", func() bool {
		desc = occurrenceDescription(t, dav, b.col+"1on1.ics", start)
		return strings.Contains(desc, "Roadmap for Q3") && strings.Contains(desc, "My promotion case")
	})
	if !strings.Contains(desc, "Bring the roadmap.") {
		t.Errorf("the organizer's text is gone:\n%s", desc)
	}
	// Only Ada's calendar is watched: Grace's copy is her own, so she gets
	// the agenda by mail: the settled one and at most one update (here the
	// cut-off has passed, so Ada's answer alone may go out first).
	var agendas []sentMail
	eventually(30*time.Second, func() bool {
		agendas = agendaMails(b.mails())
		return len(agendas) > 0 && strings.Contains(agendas[len(agendas)-1].text, "My promotion case")
	})
	time.Sleep(time.Second) // nothing more may come
	ms := b.mails()
	agendas = agendaMails(ms)
	if len(agendas) < 1 || len(agendas) > 2 || len(ms) != 2+len(agendas) || !strings.Contains(agendas[len(agendas)-1].text, "My promotion case") {
		t.Errorf("%d mails, want the 2 invites and one or two agenda mails to Grace, the last with both answers; agendas %+v", len(ms), agendas)
	}
	for _, a := range agendas {
		if a.to != "grace@example.com" {
			t.Errorf("agenda mail to %s: Ada's copy holds it", a.to)
		}
	}
	p.stop()
	if _, ok := p.notify.wait("STOPPING=1", time.Second); !ok {
		t.Errorf("no STOPPING=1 before the exit (got %q)", p.notify.all())
	}
	for _, link := range links {
		tokenNowhere(t, b.stateDir, link[strings.LastIndex(link, "/")+1:])
	}
}

// TestProcessSIGHUP: a config file broken while the daemon runs is
// refused on SIGHUP (the process stays up and serves, the log says it
// kept the running config); a good one adding a calendar takes effect:
// the new calendar is synced and shows in /readyz.
func TestProcessSIGHUP(t *testing.T) {
	b := newProcBed(t)
	b.dav.Put(t, "test", b.col+"1on1.ics", []byte(weeklyAt(time.Now().Add(72*time.Hour).Truncate(time.Minute), "")))
	b.config(b.smtp.Addr, "")
	p := b.start()
	p.ready(30 * time.Second)
	poll(t, 60*time.Second, `"ada":"ok" in /readyz`, func() bool {
		body, _, _ := quietGet(b.public + "/readyz")
		return strings.Contains(body, `"ada":"ok"`)
	})
	good, err := os.ReadFile(b.file)
	if err != nil {
		t.Fatal(err)
	}
	// Not TOML, then TOML with a value the config refuses.
	for i, bad := range []string{"state_dir = = \"not toml\"\n", string(good) + "[sync]\ninterval = \"10s\"\n"} {
		os.WriteFile(b.file, []byte(bad), 0o600)
		p.signal(syscall.SIGHUP)
		poll(t, 30*time.Second, "the reload refused in the log", func() bool {
			return strings.Count(p.logs.String(), "keeping the running config") == i+1
		})
	}
	if logs := p.logs.String(); !strings.Contains(logs, "sync.interval") {
		t.Errorf("the refused reload does not say why (sync.interval):\n%s", logs)
	}
	if !p.alive() {
		t.Fatalf("the daemon exited on a bad config\n%s", p.logs.String())
	}
	if body, status, err := quietGet(b.public + "/readyz"); err != nil || status != 200 || !strings.Contains(body, `"ada":"ok"`) {
		t.Errorf("/readyz after a refused reload: %d %s %v", status, body, err)
	}

	col2 := b.dav.MakeCalendar(t, "test", "second")
	os.WriteFile(b.file, append(good, []byte(caldavCalendar("second", col2, "grace@example.com"))...), 0o600)
	p.signal(syscall.SIGHUP)
	poll(t, 60*time.Second, `"second":"ok" in /readyz`, func() bool {
		body, _, _ := quietGet(b.public + "/readyz")
		return strings.Contains(body, `"second":"ok"`) && strings.Contains(body, `"ada":"ok"`)
	})
	if !strings.Contains(p.logs.String(), "config reloaded") {
		t.Errorf("no \"config reloaded\" in the log:\n%s", p.logs.String())
	}
	p.stop()
}

// smtpGate sits between the daemon and aiosmtpd. Closed, it accepts
// connections and holds them without a greeting (a mail server that
// hangs); open, it relays to the server.
type smtpGate struct {
	ln       net.Listener
	upstream string

	mu   gosync.Mutex
	open bool
	held []net.Conn
}

func startGate(t *testing.T, upstream string) *smtpGate {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &smtpGate{ln: ln, upstream: upstream}
	t.Cleanup(func() { ln.Close(); g.drop() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			g.mu.Lock()
			if !g.open {
				g.held = append(g.held, c)
				g.mu.Unlock()
				continue
			}
			g.mu.Unlock()
			go relay(c, upstream)
		}
	}()
	return g
}

func relay(c net.Conn, upstream string) {
	defer c.Close()
	u, err := net.Dial("tcp", upstream)
	if err != nil {
		return
	}
	defer u.Close()
	go func() { io.Copy(u, c); u.(*net.TCPConn).CloseWrite() }()
	io.Copy(c, u)
}

func (g *smtpGate) setOpen(open bool) {
	g.mu.Lock()
	g.open = open
	g.mu.Unlock()
}

// drop closes the held connections: the hanging server goes away.
func (g *smtpGate) drop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, c := range g.held {
		c.Close()
	}
	g.held = nil
}

func (g *smtpGate) addr() string { return g.ln.Addr().String() }

// TestProcessSIGTERMKeepsQueuedMail: SIGTERM while both invites are in
// the outbox, the first one held by a mail server that took the
// connection and says nothing, ends the process with 0 within 10 s (the
// drain limit) and drops no mail: after a restart with the server
// answering, both are delivered, once each.
func TestProcessSIGTERMKeepsQueuedMail(t *testing.T) {
	b := newProcBed(t)
	b.dav.Put(t, "test", b.col+"1on1.ics", []byte(weeklyAt(time.Now().Add(3*time.Hour).Truncate(time.Minute), "")))
	gate := startGate(t, b.smtp.Addr)
	b.config(gate.addr(), "")

	p := b.start()
	p.ready(30 * time.Second)
	poll(t, 60*time.Second, "both invites in the outbox, none sent", func() bool {
		m := b.metrics()
		queued, _ := metricValue(m, "oneonone_mails", `state="queued"`)
		sending, _ := metricValue(m, "oneonone_mails", `state="sending"`)
		return queued == 1 && sending == 1
	})
	p.signal(syscall.SIGTERM)
	code, took, ok := p.exited(10 * time.Second)
	if !ok {
		// Let the hanging server go away to see the rest.
		gate.drop()
		code, more, _ := p.exited(60 * time.Second)
		t.Errorf("SIGTERM while the mail server hangs: exit %d only %.1fs after SIGTERM, when the test closed the connection (limit 10 s)\n%s",
			code, (took + more).Seconds(), p.logs.String())
	} else if code != 0 {
		t.Fatalf("exit %d after SIGTERM\n%s", code, p.logs.String())
	} else {
		t.Logf("SIGTERM with 2 mails queued and the server hanging: exit 0 after %s", took.Round(time.Millisecond))
	}
	gate.drop()
	if n := len(b.mails()); n != 0 {
		t.Fatalf("%d mails went through a closed gate", n)
	}

	gate.setOpen(true)
	p = b.start()
	p.ready(30 * time.Second)
	poll(t, 60*time.Second, "both invites delivered after the restart", func() bool {
		sent, _ := metricValue(b.metrics(), "oneonone_mails", `state="sent"`)
		return sent == 2 && len(invitesTo(b.mails())) == 2
	})
	if ms := b.mails(); len(ms) != 2 || ms[0].purpose() == ms[1].purpose() {
		t.Errorf("after the restart: %d mails %v, want each invite once", len(ms), ms)
	}
	p.stop()
}

// TestProcessSIGTERMDuringPost sends SIGTERM right after a POST of an
// answer was written (twice), and between its headers and the end of its
// body (twice): each time the process exits 0 within 10 s, and when the
// POST got its 303 the restarted daemon shows the answer in the form.
func TestProcessSIGTERMDuringPost(t *testing.T) {
	b := newProcBed(t)
	b.dav.Put(t, "test", b.col+"1on1.ics", []byte(weeklyAt(time.Now().Add(3*time.Hour).Truncate(time.Minute), "")))
	b.config(b.smtp.Addr, "")
	p := b.start()
	p.ready(30 * time.Second)
	var links map[string]string
	poll(t, 60*time.Second, "both invites delivered", func() bool {
		links = invitesTo(b.mails())
		return len(links) == 2
	})
	acked := 0
	for round, who := range []string{"ada@example.com", "grace@example.com", "ada@example.com", "grace@example.com"} {
		text := fmt.Sprintf("Answer of round %d", round)
		split := round >= 2
		status, err := postDuringSIGTERM(p, b, links[who], text, split)
		code, took, ok := p.exited(10 * time.Second)
		if !ok {
			p.kill()
			t.Fatalf("round %d: no exit within 10 s of SIGTERM during a POST\n%s", round, p.logs.String())
		}
		if code != 0 {
			t.Fatalf("round %d: exit %d\n%s", round, code, p.logs.String())
		}
		t.Logf("round %d (body split: %v): the POST got %d (%v); exit 0 %s after SIGTERM", round, split, status, err, took.Round(time.Millisecond))
		p = b.start()
		p.ready(30 * time.Second)
		value, found := textareaValue(get(t, links[who]), "a.topics")
		if status == http.StatusSeeOther {
			acked++
			if !found || value != text {
				t.Errorf("round %d: the POST got its 303 before the exit, but after the restart the form holds %q (found %v)", round, value, found)
			}
		}
	}
	if acked == 0 {
		t.Errorf("no POST sent before SIGTERM was acknowledged: the drain did not serve requests in flight")
	}
	p.stop()
}

// TestProcessRestartWritesPendingAgenda: an answer saved while the
// daemon drains (SIGTERM during its POST) has not reached the calendar
// yet. The restarted daemon must write it into the occurrence: the
// calendar is writable, so no agenda goes out by mail instead. The
// calendar server here answers discovery (PROPFIND) after 500 ms, as a
// remote one may.
func TestProcessRestartWritesPendingAgenda(t *testing.T) {
	b := newProcBed(t)
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	b.dav.Put(t, "test", b.col+"1on1.ics", []byte(weeklyAt(start, "Bring the roadmap.")))
	slow := slowDiscovery(t, b.dav.URL, 500*time.Millisecond)
	col, _ := url.Parse(b.col)
	processConfig(t, b.file, b.stateDir, b.addr, smtpKeys(b.smtp.Host, b.smtp.Port), caldavCalendar("ada", slow+col.Path, "ada@example.com"))
	p := b.start()
	p.ready(30 * time.Second)
	var links map[string]string
	poll(t, 60*time.Second, "both invites delivered", func() bool {
		links = invitesTo(b.mails())
		return len(links) == 2
	})
	status, err := postDuringSIGTERM(p, b, links["ada@example.com"], "Roadmap for Q3", true)
	if status != http.StatusSeeOther {
		t.Fatalf("the POST during the drain got %d (%v)", status, err)
	}
	if code, _, ok := p.exited(10 * time.Second); !ok || code != 0 {
		t.Fatalf("exit %d (exited: %v)\n%s", code, ok, p.logs.String())
	}
	p = b.start()
	p.ready(30 * time.Second)
	dav, _ := caldav.New(b.col, caldav.Options{Username: "test", Password: "testpass"})
	var desc string
	if !eventually(30*time.Second, func() bool {
		desc = occurrenceDescription(t, dav, b.col+"1on1.ics", start)
		return strings.Contains(desc, "Roadmap for Q3")
	}) {
		t.Errorf("30 s after the restart, Radicale's occurrence lacks the answer saved during the drain:\n%s", desc)
	}
	for _, m := range agendaMails(b.mails()) {
		if m.to != "grace@example.com" {
			t.Errorf("the agenda went to %s by mail although their calendar is written:\n%s", m.to, m.text)
		}
	}
	p.stop()
}

// slowDiscovery is a proxy in front of a CalDAV server that passes
// PROPFIND requests on only after delay.
func slowDiscovery(t *testing.T, target string, delay time.Duration) string {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "PROPFIND" {
			time.Sleep(delay)
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// postDuringSIGTERM writes a form POST on its own connection and sends
// SIGTERM to p right after the request is out (split: after the headers
// and half the body; the rest follows 300 ms later). It returns the
// status the request got.
func postDuringSIGTERM(p *proc, b *procBed, link, text string, split bool) (int, error) {
	u, _ := url.Parse(link)
	body := url.Values{"a.topics": {text}}.Encode()
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		u.RequestURI(), u.Host, b.public, len(body))
	c, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		p.signal(syscall.SIGTERM)
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if split {
		if _, err := c.Write([]byte(head + body[:len(body)/2])); err != nil {
			p.signal(syscall.SIGTERM)
			return 0, err
		}
		time.Sleep(100 * time.Millisecond) // let the server start reading
		p.signal(syscall.SIGTERM)
		time.Sleep(300 * time.Millisecond)
		if _, err := c.Write([]byte(body[len(body)/2:])); err != nil {
			return 0, err
		}
	} else {
		if _, err := c.Write([]byte(head + body)); err != nil {
			p.signal(syscall.SIGTERM)
			return 0, err
		}
		p.signal(syscall.SIGTERM)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// person is someone in a test calendar.
type person struct{ name, email string }

func (p person) lines(role string) string {
	if role == "organizer" {
		return "ORGANIZER;CN=" + p.name + ":mailto:" + p.email + "\r\nATTENDEE;CN=" + p.name + ";PARTSTAT=ACCEPTED:mailto:" + p.email + "\r\n"
	}
	return "ATTENDEE;CN=" + p.name + ";PARTSTAT=ACCEPTED:mailto:" + p.email + "\r\n"
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// seriesICS is a recurring 30-minute meeting of two people in UTC, with
// the given overrides (whole VEVENTs).
func seriesICS(uid, summary, freq string, start time.Time, org, att person, overrides []string) string {
	var s strings.Builder
	s.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oneonone process test//EN\r\n")
	s.WriteString("BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + icsTime(start) + "\r\nDTEND:" + icsTime(start.Add(30*time.Minute)) +
		"\r\nRRULE:FREQ=" + freq + "\r\nSUMMARY:" + summary + "\r\n" + org.lines("organizer") + att.lines("attendee") + "END:VEVENT\r\n")
	for _, o := range overrides {
		s.WriteString(o)
	}
	s.WriteString("END:VCALENDAR\r\n")
	return s.String()
}

// overrideICS moves the occurrence at occ to at, or cancels it.
func overrideICS(uid, summary string, occ, at time.Time, cancelled bool, org, att person) string {
	status := ""
	if cancelled {
		status = "STATUS:CANCELLED\r\n"
	}
	return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:" + icsTime(occ) + "\r\nDTSTART:" + icsTime(at) +
		"\r\nDTEND:" + icsTime(at.Add(30*time.Minute)) + "\r\nSUMMARY:" + summary + "\r\n" + status + org.lines("organizer") + att.lines("attendee") + "END:VEVENT\r\n"
}

// killPost is what one POST made during a run that ended in SIGKILL got.
type killPost struct {
	who, token string
	status     int
	err        error
}

// TestProcessKill9AtRandomMoments starts the daemon 50 times on the same
// state directory and SIGKILLs it 0–400 ms after exec, while answers are
// posted to it and, between runs, the calendar changes (a new 1:1 series,
// an occurrence moved, one cancelled). A last run is left to finish and is
// stopped with SIGTERM. Then: every answer whose POST got its 303 is in
// the form; `oneonone history --json` holds each change exactly once;
// aiosmtpd got every invite, and no prep mail twice except ones the
// server had accepted when the kill came, before the outbox recorded it
// (the same Message-ID, a row the next run found in sending); those are
// counted and reported.
func TestProcessKill9AtRandomMoments(t *testing.T) {
	b := newProcBed(t)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("ONEONONE_KILL_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("kill schedule seed %d (ONEONONE_KILL_SEED=%d repeats it)", seed, seed)

	ada, grace := person{"Ada Lovelace", "ada@example.com"}, person{"Grace Hopper", "grace@example.com"}
	bob, carol := person{"Bob", "bob@example.com"}, person{"Carol", "carol@example.com"}
	now := time.Now().UTC()
	startA := now.Add(3 * time.Hour).Truncate(time.Minute)
	b.dav.Put(t, "test", b.col+"a.ics", []byte(weeklyAt(startA, "Bring the roadmap.")))
	// B: a daily 1:1 from the day after tomorrow, out of prep's reach;
	// each move or cancellation takes an occurrence of its own, so that
	// changes a killed run never saw still add up to one event each.
	dayB := now.Truncate(24*time.Hour).AddDate(0, 0, 2).Add(9 * time.Hour)
	var overridesB []string
	putB := func() {
		b.dav.Put(t, "test", b.col+"b.ics", []byte(seriesICS("proc-b", "Bob / Carol", "DAILY", dayB, bob, carol, overridesB)))
	}
	putB()
	wantEvents := []string{"created e2e-1on1 -", "created proc-b -"}
	wantInvites := []string{"invite ada@example.com", "invite grace@example.com"}
	// A move or a cancellation is an event only for a series the daemon
	// had seen before: B changes only once a run has logged a committed
	// sync; until then, and every third run, a new series comes instead.
	synced := false
	nextB, nextC := 1, 0
	change := func(run int) {
		if !synced || run%3 == 0 { // a new 1:1 series within prep's reach
			k := nextC
			nextC++
			uid := fmt.Sprintf("proc-c%02d", k)
			f, g := person{fmt.Sprintf("F%02d", k), fmt.Sprintf("f%02d@example.com", k)}, person{fmt.Sprintf("G%02d", k), fmt.Sprintf("g%02d@example.com", k)}
			start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
			if k%2 == 1 { // its reminder (2 h before) falls due 4 s from now
				start = time.Now().Add(2*time.Hour + 4*time.Second).Truncate(time.Second)
			}
			b.dav.Put(t, "test", b.col+uid+".ics", []byte(seriesICS(uid, f.name+" / "+g.name, "WEEKLY", start, f, g, nil)))
			wantEvents = append(wantEvents, "created "+uid+" -")
			wantInvites = append(wantInvites, "invite "+f.email, "invite "+g.email)
			return
		}
		// Move or cancel the next occurrence of B.
		occ := dayB.AddDate(0, 0, nextB)
		kind := "moved"
		if nextB%2 == 0 {
			kind = "cancelled"
		}
		nextB++
		overridesB = append(overridesB, overrideICS("proc-b", "Bob / Carol", occ, occ.Add(time.Hour), kind == "cancelled", bob, carol))
		putB()
		wantEvents = append(wantEvents, kind+" proc-b "+occ.Format(time.RFC3339))
	}
	b.config(b.smtp.Addr, "")

	const runs = 50
	acked := map[string][]string{} // person → tokens whose POST got 303
	var links map[string]string
	client := noRedirect()
	recovered, beforeReady, posts, refused := 0, 0, 0, 0
	began := time.Now()
	for run := range runs {
		change(run)
		if len(links) < 2 {
			links = invitesTo(b.mails())
		}
		delay := time.Duration(rng.IntN(401)) * time.Millisecond
		postAfter := []time.Duration{time.Duration(rng.IntN(351)) * time.Millisecond, time.Duration(rng.IntN(351)) * time.Millisecond}
		p := b.start()
		stop := make(chan struct{})
		var wg gosync.WaitGroup
		results := make([]killPost, 2)
		for i, who := range []string{ada.email, grace.email} {
			link := links[who]
			if link == "" {
				continue
			}
			token := fmt.Sprintf("r%02d%c", run, who[0])
			value := strings.Join(append(slices.Clone(acked[who]), token), " ")
			results[i] = killPost{who: who, token: token}
			wg.Go(func() {
				select {
				case <-time.After(postAfter[i]):
				case <-stop:
					return
				}
				for {
					status, err := postForm(client, b.public, link, url.Values{"a.topics": {value}})
					if err != nil && errors.Is(err, syscall.ECONNREFUSED) {
						select { // not listening yet: nothing was received
						case <-stop:
							results[i].err = err
							return
						case <-time.After(5 * time.Millisecond):
							continue
						}
					}
					results[i].status, results[i].err = status, err
					return
				}
			})
		}
		time.Sleep(delay)
		if _, ok := p.notify.wait("READY=1", 0); !ok {
			beforeReady++
		}
		if !p.alive() {
			t.Fatalf("run %d: the daemon exited by itself (%v)\n%s", run, p.state, p.logs.String())
		}
		p.kill()
		close(stop)
		wg.Wait()
		if ws, ok := p.state.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("run %d: the daemon exited by itself (%v)\n%s", run, p.state, p.logs.String())
		}
		for _, r := range results {
			if r.who == "" || (r.status == 0 && r.err == nil) {
				continue
			}
			posts++
			switch {
			case r.status == http.StatusSeeOther:
				acked[r.who] = append(acked[r.who], r.token)
			case r.status != 0:
				t.Errorf("run %d: POST for %s answered %d", run, r.who, r.status)
			case errors.Is(r.err, syscall.ECONNREFUSED):
				refused++
			}
		}
		recovered += recoveredMails(p.logs.String())
		synced = synced || strings.Contains(p.logs.String(), "msg=synced calendar=ada")
		if strings.Contains(p.logs.String(), "panic:") {
			t.Fatalf("run %d: panic\n%s", run, p.logs.String())
		}
	}
	t.Logf("%d runs killed in %s (%d before READY=1); %d POSTs made, %d answered 303, %d refused before the listener was up; %d series created, %d occurrences moved or cancelled",
		runs, time.Since(began).Round(time.Millisecond), beforeReady, posts, len(acked[ada.email])+len(acked[grace.email]), refused, nextC, nextB-1)

	// The clean run: let it catch up, then stop it.
	p := b.start()
	p.ready(30 * time.Second)
	poll(t, 90*time.Second, "a successful sync in the last run", func() bool {
		v, _ := metricValue(b.metrics(), "oneonone_syncs_total", `result="ok"`)
		return v >= 1
	})
	var mails []sentMail
	settled := 0
	poll(t, 120*time.Second, "every invite delivered and the outbox empty (twice, 1 s apart)", func() bool {
		m := b.metrics()
		busy := 0.0
		for _, s := range []string{"queued", "sending", "deferred"} {
			v, _ := metricValue(m, "oneonone_mails", `state="`+s+`"`)
			busy += v
		}
		mails = b.mails()
		have := map[string]bool{}
		for _, ms := range mails {
			have[ms.purpose()] = true
		}
		all := true
		for _, w := range wantInvites {
			all = all && have[w]
		}
		if m == "" || busy > 0 || !all {
			settled = 0
			return false
		}
		settled++
		if settled < 2 {
			time.Sleep(time.Second)
		}
		return settled >= 2
	})
	if failed, _ := metricValue(b.metrics(), "oneonone_mails", `state="failed"`); failed > 0 {
		t.Errorf("%v mails failed for good", failed)
	}
	for who, tokens := range acked {
		page := get(t, links[who])
		value, _ := textareaValue(page, "a.topics")
		have := strings.Fields(value)
		for _, tok := range tokens {
			if !slices.Contains(have, tok) {
				t.Errorf("lost answer: %s's POST of %s got its 303, the form holds %q", who, tok, value)
			}
		}
	}
	// The answers are in the calendar too.
	dav, _ := caldav.New(b.col, caldav.Options{Username: "test", Password: "testpass"})
	var desc string
	if !eventually(60*time.Second, func() bool {
		desc = occurrenceDescription(t, dav, b.col+"a.ics", startA)
		for _, tokens := range acked {
			for _, tok := range tokens {
				if !strings.Contains(desc, tok) {
					return false
				}
			}
		}
		return true
	}) {
		t.Errorf("the agenda in Radicale lacks acknowledged answers %v:\n%s", acked, desc)
	}
	recovered += recoveredMails(p.logs.String())
	p.stop()

	// History: each change exactly once, nothing else.
	out, err := exec.Command(b.bin, "history", "--json", "--config", b.file).Output()
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	var hist struct {
		Events []sync.Event `json:"events"`
	}
	if err := json.Unmarshal(out, &hist); err != nil {
		t.Fatalf("history --json: %v\n%s", err, out)
	}
	var got []string
	for _, e := range hist.Events {
		key := "-"
		if e.RecurrenceID != nil {
			key = *e.RecurrenceID
		}
		got = append(got, e.Kind+" "+e.SeriesUID+" "+key)
	}
	sort.Strings(got)
	sort.Strings(wantEvents)
	t.Logf("history: %d events, %d expected", len(got), len(wantEvents))
	if !slices.Equal(got, wantEvents) {
		t.Errorf("history after %d killed runs:\n%s\nmissing: %v\nextra or repeated: %v", runs, strings.Join(got, "\n"), subtract(wantEvents, got), subtract(got, wantEvents))
	}

	checkKilledMails(t, b, mails, wantInvites, recovered)
}

// recoveredMails is the number of mails a run found left in sending by
// the run before (the worker's "put back in the queue" warning).
func recoveredMails(logs string) int {
	n := 0
	re := regexp.MustCompile(`mail interrupted by the previous stop[^\n]*count=(\d+)`)
	for _, m := range re.FindAllStringSubmatch(logs, -1) {
		k, _ := strconv.Atoi(m[1])
		n += k
	}
	return n
}

// subtract is the multiset a − b.
func subtract(a, b []string) []string {
	left := map[string]int{}
	for _, x := range b {
		left[x]++
	}
	var out []string
	for _, x := range a {
		if left[x] > 0 {
			left[x]--
			continue
		}
		out = append(out, x)
	}
	return out
}

// checkKilledMails counts the messages per purpose (kind and recipient:
// each person has one request per series in reach). Every invite must be
// there; a purpose that came more than once is a mail the server had
// accepted when a kill came before the outbox recorded it only when all
// copies carry one Message-ID, the outbox row behind it was found in
// sending by a later run, and the copies do not outnumber its attempts.
func checkKilledMails(t *testing.T, b *procBed, mails []sentMail, wantInvites []string, recovered int) {
	t.Helper()
	byPurpose := map[string][]sentMail{}
	kinds := map[string]int{}
	for _, m := range mails {
		byPurpose[m.purpose()] = append(byPurpose[m.purpose()], m)
		kinds[m.kind]++
	}
	for _, w := range wantInvites {
		if len(byPurpose[w]) == 0 {
			t.Errorf("missing: %s", w)
		}
	}
	// Ada's calendar is written; Grace's is not watched, so she gets the
	// agenda by mail: at most the settled agenda and one update.
	graceAgendas := map[string]bool{}
	for _, m := range agendaMails(mails) {
		if m.to != "grace@example.com" {
			t.Errorf("the agenda went to %s by mail although their calendar is written", m.to)
		}
		graceAgendas[m.purpose()] = true
	}
	if len(graceAgendas) > 2 {
		t.Errorf("Grace got %d different agenda mails, want at most 2", len(graceAgendas))
	}
	d, err := db.Open(context.Background(), filepath.Join(b.stateDir, "oneonone.db"), sync.Schema, mailerSchema, prepSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	type row struct {
		attempts  int
		lastError string
		state     string
	}
	rows := map[string]row{}
	q, err := d.Query(`SELECT message_id, attempts, last_error, state FROM mailer_outbox`)
	if err != nil {
		t.Fatal(err)
	}
	for q.Next() {
		var id string
		var r row
		q.Scan(&id, &r.attempts, &r.lastError, &r.state)
		rows[id] = r
	}
	q.Close()
	inFlight := 0
	var purposes []string
	for p := range byPurpose {
		purposes = append(purposes, p)
	}
	sort.Strings(purposes)
	for _, p := range purposes {
		copies := byPurpose[p]
		if len(copies) < 2 {
			continue
		}
		ids := map[string]bool{}
		for _, c := range copies {
			ids[c.messageID] = true
		}
		r := rows[copies[0].messageID]
		switch {
		case len(ids) > 1:
			t.Errorf("%s sent %d times as %d different messages (%v): enqueued more than once", p, len(copies), len(ids), ids)
		case !strings.Contains(r.lastError, "interrupted while sending"), r.attempts < len(copies):
			t.Errorf("%s arrived %d times (%s) but its outbox row (%+v) was never interrupted in sending that often", p, len(copies), copies[0].messageID, r)
		default:
			inFlight += len(copies) - 1
			t.Logf("in flight at a kill, sent again: %s %s (%d copies, %d attempts)", p, copies[0].messageID, len(copies), r.attempts)
		}
	}
	if inFlight > recovered {
		t.Errorf("%d extra copies, but the runs put back only %d mails found in sending", inFlight, recovered)
	}
	t.Logf("mails: %d in aiosmtpd (%v) for %d purposes; %d found in sending after a kill and sent again; %d of those arrived twice (accepted by the server before the kill)",
		len(mails), kinds, len(byPurpose), recovered, inFlight)
}
