package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/cmd/oneonone/config"
)

// TestRunRefusesAReadableKey: the daemon does not start with a key file
// of mode 0644 and says which chmod to run.
func TestRunRefusesAReadableKey(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "secrets.key")
	os.WriteFile(key, bytes.Repeat([]byte("k"), config.KeySize), 0o600)
	os.Chmod(key, 0o644)
	file := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(file, []byte(fmt.Sprintf("state_dir = %q\nlisten = \"127.0.0.1:0\"\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"o@example.com\"\nmaildir = %q\n", dir, filepath.Join(dir, "mail"))), 0o600)
	_, errOut, code := runCmd(t, time.Now(), nil, "run", "--config", file)
	if code != 1 || !strings.Contains(errOut, "chmod 600 "+key) {
		t.Errorf("exit %d, %q; want a refusal naming 'chmod 600 %s'", code, errOut, key)
	}
}
