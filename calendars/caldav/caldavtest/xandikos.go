package caldavtest

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/oneonone/oneonone/calendars/testkit"
)

// xandikosBin is where Debian's package installs it.
const xandikosBin = "/usr/bin/xandikos"

// StartXandikos starts Debian's Xandikos on a free port with its default
// layout (no authentication; principal /user/, calendar
// /user/calendars/calendar/). It skips the test when Xandikos is not
// installed, unless ONEONONE_REQUIRE_PEERS=1, which makes it fail.
func StartXandikos(t testing.TB) *Server {
	t.Helper()
	_, err := os.Stat(xandikosBin)
	testkit.NeedPeer(t, "Xandikos is not installed: apt-get install xandikos", err)
	s := &Server{Dir: t.TempDir(), Kind: "xandikos", users: map[string]string{}}
	s.command = func(addr string) (*exec.Cmd, error) {
		host, port, err := net.SplitHostPort(addr)
		return exec.Command(xandikosBin, "--defaults", "-d", filepath.Join(s.Dir, "data"), "-l", host, "-p", port), err
	}
	s.start(t)
	return s
}
