package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInspectHostileInvitation: inspect of an event repeating every
// second a million times says in its why that it is not a 1:1, lists no
// more than the cap of occurrences, and has an error naming the event and
// the cap.
func TestInspectHostileInvitation(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	file := filepath.Join(t.TempDir(), "invite.ics")
	body := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:bomb@example.net\r\nDTSTART:20261029T080000Z\r\n" +
		"RRULE:FREQ=SECONDLY;COUNT=1000000\r\nORGANIZER:mailto:mallory@example.net\r\nATTENDEE:mailto:ada@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd(t, now, nil, "inspect", "--json", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Series []struct {
			OneOnOne    bool `json:"one_on_one"`
			Why         string
			Occurrences []json.RawMessage
		}
		Errors []struct{ File, UID, Message string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(got.Series) != 1 || len(got.Errors) != 1 {
		t.Fatalf("%d series, errors %+v", len(got.Series), got.Errors)
	}
	s, e := got.Series[0], got.Errors[0]
	if s.OneOnOne || s.Why != "not a 1:1: repeats every second (FREQ=SECONDLY)" {
		t.Errorf("one_on_one %v, why %q", s.OneOnOne, s.Why)
	}
	if cap := 4 * 91; len(s.Occurrences) != cap || e.UID != "bomb@example.net" || e.File != file ||
		!strings.Contains(e.Message, "more than 364 instances (4 a day) in the window") {
		t.Errorf("%d occurrences (cap %d), error %+v", len(s.Occurrences), cap, e)
	}
	text, _, _ := runCmd(t, now, nil, "inspect", file)
	if !strings.Contains(text, "why: not a 1:1: repeats every second (FREQ=SECONDLY)") || !strings.Contains(text, "bomb@example.net") {
		t.Errorf("text output does not say why:\n%.400s", text)
	}
}
