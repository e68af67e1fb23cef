package testkit

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a test was stopped instead
// of stopping it.
type recorder struct {
	testing.TB
	failed, skipped string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Fatalf(format string, a ...any) { r.failed = fmt.Sprintf(format, a...) }
func (r *recorder) Skipf(format string, a ...any)  { r.skipped = fmt.Sprintf(format, a...) }

func TestNeedPeerSkipsLocally(t *testing.T) {
	t.Setenv(RequirePeers, "")
	r := &recorder{}
	NeedPeer(r, "Radicale is not installed: apt-get install radicale", errors.New("no module named radicale"))
	if r.failed != "" || !strings.Contains(r.skipped, "apt-get install radicale") || !strings.Contains(r.skipped, "no module") {
		t.Errorf("failed %q, skipped %q; want a skip naming the peer, the fix and the cause", r.failed, r.skipped)
	}
}

func TestNeedPeerFailsWhenRequired(t *testing.T) {
	t.Setenv(RequirePeers, "1")
	r := &recorder{}
	NeedPeer(r, "chromium is not installed (apt-get install chromium)", errors.New("stat /usr/bin/chromium: no such file"))
	if r.skipped != "" || !strings.Contains(r.failed, "apt-get install chromium") || !strings.Contains(r.failed, RequirePeers+"=1") {
		t.Errorf("failed %q, skipped %q; want a failure naming the peer and the variable", r.failed, r.skipped)
	}
}

func TestNeedPeerGoesOnWhenThere(t *testing.T) {
	t.Setenv(RequirePeers, "1")
	r := &recorder{}
	NeedPeer(r, "aiosmtpd", nil)
	if r.failed != "" || r.skipped != "" {
		t.Errorf("a present peer stopped the test: failed %q, skipped %q", r.failed, r.skipped)
	}
}
