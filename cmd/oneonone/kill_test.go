package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

// TestKilledSyncLosesAndDuplicatesNothing runs the real binary's
// `sync --once` and kills it with SIGKILL at random moments, then lets a
// run finish: the history must hold each event exactly once.
func TestKilledSyncLosesAndDuplicatesNothing(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	col := srv.MakeCalendar(t, "test", "work")
	dir := t.TempDir()
	bin := builtBinary(t)
	file := filepath.Join(dir, "oneonone.toml")
	cfg := fmt.Sprintf("state_dir = %q\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"o@example.com\"\n[[calendar]]\nname = \"ada\"\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"testpass\"\n", dir, col)
	os.WriteFile(file, []byte(cfg), 0o600)
	one, _ := os.ReadFile("testdata/weekly-1on1.ics")
	// A series that starts next week, so its occurrences are in the future
	// whenever the test runs.
	next := time.Now().UTC().AddDate(0, 0, 7).Format("20060102")
	ics := strings.NewReplacer("20260105T", next+"T", "COUNT=10", "COUNT=40").Replace(string(one))
	ics = ics[:strings.Index(ics, "BEGIN:VEVENT\r\nUID:sample-weekly-1on1@oneonone\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID")] + "END:VCALENDAR\r\n"
	srv.Put(t, "test", col+"a.ics", []byte(ics))
	rng := rand.New(rand.NewSource(1))
	killRuns := func(n int) int {
		killed := 0
		for i := 0; i < n; i++ {
			cmd := exec.Command(bin, "sync", "--once", "--config", file)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(rng.Intn(150)) * time.Millisecond)
			if cmd.Process.Signal(syscall.SIGKILL) == nil {
				killed++
			}
			cmd.Wait()
		}
		return killed
	}
	finish := func() {
		if out, err := exec.Command(bin, "sync", "--once", "--config", file).CombinedOutput(); err != nil {
			t.Fatalf("clean run: %v\n%s", err, out)
		}
	}
	killRuns(15)
	finish()
	// Move the third occurrence, kill again, finish again.
	third := time.Now().UTC().AddDate(0, 0, 21).Format("20060102")
	moved := strings.Replace(ics, "END:VCALENDAR", "BEGIN:VEVENT\r\nUID:sample-weekly-1on1@oneonone\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:"+thirdMonday(third)+"T100000\r\nDTSTART;TZID=Europe/Berlin:"+thirdMonday(third)+"T170000\r\nSUMMARY:moved\r\nORGANIZER:mailto:ada@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR", 1)
	srv.Put(t, "test", col+"a.ics", []byte(moved))
	killRuns(15)
	finish()

	d, err := db.Open(context.Background(), filepath.Join(dir, "oneonone.db"), sync.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	events, err := sync.History(context.Background(), d, nil)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	if strings.Join(kinds, ",") != "created,moved" {
		t.Errorf("history after killed runs: %v, want exactly created, moved", kinds)
	}
}

// thirdMonday returns the Monday on or before the given date (YYYYMMDD):
// the sample series meets on Mondays.
func thirdMonday(day string) string {
	t, _ := time.Parse("20060102", day)
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, -1)
	}
	return t.Format("20060102")
}
