package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/mailer/smtptest"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

// instancesBed is three `oneonone run` processes sharing one PostgreSQL
// database (same config apart from listen and state_dir, the same
// secrets key), Radicale with one collection per organizer, and aiosmtpd.
type instancesBed struct {
	t      *testing.T
	dav    *caldavtest.Server
	smtp   *smtptest.Server
	cols   []string // a collection per organizer ada0, ada1, …
	addrs  []string // each instance's listen address
	public string   // the public_url of all: the load balancer's
	procs  []*proc
}

const sharedInterval = 30 * time.Second // the shortest sync.interval the config takes

func newInstancesBed(t *testing.T, calendars, instances int) *instancesBed {
	b := &instancesBed{t: t, dav: caldavtest.StartRadicale(t), smtp: smtptest.StartAiosmtpd(t)}
	var cals strings.Builder
	for i := range calendars {
		col := b.dav.MakeCalendar(t, "test", fmt.Sprintf("c%d", i))
		b.cols = append(b.cols, col)
		cals.WriteString(caldavCalendar(fmt.Sprintf("ada%d", i), col, fmt.Sprintf("ada%d@example.com", i)))
	}
	dir := t.TempDir()
	database := fmt.Sprintf("[database]\nurl = %q\n", dbtest.URL(t)) // one PostgreSQL database for all
	bin := builtBinary(t)
	for range instances {
		b.addrs = append(b.addrs, freeLoopback(t))
	}
	b.public = "http://" + b.addrs[0]
	host, port, _ := strings.Cut(b.smtp.Addr, ":")
	n, _ := strconv.Atoi(port)
	for i, addr := range b.addrs {
		file := filepath.Join(dir, fmt.Sprintf("oneonone%d.toml", i))
		state := filepath.Join(dir, fmt.Sprintf("state%d", i))
		processConfig(t, file, state, addr, smtpKeys(host, n), fmt.Sprintf("%s[sync]\ninterval = %q\nconcurrency = 4\n%s", database, sharedInterval, cals.String()))
		// Every instance sends links to the one public URL.
		rewriteKey(t, file, "public_url", b.public)
		b.procs = append(b.procs, startProc(t, bin, filepath.Join(dir, fmt.Sprintf("n%d.sock", i)), nil, "run", "--config", file))
	}
	t.Cleanup(func() {
		if t.Failed() {
			for i, p := range b.procs {
				logs := p.logs.String()
				t.Logf("instance %d:\n%s", i, logs[max(len(logs)-4000, 0):])
			}
		}
	})
	for _, p := range b.procs {
		p.ready(60 * time.Second)
	}
	return b
}

// putMeeting puts a weekly 1:1 of ada<i> and grace<i> into collection i.
func (b *instancesBed) putMeeting(i int, uid string, start time.Time) {
	ics := strings.NewReplacer("UID:e2e-1on1", "UID:"+uid, "ada@example.com", fmt.Sprintf("ada%d@example.com", i),
		"grace@example.com", fmt.Sprintf("grace%d@example.com", i)).Replace(weeklyAt(start, "Bring the roadmap."))
	b.dav.Put(b.t, "test", b.cols[i]+uid+".ics", []byte(ics))
}

func (b *instancesBed) mails() []sentMail { return parseMails(b.smtp.Messages(b.t), b.public) }

// metric sums one metric over the instances still running.
func (b *instancesBed) metric(name string) float64 {
	sum := 0.0
	for i, p := range b.procs {
		if !p.alive() {
			continue
		}
		body, _, _ := quietGet("http://" + b.addrs[i] + "/metrics")
		v, _ := metricValue(body, name)
		sum += v
	}
	return sum
}

// via is link as served by instance i (the load balancer's choice).
func (b *instancesBed) via(i int, link string) string {
	return strings.Replace(link, b.public, "http://"+b.addrs[i], 1)
}

// TestThreeInstancesShareTheWork: three instances on one database sync
// every calendar (each held by one instance), send every invite exactly
// once, take two answers through two different instances and write the
// agenda once; after kill -9 of one, the others sync its calendars
// within two intervals and no mail goes out twice (but one the killed
// instance had in flight, counted); one stopped with SIGTERM hands its
// leases back.
func TestThreeInstancesShareTheWork(t *testing.T) {
	const cals = 6
	b := newInstancesBed(t, cals, 3)
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	for i := range cals {
		b.putMeeting(i, fmt.Sprintf("one%d", i), start)
	}
	var links map[string]string
	poll(t, 4*sharedInterval, "an invite to each of the 12 people", func() bool {
		links = invitesTo(b.mails())
		return len(links) == 2*cals
	})
	poll(t, 3*sharedInterval, "every calendar's lease held by one instance", func() bool {
		return b.metric("oneonone_calendar_leases_held") == cals
	})

	// Two answers through two instances; Ada's copy gets one agenda.
	client := noRedirect()
	for i, who := range map[int]string{1: "ada0@example.com", 2: "grace0@example.com"} {
		if status, err := postForm(client, b.public, b.via(i, links[who]), url.Values{"a.topics": {"topic of " + who}}); err != nil || status != http.StatusSeeOther {
			t.Fatalf("%s answers through instance %d: %d %v", who, i, status, err)
		}
	}
	dav, _ := caldav.New(b.cols[0], caldav.Options{Username: "test", Password: "testpass"})
	var desc string
	poll(t, 3*sharedInterval, "the agenda with both answers in Radicale", func() bool {
		desc = occurrenceDescription(t, dav, b.cols[0]+"one0.ics", start)
		return strings.Contains(desc, "topic of ada0") && strings.Contains(desc, "topic of grace0")
	})
	for _, who := range []string{"ada0", "grace0"} {
		if n := strings.Count(desc, "topic of "+who); n != 1 {
			t.Errorf("%s's answer is %d times in the agenda:\n%s", who, n, desc)
		}
	}

	// kill -9 of the first instance; a new meeting in every calendar must
	// be synced (and invited) by the others within two intervals.
	held := instanceMetric(b, 0, "oneonone_calendar_leases_held")
	b.procs[0].kill()
	killedAt := time.Now()
	later := start.Add(time.Hour)
	for i := range cals {
		b.putMeeting(i, fmt.Sprintf("two%d", i), later)
	}
	poll(t, 2*sharedInterval+15*time.Second, "the invites of the new meetings in every calendar", func() bool {
		return len(inviteLinks(b.mails())) == 4*cals
	})
	t.Logf("calendars of the killed instance (%.0f) synced by the others %s after the kill", held, time.Since(killedAt).Round(time.Second))
	if held > 0 && b.metric("oneonone_calendar_lease_takeovers_total") < 1 {
		t.Errorf("the killed instance held %.0f leases; the others report no takeover", held)
	}
	time.Sleep(2 * time.Second) // nothing more may come
	checkOnce(t, b)

	// SIGTERM hands the leases back at once: the last instance takes them
	// at its next pass, as free leases, not by waiting for them to expire.
	takeovers := instanceMetric(b, 2, "oneonone_calendar_lease_takeovers_total")
	b.procs[1].stop()
	if !strings.Contains(b.procs[1].logs.String(), "calendar leases handed back") {
		t.Errorf("instance 1 stopped without handing its leases back")
	}
	poll(t, sharedInterval+15*time.Second, "the last instance holding every calendar", func() bool {
		return b.metric("oneonone_calendar_leases_held") == cals
	})
	if got := instanceMetric(b, 2, "oneonone_calendar_lease_takeovers_total"); got != takeovers {
		t.Errorf("the stopped instance's leases were taken over (%.0f takeovers, were %.0f), not handed back", got, takeovers)
	}
}

// instanceMetric is one metric of instance i.
func instanceMetric(b *instancesBed, i int, name string) float64 {
	body, _, _ := quietGet("http://" + b.addrs[i] + "/metrics")
	v, _ := metricValue(body, name)
	return v
}

// inviteLinks are the distinct links of the invites: one per person and
// meeting.
func inviteLinks(ms []sentMail) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		if m.kind == "invite" && m.link != "" {
			out[m.link] = true
		}
	}
	return out
}

// rewriteKey sets a top-level key of the config file written by
// processConfig.
func rewriteKey(t *testing.T, file, key, value string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + ` = .*$`)
	if err := os.WriteFile(file, re.ReplaceAll(data, []byte(fmt.Sprintf("%s = %q", key, value))), 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkOnce fails for any mail sent twice beyond those the instances
// found left in sending by the killed one (each may repeat once).
func checkOnce(t *testing.T, b *instancesBed) {
	t.Helper()
	repeatable := 0
	for _, p := range b.procs {
		repeatable += putBack(p.logs.String())
	}
	seen := map[string]int{}
	dups := 0
	for _, m := range b.mails() {
		key := m.purpose() + " " + m.link
		seen[key]++
		if seen[key] > 1 {
			dups++
		}
	}
	t.Logf("%d mails, %d sent again after the kill (%d were in flight at it)", len(b.mails()), dups, repeatable)
	if dups > repeatable {
		t.Errorf("%d mails went out twice, only %d were in flight at the kill: %v", dups, repeatable, seen)
	}
}

// putBack counts the mails an instance put back in the queue from
// sending (its own at start, a dead instance's after the claim expired).
func putBack(logs string) int {
	n := 0
	re := regexp.MustCompile(`(?:mail interrupted by the previous stop|mail left in sending by a stopped instance)[^\n]*count=(\d+)`)
	for _, m := range re.FindAllStringSubmatch(logs, -1) {
		k, _ := strconv.Atoi(m[1])
		n += k
	}
	return n
}
