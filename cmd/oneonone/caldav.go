package main

import (
	"context"
	"fmt"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/calendars/caldav"
	caldavstore "github.com/oneonone/oneonone/calendars/caldav/store"
	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/sync"
)

// setUpCalDAV sets up the collections of one configured CalDAV calendar
// (a server or account URL may give several), remembering what discovery
// found in the database when there is one (check has none).
func setUpCalDAV(ctx context.Context, a *app, c config.Calendar, rules calendars.Rules) ([]sync.Calendar, int, error) {
	client, err := caldav.New(c.URL, caldav.Options{Username: c.Username, Password: c.Password, HTTPClient: a.httpClient(c.Type)})
	if err != nil {
		return nil, 0, fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	opt := caldav.SetUpOptions{Client: client, Log: a.log, DefaultZone: a.conf().Location, Moved: func() {
		if a.rediscovered != nil {
			a.rediscovered()
		}
	}}
	if a.db != nil {
		opt.Store = caldavstore.NewDiscoveryStore(a.db, a.now)
	}
	found, requests, err := caldav.SetUp(ctx, caldav.Account{Name: c.Name, URL: c.URL, Username: c.Username, Password: c.Password, Email: c.Email}, opt)
	if err != nil {
		return nil, requests, fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	out := make([]sync.Calendar, 0, len(found))
	for _, f := range found {
		out = append(out, sync.Calendar{Name: f.Name, Kind: c.Type, Source: f.Collection, Owner: f.Owner, Rules: rules,
			Feed: f.Feed, Writer: f.Writer, Sharing: caldav.Sharing})
	}
	return out, 0, nil
}
