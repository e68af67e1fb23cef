package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
)

// keySize is the secrets key's length: 32 random bytes (AES-256).
const keySize = 32

// secretsKey reads the key that encrypts secrets at rest (connected
// Google accounts) and from which link tokens are derived, once: every
// part that needs it gets the same bytes. The file holds 32 random bytes,
// raw or written as hex or base64. The daemon refuses to start without it.
func (a *app) secretsKey() ([]byte, error) {
	a.keyOnce.Do(func() { a.key, a.keyErr = loadSecretsKey(a.conf().SecretsKeyFile) })
	return a.key, a.keyErr
}

func loadSecretsKey(path string) ([]byte, error) {
	how := fmt.Sprintf("create it with 'head -c 32 /dev/urandom > %s' (mode 0400), or set secrets_key_file / LoadCredential=secrets-key", path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the secrets key %s cannot be read (%v): %s", path, err, how)
	}
	if len(data) == keySize {
		return data, nil
	}
	text := string(bytes.TrimSpace(data))
	if k, err := hex.DecodeString(text); err == nil && len(k) == keySize {
		return k, nil
	}
	if k, err := base64.StdEncoding.DecodeString(text); err == nil && len(k) == keySize {
		return k, nil
	}
	return nil, fmt.Errorf("the secrets key %s holds %d bytes, not %d random bytes (raw, hex or base64): %s", path, len(data), keySize, how)
}
