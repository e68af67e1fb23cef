package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A missing state_dir is made; one that is a file is refused with what
// to change, and a successful check leaves nothing behind.
func TestCheckStateDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := CheckStateDir(dir); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("check left %v in the state dir", left)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if err := CheckStateDir(file); err == nil || !strings.Contains(err.Error(), "change state_dir") {
		t.Fatalf("a file as state_dir: %v", err)
	}
}
