package config

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadSecretsKey(t *testing.T) {
	dir := t.TempDir()
	raw := bytes.Repeat([]byte{0xab}, KeySize)
	for name, content := range map[string][]byte{
		"raw": raw, "hex": []byte(hex.EncodeToString(raw) + "\n"), "base64": []byte(base64.StdEncoding.EncodeToString(raw) + "\n"),
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, content, 0o600)
		if k, err := LoadSecretsKey(p, false); err != nil || !bytes.Equal(k, raw) {
			t.Errorf("%s: %x, %v", name, k, err)
		}
	}
	_, err := LoadSecretsKey(filepath.Join(dir, "missing"), false)
	if err == nil || !strings.Contains(err.Error(), "head -c 32 /dev/urandom") {
		t.Errorf("missing key: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "short"), []byte("0123"), 0o600)
	if _, err := LoadSecretsKey(filepath.Join(dir, "short"), false); err == nil {
		t.Error("a 4-byte key was accepted")
	}
}

// TestSecretsKeyModes: a key file that group or others may read is
// refused with the chmod to run; 0600 and 0400 are fine, and so is a
// systemd credential whatever its group bits show (systemd grants the
// service user access through an ACL, whose mask shows as 0440).
func TestSecretsKeyModes(t *testing.T) {
	dir := t.TempDir()
	raw := bytes.Repeat([]byte{0xcd}, KeySize)
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
		k, err := LoadSecretsKey(p, tc.systemd)
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
