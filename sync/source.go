// Package sync is the engine: it pulls each calendar's changes, reads and
// expands the series in them, decides which are 1:1s, reconciles their
// occurrences with what is stored, and records what happened as history.
package sync

import (
	"context"
	"time"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/sync/store"
)

// Schema is the sync engine's tables, for db.Open; they live in its store.
var Schema = store.Schema

// Feed is a calendar's change feed (caldav.Feed and google.Feed are). The cursor is opaque to the engine;
// it stores the new one in the same transaction as the changes.
type Feed interface {
	Changes(ctx context.Context, cursor string) (calendars.Delta, string, error)
}

// Calendar is one configured calendar, as its adapter set it up: all the
// engine needs from a provider.
type Calendar struct {
	Name   string // the config name
	Kind   string // the provider, as configured: caldav | google | …
	Source string // collection URL or calendar id, for display
	Owner  string // the owner's email when known: tells the organizer's copy
	Feed   Feed
	Rules  calendars.Rules
	// Writer writes agendas into this calendar's copies of meetings; nil
	// when the calendar cannot be written.
	Writer OccurrenceWriter
	// Sharing says who sees what is written into a copy here.
	Sharing calendars.Sharing
}

// Window is how far back and ahead occurrences are materialized.
type Window struct {
	Past, Ahead time.Duration
}

// DefaultWindow is 30 days back and 60 ahead.
var DefaultWindow = Window{Past: 30 * 24 * time.Hour, Ahead: 60 * 24 * time.Hour}
