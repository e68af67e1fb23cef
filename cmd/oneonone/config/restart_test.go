package config

import (
	"slices"
	"testing"
	"time"
)

// A reload that changes the listener and the mail server says both need
// a restart; the sync interval and calendars apply at once.
func TestNeedsRestartNamesHeldSettings(t *testing.T) {
	old := &Config{Listen: "127.0.0.1:8080", Mail: Mail{SMTPHost: "a.example.com"}}
	old.Sync.Interval = time.Minute
	cfg := &Config{Listen: "127.0.0.1:9090", Mail: Mail{SMTPHost: "b.example.com"},
		Calendars: []Calendar{{Name: "ada"}}}
	cfg.Sync.Interval = 5 * time.Minute
	if got, want := NeedsRestart(old, cfg), []string{"listen", "[mail]"}; !slices.Equal(got, want) {
		t.Fatalf("NeedsRestart = %q, want %q", got, want)
	}
	if got := NeedsRestart(old, old); len(got) != 0 {
		t.Fatalf("an unchanged config needs a restart for %q", got)
	}
}
