package main

import "github.com/oneonone/oneonone/cmd/oneonone/config"

// secretsKey reads the key that encrypts secrets at rest (connected
// Google accounts) and from which link tokens are derived, once: every
// part that needs it gets the same bytes. The file holds 32 random bytes,
// raw or written as hex or base64. The daemon refuses to start without it.
func (a *app) secretsKey() ([]byte, error) {
	a.keyOnce.Do(func() {
		cfg := a.conf()
		a.key, a.keyErr = config.LoadSecretsKey(cfg.SecretsKeyFile, cfg.SecretsKeyFrom == "credentials")
	})
	return a.key, a.keyErr
}
