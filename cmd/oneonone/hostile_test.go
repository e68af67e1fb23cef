package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/oneonone/oneonone/calendars/caldav"
)

// hostileCase is one event someone who wishes us harm puts into a
// watched calendar (an invitation the server delivered, say).
type hostileCase struct {
	name string
	ics  string
}

// hostileEvents are the attacks: rules that never end or end after a
// million instances, a spam run at an outside address, addresses that
// smuggle a second recipient, megabyte text fields, a huge attendee list
// and deep nesting. Each organizer is an outsider inviting Ada.
func hostileEvents(now time.Time) []hostileCase {
	past := icsTime(now.Add(-25 * 24 * time.Hour))
	soon := icsTime(now.Add(90 * time.Minute).Truncate(time.Minute))
	ev := func(uid, start, rule, extra string) string {
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//evil//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
			"\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + start + "\r\nDURATION:PT30M\r\n" + rule +
			"SUMMARY:Sync " + uid + "\r\n" + extra + "END:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	pair := "ORGANIZER:mailto:mallory@evil.example\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.com\r\n"
	victim := "ORGANIZER:mailto:ada@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:victim@elsewhere.example\r\n"

	var rdates strings.Builder
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&rdates, "RDATE:%s\r\n", icsTime(now.Add(time.Duration(i)*5*time.Minute).Truncate(time.Minute)))
	}
	var many strings.Builder
	many.WriteString(pair)
	for i := 0; i < 50000; i++ {
		fmt.Fprintf(&many, "ATTENDEE;CN=Guest %d:mailto:guest%d@evil.example\r\n", i, i)
	}
	nested := strings.Repeat("BEGIN:X-NEST\r\n", 5000) + strings.Repeat("END:X-NEST\r\n", 5000)
	big := strings.Repeat("A", 1<<20)

	return []hostileCase{
		{"secondly", ev("hostile-secondly", past, "RRULE:FREQ=SECONDLY\r\n", pair)},
		{"secondly-count", ev("hostile-secondly-count", past, "RRULE:FREQ=SECONDLY;COUNT=1000000\r\n", pair)},
		{"minutely-spam", ev("hostile-minutely", soon, "RRULE:FREQ=MINUTELY;COUNT=300\r\n", victim)},
		{"hourly", ev("hostile-hourly", past, "RRULE:FREQ=HOURLY;COUNT=100000\r\n", pair)},
		{"rdate-storm", ev("hostile-rdates", soon, "RRULE:FREQ=WEEKLY\r\n"+rdates.String(), victim)},
		{"comma-address", ev("hostile-comma", soon, "RRULE:FREQ=WEEKLY\r\n",
			"ORGANIZER:mailto:ada@example.com\r\nATTENDEE:mailto:grace@example.com,victim@evil.example\r\n")},
		{"crlf-address", ev("hostile-crlf", soon, "RRULE:FREQ=WEEKLY\r\n",
			"ORGANIZER:mailto:ada@example.com\r\nATTENDEE:mailto:grace@example.com%0D%0ABcc:victim@evil.example\r\n")},
		{"bcc-address", ev("hostile-bcc", soon, "RRULE:FREQ=WEEKLY\r\n",
			"ORGANIZER:mailto:ada@example.com\r\nATTENDEE:mailto:grace@example.com?bcc=victim@evil.example\r\n")},
		{"megabyte-description", ev("hostile-description", soon, "RRULE:FREQ=WEEKLY\r\n",
			pair+"DESCRIPTION:"+big+"\r\nLOCATION:"+big[:200000]+"\r\n")},
		{"attendee-list", ev("hostile-attendees", soon, "RRULE:FREQ=WEEKLY\r\n", many.String())},
		{"deep-nesting", ev("hostile-nesting", soon, "RRULE:FREQ=WEEKLY\r\n", pair+nested)},
	}
}

// TestProcessHostileCalendar: every hostile event above lands in Ada's
// Radicale calendar beside an ordinary weekly 1:1 with Grace. The daemon
// stays small, stores a bounded number of rows, mails no outsider and no
// smuggled address, explains each hostile series in `series`, and still
// runs the real 1:1's whole prep cycle: both invites, both answers, the
// agenda in the occurrence.
func TestProcessHostileCalendar(t *testing.T) {
	b := newProcBed(t)
	now := time.Now()
	start := now.Add(3 * time.Hour).Truncate(time.Minute)
	var stored []string
	for _, c := range hostileEvents(now) {
		if status := b.dav.TryPut(t, "test", b.col+c.name+".ics", []byte(c.ics)); status >= 300 {
			t.Logf("Radicale refused %s with %d: the daemon never sees it", c.name, status)
			continue
		}
		stored = append(stored, c.name)
	}
	b.dav.Put(t, "test", b.col+"1on1.ics", []byte(weeklyAt(start, "Bring the roadmap.")))
	if len(stored) < 8 {
		t.Fatalf("Radicale took only %v: the suite would prove little", stored)
	}
	b.config(b.smtp.Addr, "")
	p := b.start()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("daemon log:\n%s", tail(p.logs.String(), 6000))
		}
	})
	p.ready(30 * time.Second)

	// Ada has several 1:1s today, so her link may come in a digest: the
	// real 1:1's link is the one whose form names Grace.
	links := map[string]string{}
	poll(t, 120*time.Second, "both invites of the real 1:1", func() bool {
		links["grace@example.com"] = invitesTo(b.mails())["grace@example.com"]
		links["ada@example.com"] = formLinkFor(b, "ada@example.com", "1:1 with Grace Hopper")
		return links["ada@example.com"] != "" && links["grace@example.com"] != ""
	})
	client := noRedirect()
	for who, text := range map[string]string{"ada@example.com": "Roadmap for Q3", "grace@example.com": "My promotion case"} {
		if status, err := postForm(client, b.public, links[who], url.Values{"a.topics": {text}}); err != nil || status != http.StatusSeeOther {
			t.Fatalf("%s answers: %d %v\n%s", who, status, err, tail(p.logs.String(), 4000))
		}
	}
	davc, _ := caldav.New(b.col, caldav.Options{Username: "test", Password: "testpass"})
	poll(t, 120*time.Second, "the agenda in the real 1:1's occurrence", func() bool {
		desc := occurrenceDescription(t, davc, b.col+"1on1.ics", start)
		return strings.Contains(desc, "Roadmap for Q3") && strings.Contains(desc, "My promotion case")
	})
	// Give any amplified mail time to come out before counting.
	time.Sleep(3 * time.Second)

	peak, err := statusKB(p.cmd.Process.Pid, "VmHWM")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("peak RSS through the hostile calendar: %d MB", peak/1024)
	if peak > 150*1024 {
		t.Errorf("peak RSS %d MB, want under 150 MB", peak/1024)
	}

	mails := b.mails()
	perAddr := map[string]int{}
	for _, m := range mails {
		perAddr[m.to]++
		// Mallory may invite Ada to a 1:1 with himself (the megabyte
		// description): he gets his own invite, nobody he names does.
		if (strings.Contains(m.to, "evil.example") && m.to != "mallory@evil.example") || strings.ContainsAny(m.to, ",%\r\n") {
			t.Errorf("mail to %q (%s)", m.to, m.subject)
		}
	}
	if n := perAddr["mallory@evil.example"]; n > 2 {
		t.Errorf("%d mails to mallory@evil.example, want at most invite and reminder", n)
	}
	if n := perAddr["ada@example.com"]; n > 4 {
		t.Errorf("%d mails to ada@example.com, want a handful (a digest or one invite per 1:1)", n)
	}
	// The RDATE storm is a real-looking 1:1 with an outsider: it may get
	// its next occurrence's invite and reminder, never a mail per instance.
	if n := perAddr["victim@elsewhere.example"]; n > 2 {
		t.Errorf("%d mails to victim@elsewhere.example, want at most 2 (invite and reminder of the next occurrence)", n)
	}
	// Grace: the one invite of the real 1:1, and its agenda by mail (her
	// calendar is not watched), at most the settled one and one update.
	kinds := map[string]int{}
	for _, m := range mails {
		if m.to == "grace@example.com" {
			kinds[m.kind]++
		}
	}
	if kinds["invite"] != 1 || kinds["agenda"] > 2 || kinds["invite"]+kinds["agenda"] != perAddr["grace@example.com"] {
		t.Errorf("mails to grace@example.com by kind: %v, want one invite and at most two agendas", kinds)
	}

	rows := countRows(t, filepath.Join(b.stateDir, "oneonone.db"))
	t.Logf("rows after the hostile calendar: %v", rows)
	if rows["occurrences"] > 2000 {
		t.Errorf("%d occurrence rows, want at most 2,000 for %d hostile series and one 1:1", rows["occurrences"], len(stored))
	}
	if rows["mailer_outbox"] > 10 {
		t.Errorf("%d outbox rows, want at most 10", rows["mailer_outbox"])
	}
	p.stop()
	checkSeriesExplained(t, b, stored)
}

// checkSeriesExplained runs `series --json` and checks that no hostile
// series is a 1:1 except two well-formed pairs whose cost is bounded
// otherwise (the RDATE storm by the expansion cap and next-occurrence
// invites, the megabyte description by the field limits), and that each
// says why in its line.
func checkSeriesExplained(t *testing.T, b *procBed, stored []string) {
	t.Helper()
	out, err := exec.Command(b.bin, "series", "--json", "--config", b.file).Output()
	if err != nil {
		t.Fatalf("series --json: %v", err)
	}
	var got struct {
		Series []struct {
			UID      string `json:"uid"`
			OneOnOne bool   `json:"one_on_one"`
			Why      string `json:"why"`
		} `json:"series"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("series --json: %v\n%s", err, out)
	}
	why := map[string]string{}
	for _, s := range got.Series {
		why[s.UID] = s.Why
		if strings.HasPrefix(s.UID, "hostile-") && s.UID != "hostile-rdates" && s.UID != "hostile-description" && s.OneOnOne {
			t.Errorf("%s taken as a 1:1: %s", s.UID, s.Why)
		}
	}
	wants := map[string]string{
		"hostile-secondly": "second", "hostile-secondly-count": "second", "hostile-minutely": "minute",
		"hostile-comma": "malformed", "hostile-crlf": "malformed", "hostile-bcc": "malformed",
	}
	for uid, word := range wants {
		if w, ok := why[uid]; ok && !strings.Contains(strings.ToLower(w), word) {
			t.Errorf("%s: why %q does not say %q", uid, w, word)
		}
	}
	if _, ok := why["e2e-1on1"]; !ok {
		t.Errorf("the real 1:1 is missing from series: %s", out)
	}
}

// countRows counts the rows of the tables that an event can grow.
func countRows(t *testing.T, file string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	for _, table := range []string{"occurrences", "series", "history", "mailer_outbox", "calendar_objects"} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// formLinkFor returns the form link, among all the mails to addr, whose
// page names title ("" when none does yet).
func formLinkFor(b *procBed, addr, title string) string {
	re := regexp.MustCompile(regexp.QuoteMeta(b.public) + `/p/[A-Za-z0-9_-]{43}`)
	for _, m := range b.mails() {
		if m.to != addr {
			continue
		}
		for _, link := range re.FindAllString(m.text, -1) {
			if page, status, err := quietGet(link); err == nil && status == 200 && strings.Contains(page, title) {
				return link
			}
		}
	}
	return ""
}
