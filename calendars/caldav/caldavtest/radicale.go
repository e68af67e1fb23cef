package caldavtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/testkit"
)

// python is Debian's interpreter: a python3 earlier on PATH (pyenv, venv) may
// lack the radicale module that the Debian package installs.
const python = "/usr/bin/python3"

// StartRadicale starts Debian's Radicale on a free port with the user
// test/testpass and the given extra users (htpasswd, plain text; each user
// may only use their own collections). It skips the test when Radicale is not
// installed, unless ONEONONE_REQUIRE_PEERS=1, which makes it fail.
func StartRadicale(t testing.TB, users ...User) *Server {
	t.Helper()
	err := exec.Command(python, "-c", "import radicale").Run()
	testkit.NeedPeer(t, "Radicale is not installed: apt-get install radicale", err)
	s := &Server{Dir: t.TempDir(), Kind: "radicale", users: map[string]string{DefaultUser: DefaultPassword}}
	for _, u := range users {
		s.users[u.Name] = u.Password
	}
	var htpasswd strings.Builder
	for name, pw := range s.users {
		fmt.Fprintf(&htpasswd, "%s:%s\n", name, pw)
	}
	if err := os.WriteFile(filepath.Join(s.Dir, "users"), []byte(htpasswd.String()), 0o600); err != nil {
		t.Fatalf("caldavtest: %v", err)
	}
	s.command = func(addr string) (*exec.Cmd, error) {
		config := filepath.Join(s.Dir, "config")
		err := os.WriteFile(config, []byte(radicaleConfig(addr, s.Dir)), 0o600)
		return exec.Command(python, "-m", "radicale", "-C", config), err
	}
	s.start(t)
	return s
}

// radicaleConfig is a complete configuration: -C replaces the system one.
func radicaleConfig(addr, dir string) string {
	return fmt.Sprintf(`[server]
hosts = %s
[auth]
type = htpasswd
htpasswd_filename = %s
htpasswd_encryption = plain
[rights]
type = owner_only
[storage]
filesystem_folder = %s
[web]
type = none
[logging]
level = warning
`, addr, filepath.Join(dir, "users"), filepath.Join(dir, "collections"))
}
