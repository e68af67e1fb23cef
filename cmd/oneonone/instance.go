package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
)

// instanceID names this instance among those sharing one database: the
// host's name and a short hash of its state_dir and listen address, so a
// restarted instance is the same one (it takes its own leases and outbox
// claims back at once) and two on one host differ.
func instanceID(stateDir, listen string) string {
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
