package testkit

import (
	"os"
	"testing"
)

// RequirePeers is the environment variable that turns a missing peer
// from a skip into a failure; CI sets it to 1, so that a skipped peer
// test cannot hide a gap.
const RequirePeers = "ONEONONE_REQUIRE_PEERS"

// NeedPeer stops the test when its peer (a server, a browser, the shared
// iCalendar corpus) is missing: err says why, and nil means the peer is
// there and the test goes on. what names the peer and how to get it.
// Locally the test is skipped with that message; with
// ONEONONE_REQUIRE_PEERS=1 it fails with it.
func NeedPeer(t testing.TB, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv(RequirePeers) == "1" {
		t.Fatalf("%s: %v (%s=1)", what, err, RequirePeers)
		return
	}
	t.Skipf("%s: %v", what, err)
}
