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
