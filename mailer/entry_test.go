package mailer

import "testing"

// TestKind: `outbox list` names a mail's kind from its dedup key.
func TestKind(t *testing.T) {
	for key, want := range map[string]string{
		"prep:s:2026-12-08T09:00:00Z:ada@example.com:invite":            "invite",
		"prep:s:2026-12-08T09:00:00Z:ada@example.com:remind":            "remind",
		"prep:s:2026-12-08T09:00:00Z:ada@example.com:agenda-email:9f2c": "agenda-email",
		"prep:s:other":       "prep",
		"followup:s:k:ada":   "followup",
		"reconnect:cal:2026": "reconnect",
	} {
		if got := Kind(key); got != want {
			t.Errorf("Kind(%q) = %q, want %q", key, got, want)
		}
	}
}
