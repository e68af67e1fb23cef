package sync

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
)

// InstanceID names this instance among those sharing one database (its
// leases' holder, its outbox claims): the host's name and a short hash
// of its state_dir and listen address, so a restarted instance is the
// same one (it takes its own leases and claims back at once) and two on
// one host differ.
func InstanceID(stateDir, listen string) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	if abs, err := filepath.Abs(stateDir); err == nil {
		stateDir = abs
	}
	sum := sha256.Sum256([]byte(stateDir + "\x00" + listen))
	return host + "-" + hex.EncodeToString(sum[:4])
}
