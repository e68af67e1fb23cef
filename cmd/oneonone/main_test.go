package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/calendars/testkit"
)

// run runs a command in-process at a fixed time.
func runCmd(t *testing.T, now time.Time, getenv map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdout: &out, stderr: &errOut, now: func() time.Time { return now }, getenv: func(k string) string { return getenv[k] }}
	code := runArgs(context.Background(), e, args)
	return out.String(), errOut.String(), code
}

func TestInspectJSONContract(t *testing.T) {
	out, errOut, code := runCmd(t, time.Now(), nil, "inspect", "--json", "--from", "2026-01-01", "--to", "2026-03-01", "testdata/weekly-1on1.ics", "testdata/standup.ics")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Series []struct {
			UID, Summary, Timezone, Organizer, Why string
			Recurring                              bool
			OneOnOne                               bool `json:"one_on_one"`
			Attendees                              []map[string]string
			Occurrences                            []struct {
				RecurrenceID string `json:"recurrence_id"`
				Start, End   string
				AllDay       bool `json:"all_day"`
				Status       string
				Moved        bool
			}
		}
		Errors []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got.Series) != 2 || len(got.Errors) != 0 {
		t.Fatalf("got %d series and errors %v", len(got.Series), got.Errors)
	}
	s := got.Series[0]
	if !s.OneOnOne || s.Timezone != "Europe/Berlin" || s.Organizer != "ada@example.com" || len(s.Attendees) != 3 {
		t.Errorf("1:1 series: %+v", s)
	}
	if got.Series[1].OneOnOne || got.Series[1].Timezone != "Europe/Berlin" {
		t.Errorf("stand-up taken as a 1:1 or zone not mapped: %+v", got.Series[1].Why)
	}
	var starts []string
	for _, o := range s.Occurrences {
		starts = append(starts, fmt.Sprintf("%s %s %v", o.RecurrenceID, o.Start, o.Moved))
	}
	want := []string{"2026-01-05T09:00:00Z 2026-01-05T10:00:00+01:00 false", "2026-01-12T09:00:00Z 2026-01-12T10:00:00+01:00 false",
		"2026-01-26T09:00:00Z 2026-01-27T14:00:00+01:00 true", "2026-02-02T09:00:00Z 2026-02-02T10:00:00+01:00 false",
		"2026-02-09T09:00:00Z 2026-02-09T10:00:00+01:00 false", "2026-02-16T09:00:00Z 2026-02-16T10:00:00+01:00 false",
		"2026-02-23T09:00:00Z 2026-02-23T10:00:00+01:00 false"}
	if fmt.Sprint(starts) != fmt.Sprint(want) {
		t.Errorf("occurrences\n got %v\nwant %v", starts, want)
	}
}

func TestInspectReportsEveryCorpusFile(t *testing.T) {
	const corpus = "../../../shared/ics-corpus/*/*.ics"
	files, _ := filepath.Glob(corpus)
	if len(files) == 0 {
		testkit.NeedPeer(t, "the shared iCalendar corpus is not beside the repository", errors.New("no file matches "+corpus))
	}
	for _, f := range files {
		out, errOut, code := runCmd(t, time.Now(), nil, "inspect", "--json", "--from", "2000-01-01", "--to", "2030-01-01", f)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", f, code, errOut)
		}
		if !json.Valid([]byte(out)) {
			t.Errorf("%s: output is not JSON", f)
		}
	}
}

func TestInspectUnreadableFile(t *testing.T) {
	_, _, code := runCmd(t, time.Now(), nil, "inspect", "--json", "testdata/weekly-1on1.ics", "testdata/missing.ics")
	if code != 1 {
		t.Errorf("exit %d for a missing file, want 1", code)
	}
	_, errOut, code := runCmd(t, time.Now(), nil, "inspect", "--from", "yesterday", "testdata/weekly-1on1.ics")
	if code != 2 || !bytes.Contains([]byte(errOut), []byte("--from")) {
		t.Errorf("bad --from: exit %d, %q", code, errOut)
	}
}

func TestSyncSeriesHistoryAgainstRadicale(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	col := srv.MakeCalendar(t, "test", "work")
	data, _ := os.ReadFile("testdata/weekly-1on1.ics")
	srv.Put(t, "test", col+"sample.ics", data)
	data, _ = os.ReadFile("testdata/standup.ics")
	srv.Put(t, "test", col+"standup.ics", data)
	dir := t.TempDir()
	cfg := fmt.Sprintf(`state_dir = %q
public_url = "http://127.0.0.1:8080"
[mail]
from = "oneonone@example.com"
[[calendar]]
name = "ada"
type = "caldav"
url = %q
username = "test"
password = "testpass"
[[calendar]]
name = "broken"
type = "caldav"
url = %q
username = "test"
password = "wrong"
`, dir, srv.URL+"/test/", col)
	file := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(file, []byte(cfg), 0o600)
	now := time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC)
	out, errOut, code := runCmd(t, now, nil, "sync", "--once", "--json", "--config", file)
	if code != 1 {
		t.Fatalf("sync with one broken calendar: exit %d, want 1\n%s%s", code, out, errOut)
	}
	var sum struct {
		Calendars []struct{ Calendar, Error string }
	}
	json.Unmarshal([]byte(out), &sum)
	errs := map[string]string{}
	for _, c := range sum.Calendars {
		errs[c.Calendar] = c.Error
	}
	if len(sum.Calendars) != 2 || errs["ada/work"] != "" || errs["broken"] == "" {
		t.Errorf("summary %+v", sum)
	}
	out, _, _ = runCmd(t, now, map[string]string{"ONEONONE_CONFIG": file}, "series", "--json")
	var series struct {
		Series []struct {
			UID, Calendar, Why string
			Participants       []string
			OneOnOne           bool `json:"one_on_one"`
			Next               *string
			Agenda             []struct{ Email, Via, Why string }
		}
	}
	json.Unmarshal([]byte(out), &series)
	// The calendar's owner is unknown (username "test", no email), so no
	// copy is known to reach either person: both get the agenda by mail.
	if a := series.Series[0].Agenda; len(a) != 2 || a[0].Via != "mail" || a[1].Via != "mail" || !strings.Contains(a[0].Why, "set email on it") {
		t.Errorf("agenda routes: %+v", a)
	}
	if text, _, _ := runCmd(t, now, map[string]string{"ONEONONE_CONFIG": file}, "series"); !strings.Contains(text, "Where the agenda goes:") ||
		strings.Count(text, ": by mail — ") != 2 {
		t.Errorf("series text:\n%s", text)
	}
	if len(series.Series) != 2 || !series.Series[0].OneOnOne || series.Series[0].Next == nil || *series.Series[0].Next != "2026-01-27T14:00:00+01:00" {
		t.Errorf("series: %s", out)
	}
	if series.Series[1].OneOnOne || series.Series[1].Why != "3 people: ada@example.com, grace@example.com, linus@example.com" {
		t.Errorf("stand-up: %+v", series.Series[1])
	}
	out, _, code = runCmd(t, now, nil, "history", "--json", "--config", file, "--pair", "grace@example.com,ada@example.com")
	var hist struct {
		Events []struct {
			Pair []string
			Kind string
		}
		Pairs []struct{ Held int }
	}
	json.Unmarshal([]byte(out), &hist)
	if code != 0 || len(hist.Events) != 1 || hist.Events[0].Kind != "created" || hist.Events[0].Pair[0] != "ada@example.com" {
		t.Errorf("history: %s", out)
	}
}
