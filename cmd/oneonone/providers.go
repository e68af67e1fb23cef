package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/calendars/microsoft365"
	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/sync"
)

// provider is one calendar adapter's wiring: a new adapter is one entry
// in providers, with small functions calling into its package.
type provider struct {
	// setUp sets one configured calendar up (discovery, login, the
	// client): the calendars to sync, or what a failed set-up cost in
	// requests with the error. Its HTTP client is a.httpClient(c.Type).
	setUp func(ctx context.Context, a *app, c config.Calendar, rules calendars.Rules) ([]sync.Calendar, int, error)
	// check contacts a calendar set up the way a sync would, for
	// `oneonone check`; nil when setting it up has read it already.
	check func(ctx context.Context, a *app, c config.Calendar, connected bool) error
	// source names the calendar (collection URL, calendar id) while its
	// set-up fails.
	source func(c config.Calendar) string
	// owner is the address of the calendar's owner, as the config names
	// it, while its set-up fails (reconnect mail, leases).
	owner func(c config.Calendar) string
	// connected says the calendar acts through an account connected on
	// this machine, whose grant the database stores; may be nil.
	connected func(c config.Calendar) bool
	// sharing is how the provider's copies are shared, for plans made
	// without setting calendars up (`oneonone series`).
	sharing calendars.Sharing
}

// providers is every calendar adapter, by the config's type.
var providers = map[string]provider{
	"caldav": {setUp: setUpCalDAV, source: func(c config.Calendar) string { return c.URL }, owner: emailOrSubject, sharing: caldav.Sharing},
	"google": {setUp: setUpGoogle, check: checkGoogle, source: func(c config.Calendar) string { return c.CalendarID }, owner: emailOrSubject,
		connected: func(c config.Calendar) bool { return len(c.Credentials) == 0 }, sharing: google.Sharing},
	"microsoft365": {setUp: setUpMicrosoft365, check: checkMicrosoft365, source: func(c config.Calendar) string { return c.User },
		owner: microsoft365Owner, sharing: microsoft365.Sharing},
}

// providerOf is the provider of a configured calendar; an unknown type
// is an error that lists the known ones.
func providerOf(c config.Calendar) (provider, error) {
	p, ok := providers[c.Type]
	if !ok {
		return provider{}, fmt.Errorf("calendar %s: unknown type %q (known types: %s)", c.Name, c.Type,
			strings.Join(slices.Sorted(maps.Keys(providers)), ", "))
	}
	return p, nil
}

// kindSharing is how each kind of calendar shares its copies.
func kindSharing(kind string) calendars.Sharing { return providers[kind].sharing }

// emailOrSubject is a calendar's owner by its email, else the subject a
// service account acts for.
func emailOrSubject(c config.Calendar) string {
	if c.Email == "" {
		return c.Subject
	}
	return c.Email
}

// describe names a configured calendar while its set-up fails: its
// provider's source (collection URL, calendar id) and owner; an unknown
// type has no source.
func describe(c config.Calendar) (source, owner string) {
	p, ok := providers[c.Type]
	if !ok {
		return "", emailOrSubject(c)
	}
	return p.source(c), p.owner(c)
}
