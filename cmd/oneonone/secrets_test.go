package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadSecretsKey(t *testing.T) {
	dir := t.TempDir()
	raw := bytes.Repeat([]byte{0xab}, keySize)
	for name, content := range map[string][]byte{
		"raw": raw, "hex": []byte(hex.EncodeToString(raw) + "\n"), "base64": []byte(base64.StdEncoding.EncodeToString(raw) + "\n"),
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, content, 0o600)
		if k, err := loadSecretsKey(p, false); err != nil || !bytes.Equal(k, raw) {
			t.Errorf("%s: %x, %v", name, k, err)
		}
	}
	_, err := loadSecretsKey(filepath.Join(dir, "missing"), false)
	if err == nil || !strings.Contains(err.Error(), "head -c 32 /dev/urandom") {
		t.Errorf("missing key: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "short"), []byte("0123"), 0o600)
	if _, err := loadSecretsKey(filepath.Join(dir, "short"), false); err == nil {
		t.Error("a 4-byte key was accepted")
	}
}

// TestSecretsKeyModes: a key file that group or others may read is
// refused with the chmod to run; 0600 and 0400 are fine, and so is a
// systemd credential whatever its group bits show (systemd grants the
// service user access through an ACL, whose mask shows as 0440).
func TestSecretsKeyModes(t *testing.T) {
	dir := t.TempDir()
	raw := bytes.Repeat([]byte{0xcd}, keySize)
	for _, tc := range []struct {
		mode    os.FileMode
		systemd bool
		ok      bool
	}{
		{0o600, false, true}, {0o400, false, true}, {0o640, false, false}, {0o644, false, false},
		{0o604, false, false}, {0o666, false, false}, {0o440, true, true}, {0o400, true, true},
	} {
		p := filepath.Join(dir, fmt.Sprintf("key-%o-%v", tc.mode, tc.systemd))
		os.WriteFile(p, raw, 0o600)
		os.Chmod(p, tc.mode)
		k, err := loadSecretsKey(p, tc.systemd)
		switch {
		case tc.ok && (err != nil || !bytes.Equal(k, raw)):
			t.Errorf("mode %04o (systemd %v): %v", tc.mode, tc.systemd, err)
		case !tc.ok && err == nil:
			t.Errorf("mode %04o was accepted", tc.mode)
		case !tc.ok && !strings.Contains(err.Error(), "chmod 600 "+p):
			t.Errorf("mode %04o: the refusal does not say what to run: %v", tc.mode, err)
		}
	}
}

// TestRunRefusesAReadableKey: the daemon does not start with a key file
// of mode 0644 and says which chmod to run.
func TestRunRefusesAReadableKey(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "secrets.key")
	os.WriteFile(key, bytes.Repeat([]byte("k"), keySize), 0o600)
	os.Chmod(key, 0o644)
	file := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(file, []byte(fmt.Sprintf("state_dir = %q\nlisten = \"127.0.0.1:0\"\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"o@example.com\"\nmaildir = %q\n", dir, filepath.Join(dir, "mail"))), 0o600)
	_, errOut, code := runCmd(t, time.Now(), nil, "run", "--config", file)
	if code != 1 || !strings.Contains(errOut, "chmod 600 "+key) {
		t.Errorf("exit %d, %q; want a refusal naming 'chmod 600 %s'", code, errOut, key)
	}
}
