package config

import (
	"slices"
	"testing"
)

// [calendar.detect] overrides the global [detect] key by key.
func TestDetectOverride(t *testing.T) {
	doc := publicURL + mailOK + `[detect]
include_titles = ["(?i)1:1"]
exclude_titles = ["(?i)interview"]
ignore_attendees = ["Room@Example.com", "@Resource.Example.com"]

[[calendar]]
name = "plain"
type = "caldav"
url = "https://dav.example.com/a/"

[[calendar]]
name = "custom"
type = "caldav"
url = "https://dav.example.com/b/"
[calendar.detect]
include_titles = []
opt_in_marker = "[1:1]"

[[calendar]]
name = "inline"
type = "caldav"
url = "https://dav.example.com/c/"
detect = { ignore_attendees = ["@other.example"] }
`
	c := mustParse(t, doc, "", noEnv)
	g := c.Detect
	if len(g.Include) != 1 || len(g.Exclude) != 1 || !g.Include[0].MatchString("Ada / Bob 1:1") {
		t.Fatalf("global include %v exclude %v", g.Include, g.Exclude)
	}
	if want := []string{"room@example.com", "@resource.example.com"}; !slices.Equal(g.IgnoreAttendees, want) {
		t.Errorf("global ignore = %v, want %v", g.IgnoreAttendees, want)
	}

	plain, custom, inline := c.Calendars[0].Detect, c.Calendars[1].Detect, c.Calendars[2].Detect
	if len(plain.Include) != 1 || len(plain.Exclude) != 1 || plain.OptInMarker != "#1on1" || !slices.Equal(plain.IgnoreAttendees, g.IgnoreAttendees) {
		t.Errorf("plain = %+v, want the global rules", plain)
	}
	if len(custom.IncludeTitles) != 0 || len(custom.Include) != 0 || len(custom.Exclude) != 1 ||
		custom.OptInMarker != "[1:1]" || custom.OptOutMarker != "#no1on1" {
		t.Errorf("custom = %+v", custom)
	}
	if !slices.Equal(inline.IgnoreAttendees, []string{"@other.example"}) || len(inline.Include) != 1 {
		t.Errorf("inline = %+v", inline)
	}
	// Normalizing a calendar's list must not touch the global one.
	if g.IgnoreAttendees[0] != "room@example.com" {
		t.Errorf("global ignore changed: %v", g.IgnoreAttendees)
	}
}

// A bad global rule is reported once, not again for every calendar that
// inherits it; and [detect] applies to calendars above it in the file too.
func TestDetectGlobalAfterCalendars(t *testing.T) {
	second := "[[calendar]]\nname = \"bob\"\ntype = \"caldav\"\nurl = \"https://dav.example.com/bob/\"\n"
	list := problemsOf(t, minimal+second+"[detect]\ninclude_titles = [\"(\"]\n", "")
	if len(list) != 1 || list[0].Key != "detect.include_titles[0]" {
		t.Errorf("got %v", list)
	}
	c := mustParse(t, minimal+second+"[detect]\nopt_in_marker = \"+1:1\"\n", "", noEnv)
	if c.Calendars[0].Detect.OptInMarker != "+1:1" || c.Calendars[1].Detect.OptInMarker != "+1:1" {
		t.Errorf("calendars do not inherit a later [detect]: %+v", c.Calendars)
	}
}
