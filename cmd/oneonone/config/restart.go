package config

import "reflect"

// NeedsRestart names the settings changed between old and cfg that a
// running daemon holds from its start (the listener, the database, the
// mail transport, prep and links): a reload does not apply them.
func NeedsRestart(old, cfg *Config) []string {
	var keys []string
	check := func(key string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			keys = append(keys, key)
		}
	}
	check("listen", old.Listen, cfg.Listen)
	check("state_dir", old.StateDir, cfg.StateDir)
	check("[database]", old.Database, cfg.Database)
	check("public_url", old.PublicURL, cfg.PublicURL)
	check("secrets_key_file", old.SecretsKeyFile, cfg.SecretsKeyFile)
	check("[mail]", old.Mail, cfg.Mail)
	check("[prep]", old.Prep, cfg.Prep)
	check("[google]", old.Google, cfg.Google)
	check("trusted_proxies", old.TrustedProxies, cfg.TrustedProxies)
	return keys
}
