package config

import "testing"

// A calendar found under a configured name belongs to it; a disabled or
// removed one, or one whose name merely starts alike, does not.
func TestWatchesConfiguredAndDiscovered(t *testing.T) {
	cfg := &Config{Calendars: []Calendar{{Name: "ada", Enabled: true}, {Name: "paused", Enabled: false}}}
	for name, want := range map[string]bool{"ada": true, "ada/work": true, "adam": false, "paused": false, "gone": false} {
		if got := cfg.Watches(name); got != want {
			t.Errorf("Watches(%q) = %v, want %v", name, got, want)
		}
	}
}
