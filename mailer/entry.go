package mailer

import (
	"strings"
	"time"
)

// Entry is one message as `oneonone outbox list --json` shows it.
type Entry struct {
	ID          int64    `json:"id"`
	To          []string `json:"to"`
	Kind        string   `json:"kind"`
	State       string   `json:"state"`
	Attempts    int      `json:"attempts"`
	LastError   string   `json:"last_error"`
	DedupKey    string   `json:"dedup_key"`
	Created     string   `json:"created_at"`
	NextAttempt *string  `json:"next_attempt"` // null unless queued or deferred
	Expires     *string  `json:"expires_at"`   // null when the mail never expires
}

// EntryOf is m as an Entry: times in UTC, RFC 3339.
func EntryOf(m Message) Entry {
	en := Entry{ID: m.ID, To: m.To, Kind: Kind(m.DedupKey), State: string(m.State), Attempts: m.Attempts,
		LastError: m.LastError, DedupKey: m.DedupKey, Created: m.Created.UTC().Format(time.RFC3339)}
	if m.State == StateQueued || m.State == StateDeferred {
		s := m.NextAttempt.UTC().Format(time.RFC3339)
		en.NextAttempt = &s
	}
	if !m.Expires.IsZero() {
		s := m.Expires.UTC().Format(time.RFC3339)
		en.Expires = &s
	}
	return en
}

// Kind reads what a mail is from its dedup key: invite, remind or
// agenda-email for prep mail (prep:<series>:<occurrence>:<email>:<kind>,
// the agenda's followed by its hash), else the key's first part.
func Kind(key string) string {
	parts := strings.Split(key, ":")
	if parts[0] != "prep" || len(parts) < 2 {
		return parts[0]
	}
	for _, k := range []string{"invite", "remind", "agenda-email"} {
		if parts[len(parts)-1] == k || (len(parts) > 2 && parts[len(parts)-2] == k) {
			return k
		}
	}
	return "prep"
}
