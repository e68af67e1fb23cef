package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/oneonone/oneonone/cmd/oneonone/config"
	"github.com/oneonone/oneonone/sync"
	"github.com/oneonone/oneonone/sync/db"
)

type readiness struct {
	Store     string            `json:"store"` // sqlite | postgresql
	Database  string            `json:"database"`
	Mail      string            `json:"mail"`
	Calendars map[string]string `json:"calendars"`
}

// readyz answers 200 when the database answers, the SMTP server accepts
// our configuration and no calendar is unhealthy, else 503; the body says
// which part is not ready and why.
func (d *daemon) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	out := readiness{Store: db.DialectOf(d.app.db).String(), Database: "ok", Mail: "ok", Calendars: map[string]string{}}
	status := http.StatusOK
	if err := d.app.db.PingContext(ctx); err != nil {
		out.Database, status = err.Error(), http.StatusServiceUnavailable
	}
	if h := d.worker.Health(); h != "" {
		out.Mail, status = h, http.StatusServiceUnavailable
	}
	cals, _ := sync.Health(ctx, d.app.db) // an unreachable database is reported above
	for _, c := range cals {
		if !configured(d.app.conf(), c.Name) {
			continue
		}
		out.Calendars[c.Name] = "ok"
		if !c.Healthy {
			out.Calendars[c.Name], status = c.LastError, http.StatusServiceUnavailable
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(out)
}

// configured reports whether a calendar row belongs to an enabled
// calendar of the config in force: its name, or one discovered under it
// ("ada/work"). A calendar removed from the config (say, after it failed)
// no longer holds readiness down.
func configured(cfg *config.Config, name string) bool {
	for _, c := range cfg.Calendars {
		if c.Enabled && (name == c.Name || strings.HasPrefix(name, c.Name+"/")) {
			return true
		}
	}
	return false
}
