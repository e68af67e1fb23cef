package config

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
)

// systemdCredentials is where systemd puts a service's credentials
// (LoadCredential=), also when the config names the file there.
const systemdCredentials = "/run/credentials/"

// privateFile refuses a key file that group or others may read, unless
// systemd made it.
func privateFile(path string, fromSystemd bool) error {
	if fromSystemd {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("the secrets key %s: %w", path, err)
	}
	if mode := fi.Mode().Perm(); mode&0o044 != 0 {
		return fmt.Errorf("the secrets key %s may be read by other users (mode %04o): run 'chmod 600 %s' (and make the service user its owner)", path, mode, path)
	}
	return nil
}

// KeySize is the secrets key's length: 32 random bytes (AES-256).
const KeySize = 32

// LoadSecretsKey reads the key file. One that group or others may read
// is refused: whoever can read it can read every secret and answer in a
// copy of the database. fromSystemd says the file is a systemd
// credential, which is taken as it is: systemd puts credentials on a
// private read-only file system that only the service's user (and root)
// may enter, mode 0400, or 0440 where it grants the service user access
// through an ACL (whose mask is what the group bits then show).
func LoadSecretsKey(path string, fromSystemd bool) ([]byte, error) {
	how := fmt.Sprintf("create it with 'head -c 32 /dev/urandom > %s' (mode 0400), or set secrets_key_file / LoadCredential=secrets-key", path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the secrets key %s cannot be read (%v): %s", path, err, how)
	}
	if err := privateFile(path, fromSystemd || strings.HasPrefix(path, systemdCredentials)); err != nil {
		return nil, err
	}
	if len(data) == KeySize {
		return data, nil
	}
	text := string(bytes.TrimSpace(data))
	if k, err := hex.DecodeString(text); err == nil && len(k) == KeySize {
		return k, nil
	}
	if k, err := base64.StdEncoding.DecodeString(text); err == nil && len(k) == KeySize {
		return k, nil
	}
	return nil, fmt.Errorf("the secrets key %s holds %d bytes, not %d random bytes (raw, hex or base64): %s", path, len(data), KeySize, how)
}
