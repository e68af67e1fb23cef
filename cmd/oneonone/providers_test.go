package main

import (
	"context"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/cmd/oneonone/config"
)

// TestUnknownProviderListsKnownTypes: a calendar of a type no adapter
// handles fails its set-up with a message that names it and the types
// there are.
func TestUnknownProviderListsKnownTypes(t *testing.T) {
	a := &app{cfg: &config.Config{}}
	_, _, err := a.setUpCalendar(context.Background(), config.Calendar{Name: "work", Type: "exchange"})
	if err == nil || !strings.Contains(err.Error(), `calendar work: unknown type "exchange"`) || !strings.Contains(err.Error(), "caldav, google") {
		t.Errorf("err %v", err)
	}
}

// While its set-up fails a calendar is named by its provider's source
// and owner: a Microsoft 365 mailbox by its user, lowercased.
func TestDescribeByProvider(t *testing.T) {
	for _, tc := range []struct {
		c             config.Calendar
		source, owner string
	}{
		{config.Calendar{Type: "caldav", URL: "https://dav.example.com/ada/", Email: "ada@example.com"}, "https://dav.example.com/ada/", "ada@example.com"},
		{config.Calendar{Type: "google", CalendarID: "primary", Subject: "grace@example.com"}, "primary", "grace@example.com"},
		{config.Calendar{Type: "microsoft365", User: "Ada@Example.com"}, "Ada@Example.com", "ada@example.com"},
		{config.Calendar{Type: "exchange", Email: "ada@example.com"}, "", "ada@example.com"},
	} {
		if source, owner := describe(tc.c); source != tc.source || owner != tc.owner {
			t.Errorf("%s: describe = %q, %q; want %q, %q", tc.c.Type, source, owner, tc.source, tc.owner)
		}
	}
}
