package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"time"

	"github.com/oneonone/oneonone/sync/store"
)

// Readiness is the answer of /readyz: each part "ok" or why it is not.
type Readiness struct {
	Store     string            `json:"store"` // sqlite | postgresql
	Database  string            `json:"database"`
	Mail      string            `json:"mail"`
	Calendars map[string]string `json:"calendars"`
}

// Ready serves /readyz: 200 when the database answers, the mail worker
// is healthy and no configured calendar is unhealthy, else 503; the body
// says which part is not ready and why.
type Ready struct {
	DB *sql.DB
	// Mail is the mail worker's health: "" when the SMTP server accepts
	// our configuration, else why not.
	Mail func() string
	// Configured reports whether a calendar's row belongs to the config
	// in force: a calendar removed from it (say, after it failed) no
	// longer holds readiness down.
	Configured func(name string) bool
}

// ServeHTTP implements http.Handler.
func (r Ready) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
	defer cancel()
	out, status := r.check(ctx)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(out)
}

func (r Ready) check(ctx context.Context) (Readiness, int) {
	out := Readiness{Store: store.New(r.DB).Kind(), Database: "ok", Mail: "ok", Calendars: map[string]string{}}
	status := http.StatusOK
	if err := r.DB.PingContext(ctx); err != nil {
		out.Database, status = err.Error(), http.StatusServiceUnavailable
	}
	if h := r.Mail(); h != "" {
		out.Mail, status = h, http.StatusServiceUnavailable
	}
	cals, _ := Health(ctx, r.DB) // an unreachable database is reported above
	for _, c := range cals {
		if !r.Configured(c.Name) {
			continue
		}
		out.Calendars[c.Name] = "ok"
		if !c.Healthy {
			out.Calendars[c.Name], status = c.LastError, http.StatusServiceUnavailable
		}
	}
	return out, status
}
