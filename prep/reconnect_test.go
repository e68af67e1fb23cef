package prep_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// The owner gets a mail naming the calendar, the reason and the page to
// connect again; a retry on the same (UTC) day is the same mail, the next
// day a new one.
func TestReconnectMailOncePerDay(t *testing.T) {
	s := prep.Settings{From: "oneonone@example.com", PublicURL: "https://1on1.example.com"}
	at := time.Date(2026, 3, 2, 23, 30, 0, 0, time.FixedZone("CET", 3600))
	msg, err := prep.ReconnectMail(s, "grace", "grace@example.com", "access revoked", at)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(msg.To, []string{"<grace@example.com>"}) || !strings.Contains(msg.Text, "https://1on1.example.com/connect/google") ||
		!strings.Contains(msg.Text, "grace") {
		t.Errorf("mail to %v:\n%s", msg.To, msg.Text)
	}
	again, _ := prep.ReconnectMail(s, "grace", "grace@example.com", "access revoked", at.Add(20*time.Minute))
	next, _ := prep.ReconnectMail(s, "grace", "grace@example.com", "access revoked", at.Add(24*time.Hour))
	if again.DedupKey != msg.DedupKey || next.DedupKey == msg.DedupKey {
		t.Errorf("dedup keys %q, %q (same UTC day), %q (next day)", msg.DedupKey, again.DedupKey, next.DedupKey)
	}
}
