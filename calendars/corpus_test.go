package calendars_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/testkit"
)

// corpusDir is shared/ics-corpus beside the repository.
const corpusDir = "../../shared/ics-corpus"

func requireCorpus(t *testing.T) {
	t.Helper()
	_, err := os.Stat(filepath.Join(corpusDir, "EXPECTED.md"))
	testkit.NeedPeer(t, "the shared iCalendar corpus is not beside the repository (it sits there as shared/ics-corpus)", err)
}

// cal is one corpus file read and expanded, with the queries the
// oracles in EXPECTED.md use.
type cal struct {
	series []*calendars.Series
	probs  []calendars.Problem
}

type occ struct {
	calendars.Occurrence
	uid string
}

func load(t *testing.T, file string) *cal {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, file))
	if err != nil {
		t.Fatalf("read %s: %v", file, err)
	}
	s, p := calendars.ReadICS([]calendars.File{{Name: file, Data: data}}, calendars.ReadOptions{})
	return &cal{series: s, probs: p}
}

// between returns the occurrences overlapping [from, to), by start.
func (c *cal) between(from, to time.Time) []occ {
	var out []occ
	for _, s := range c.series {
		for _, o := range s.Expand(from, to) {
			out = append(out, occ{o, s.UID})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// all is the whole expansion (bounded series), or a very wide window.
func (c *cal) all() []occ { return c.between(utc("1900-01-01"), utc("2100-01-01")) }

// at returns the occurrences overlapping a calendar day, the day taken in
// each series' own zone.
func (c *cal) at(day string) []occ {
	var out []occ
	for _, s := range c.series {
		d, _ := time.ParseInLocation("2006-01-02", day, s.Location)
		for _, o := range s.Expand(d, d.AddDate(0, 0, 1)) {
			out = append(out, occ{o, s.UID})
		}
	}
	return out
}

func utc(s string) time.Time {
	for _, l := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	panic("bad time " + s)
}

func in(zone, s string) time.Time {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func dates(os []occ) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.Start.Format("2006-01-02"))
	}
	return out
}

func instants(os []occ) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.Start.UTC().Format("2006-01-02T15:04Z"))
	}
	return out
}

func keys(os []occ) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.Key.UTC().Format("2006-01-02T15:04Z"))
	}
	sort.Strings(out)
	return out
}

func same(got, want []string) error {
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("got %v, want %v", got, want)
	}
	return nil
}

func count(os []occ, want int) error {
	if len(os) != want {
		return fmt.Errorf("got %d occurrences %v, want %d", len(os), instants(os), want)
	}
	return nil
}

func contains(got []string, want ...string) error {
	set := map[string]bool{}
	for _, g := range got {
		set[g] = true
	}
	for _, w := range want {
		if !set[w] {
			return fmt.Errorf("%s missing from %v", w, got)
		}
	}
	return nil
}

func first(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
