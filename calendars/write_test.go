package calendars_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/oneonone/oneonone/calendars"
)

// copyServer is a copy that other writers change before some of our
// writes land, as a server answering 412.
type copyServer struct {
	version, text string
	raced         int // how many of our writes meet someone else's change
	reads, writes int
}

func (s *copyServer) read(context.Context) ([2]string, error) {
	s.reads++
	return [2]string{s.version, s.text}, nil
}

func (s *copyServer) write(_ context.Context, read, edited [2]string) error {
	s.writes++
	if s.raced > 0 {
		s.raced--
		s.version += "'"
		s.text += " +theirs"
	}
	if read[0] != s.version {
		return fmt.Errorf("put: %w", calendars.ErrConflict)
	}
	s.version, s.text = s.version+"'", edited[1]
	return nil
}

func addAgenda(c [2]string) ([2]string, bool, error) {
	return [2]string{c[0], c[1] + " +agenda"}, true, nil
}

func TestWriteConditionallyReappliesToTheirVersion(t *testing.T) {
	s := &copyServer{version: "1", text: "notes", raced: 2}
	if err := calendars.WriteConditionally(t.Context(), 5, s.read, addAgenda, s.write); err != nil {
		t.Fatal(err)
	}
	if s.text != "notes +theirs +theirs +agenda" || s.reads != 3 || s.writes != 3 {
		t.Errorf("text %q after %d reads, %d writes", s.text, s.reads, s.writes)
	}
}

func TestWriteConditionallyGivesUp(t *testing.T) {
	s := &copyServer{version: "1", text: "notes", raced: 100}
	err := calendars.WriteConditionally(t.Context(), 3, s.read, addAgenda, s.write)
	if !errors.Is(err, calendars.ErrConflict) || s.writes != 3 {
		t.Errorf("%v after %d writes; want a conflict after 3", err, s.writes)
	}
}

func TestWriteConditionallyStops(t *testing.T) {
	s := &copyServer{version: "1", text: "notes"}
	unchanged := func(c [2]string) ([2]string, bool, error) { return c, false, nil }
	if err := calendars.WriteConditionally(t.Context(), 3, s.read, unchanged, s.write); err != nil || s.writes != 0 {
		t.Errorf("an edit that changes nothing: %v, %d writes", err, s.writes)
	}
	refused := errors.New("403")
	failing := func(context.Context, [2]string, [2]string) error { return refused }
	if err := calendars.WriteConditionally(t.Context(), 3, s.read, addAgenda, failing); !errors.Is(err, refused) || s.reads != 2 {
		t.Errorf("a refused write: %v after %d reads; want it returned at once", err, s.reads)
	}
}
