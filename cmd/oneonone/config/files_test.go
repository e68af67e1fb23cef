package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Load resolves relative paths against the config file's directory, reads
// *_file secrets without their trailing newline, and records where each
// came from.
func TestLoadResolvesAndReadsFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"smtp.pw":  "mail secret\r\n",
		"dav.pw":   "dav secret\n",
		"gc.pw":    "client secret",
		"sa.json":  `{"type": "service_account"}`,
		"key.bin":  "0123",
		"tmp.toml": "",
	})
	doc := `state_dir = "data"
secrets_key_file = "key.bin"
public_url = "https://1on1.example.com"
trusted_proxies = ["127.0.0.1"]
[mail]
from = "a@example.com"
smtp_host = "smtp.example.com"
smtp_username = "bot"
smtp_password_file = "smtp.pw"
maildir = "mail"
[google]
client_id = "id"
client_secret_file = "gc.pw"
[[calendar]]
name = "dav"
type = "caldav"
url = "https://dav.example.com/"
username = "u"
password_file = "dav.pw"
[[calendar]]
name = "sa"
type = "google"
credentials_file = "sa.json"
[[calendar]]
name = "off"
type = "caldav"
enabled = false
url = "https://dav.example.com/"
username = "u"
password_file = "missing.pw"
`
	path := filepath.Join(dir, "oneonone.toml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // relative paths must not depend on the working directory
	c, err := LoadWith(path, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string][2]string{
		"File":                         {c.File, path},
		"StateDir":                     {c.StateDir, filepath.Join(dir, "data")},
		"SecretsKeyFile":               {c.SecretsKeyFile, filepath.Join(dir, "key.bin")},
		"SecretsKeyFrom":               {c.SecretsKeyFrom, "config"},
		"Mail.Maildir":                 {c.Mail.Maildir, filepath.Join(dir, "mail")},
		"Mail.SMTPPassword":            {c.Mail.SMTPPassword, "mail secret"},
		"Mail.SMTPPasswordFile":        {c.Mail.SMTPPasswordFile, filepath.Join(dir, "smtp.pw")},
		"Google.ClientSecret":          {c.Google.ClientSecret, "client secret"},
		"Calendars[0].Password":        {c.Calendars[0].Password, "dav secret"},
		"Calendars[1].CredentialsFile": {c.Calendars[1].CredentialsFile, filepath.Join(dir, "sa.json")},
		"Calendars[1].Credentials":     {string(c.Calendars[1].Credentials), `{"type": "service_account"}`},
		"Calendars[2].Password":        {c.Calendars[2].Password, ""}, // disabled: not read
	} {
		if tc[0] != tc[1] {
			t.Errorf("%s = %q, want %q", name, tc[0], tc[1])
		}
	}
	want := map[string]string{
		"mail.smtp_password":   filepath.Join(dir, "smtp.pw"),
		"google.client_secret": filepath.Join(dir, "gc.pw"),
		"calendar[0].password": filepath.Join(dir, "dav.pw"),
	}
	if len(c.SecretFiles) != len(want) {
		t.Errorf("SecretFiles = %v, want %v", c.SecretFiles, want)
	}
	for k, v := range want {
		if c.SecretFiles[k] != v {
			t.Errorf("SecretFiles[%q] = %q, want %q", k, c.SecretFiles[k], v)
		}
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "mail.maildir") {
		t.Errorf("Warnings = %q, want the maildir one", c.Warnings)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.toml": "public_url = 1\n"})
	_, err := LoadWith(filepath.Join(dir, "bad.toml"), noEnv)
	var errs *Errors
	if !errors.As(err, &errs) || errs.File != filepath.Join(dir, "bad.toml") {
		t.Errorf("err = %v, want *Errors with File", err)
	}
	var one Error
	if !errors.As(err, &one) || one.Key == "" {
		t.Errorf("errors.As(err, *Error) = %v", one)
	}
	_, err = LoadWith(filepath.Join(dir, "none.toml"), noEnv)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "none.toml") {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestStateDirAndSecretsKey(t *testing.T) {
	creds := writeFiles(t, map[string]string{"secrets-key": "k"})
	emptyCreds := t.TempDir()
	for _, tc := range []struct {
		name, top  string
		env        map[string]string
		state, key string
		keyFrom    string
	}{
		{"systemd state dir", "", map[string]string{"STATE_DIRECTORY": "/var/lib/oneonone:/var/lib/other"},
			"/var/lib/oneonone", "/var/lib/oneonone/secrets.key", "default"},
		{"file wins over env", `state_dir = "/srv/1on1"` + "\n", map[string]string{"STATE_DIRECTORY": "/var/lib/oneonone"},
			"/srv/1on1", "/srv/1on1/secrets.key", "default"},
		{"systemd credential", "", map[string]string{"STATE_DIRECTORY": "/var/lib/oneonone", "CREDENTIALS_DIRECTORY": creds},
			"/var/lib/oneonone", filepath.Join(creds, "secrets-key"), "credentials"},
		{"credential absent", "", map[string]string{"STATE_DIRECTORY": "/var/lib/oneonone", "CREDENTIALS_DIRECTORY": emptyCreds},
			"/var/lib/oneonone", "/var/lib/oneonone/secrets.key", "default"},
	} {
		c := mustParse(t, tc.top+minimal, "/etc/oneonone", envOf(tc.env))
		if c.StateDir != tc.state || c.SecretsKeyFile != tc.key || c.SecretsKeyFrom != tc.keyFrom {
			t.Errorf("%s: state %q key %q from %q; want %q %q %q", tc.name,
				c.StateDir, c.SecretsKeyFile, c.SecretsKeyFrom, tc.state, tc.key, tc.keyFrom)
		}
	}
}

func TestPlainSecretWarnings(t *testing.T) {
	doc := publicURL + `trusted_proxies = ["127.0.0.1"]
[mail]
from = "a@example.com"
smtp_host = "smtp.example.com"
smtp_username = "bot"
smtp_password = "pw"
[google]
client_id = "id"
client_secret = "secret"
[[calendar]]
name = "ada"
type = "caldav"
url = "https://dav.example.com/"
username = "ada"
password = "pw"
`
	c := mustParse(t, doc, "", noEnv)
	want := []string{
		"mail.smtp_password is set in the config file; use smtp_password_file for production",
		"google.client_secret is set in the config file; use client_secret_file for production",
		"calendar[0].password is set in the config file; use password_file for production",
	}
	if !slices.Equal(c.Warnings, want) {
		t.Errorf("Warnings =\n%q\nwant\n%q", c.Warnings, want)
	}
	if len(c.SecretFiles) != 0 {
		t.Errorf("SecretFiles = %v, want none", c.SecretFiles)
	}
}
