package prep

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestAgendaWaitingForSetUpIsNotAnError: an answer that arrives while the
// daemon is still discovering its calendars is written at the next try;
// that is logged at INFO, while a real failure next to it stays an ERROR.
func TestAgendaWaitingForSetUpIsNotAnError(t *testing.T) {
	var buf bytes.Buffer
	l := &Loop{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	waiting := fmt.Errorf("prep: write agenda of s r: sync: agenda of s r in ada: calendar ada: %w", ErrNotSetUp)
	l.logAgendaErrors(errors.Join(waiting, errors.New("prep: write agenda of t r: boom")))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("logged %q", buf.String())
	}
	if !strings.Contains(lines[0], "level=INFO") || !strings.Contains(lines[0], "still being set up") {
		t.Errorf("a calendar being set up: %s", lines[0])
	}
	if !strings.Contains(lines[1], "level=ERROR") || !strings.Contains(lines[1], "boom") {
		t.Errorf("a failure: %s", lines[1])
	}
	buf.Reset()
	l.logAgendaErrors(waiting)
	if strings.Contains(buf.String(), "ERROR") {
		t.Errorf("one waiting agenda logged %q", buf.String())
	}
}
