package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadSecretsKey(t *testing.T) {
	dir := t.TempDir()
	raw := bytes.Repeat([]byte{0xab}, keySize)
	for name, content := range map[string][]byte{
		"raw": raw, "hex": []byte(hex.EncodeToString(raw) + "\n"), "base64": []byte(base64.StdEncoding.EncodeToString(raw) + "\n"),
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, content, 0o600)
		if k, err := loadSecretsKey(p); err != nil || !bytes.Equal(k, raw) {
			t.Errorf("%s: %x, %v", name, k, err)
		}
	}
	_, err := loadSecretsKey(filepath.Join(dir, "missing"))
	if err == nil || !strings.Contains(err.Error(), "head -c 32 /dev/urandom") {
		t.Errorf("missing key: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "short"), []byte("0123"), 0o600)
	if _, err := loadSecretsKey(filepath.Join(dir, "short")); err == nil {
		t.Error("a 4-byte key was accepted")
	}
}
