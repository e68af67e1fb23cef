package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// environment is what Parse takes from outside the file: the directory
// relative paths resolve against, and $STATE_DIRECTORY and
// $CREDENTIALS_DIRECTORY, which systemd sets for the service.
type environment struct {
	dir    string
	getenv func(string) string
	set    map[string]bool
}

func (e environment) abs(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.dir, p)
}

func (e environment) resolvePaths(c *Config) {
	switch sd := e.getenv("STATE_DIRECTORY"); {
	case c.StateDir != "":
		c.StateDir = e.abs(c.StateDir)
	case sd != "":
		// StateDirectory= with several names gives a colon-separated list.
		c.StateDir, _, _ = strings.Cut(sd, ":")
	default:
		// Relative to the working directory, not the file: this is where a
		// first trial run from a checkout or a download expects its data.
		c.StateDir = "oneonone-data"
		if abs, err := filepath.Abs(c.StateDir); err == nil {
			c.StateDir = abs
		}
	}
	cred := filepath.Join(e.getenv("CREDENTIALS_DIRECTORY"), "secrets-key")
	switch {
	case c.SecretsKeyFile != "":
		c.SecretsKeyFile, c.SecretsKeyFrom = e.abs(c.SecretsKeyFile), "config"
	case e.getenv("CREDENTIALS_DIRECTORY") != "" && exists(cred):
		c.SecretsKeyFile, c.SecretsKeyFrom = cred, "credentials"
	default:
		c.SecretsKeyFile, c.SecretsKeyFrom = filepath.Join(c.StateDir, "secrets.key"), "default"
	}
	c.Mail.SMTPPasswordFile = e.abs(c.Mail.SMTPPasswordFile)
	c.Mail.Maildir = e.abs(c.Mail.Maildir)
	c.Google.ClientSecretFile = e.abs(c.Google.ClientSecretFile)
	c.Database.URLFile = e.abs(c.Database.URLFile)
	for i := range c.Calendars {
		c.Calendars[i].PasswordFile = e.abs(c.Calendars[i].PasswordFile)
		c.Calendars[i].CredentialsFile = e.abs(c.Calendars[i].CredentialsFile)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// readSecrets reads every *_file key into its plain field. Files of disabled
// calendars are not read: disabling a calendar is how an admin keeps the
// daemon running while its credential is being replaced.
func (e environment) readSecrets(c *Config, p *problems) {
	c.SecretFiles = map[string]string{}
	e.secret(c, p, "mail.smtp_password", &c.Mail.SMTPPassword, c.Mail.SMTPPasswordFile)
	e.secret(c, p, "google.client_secret", &c.Google.ClientSecret, c.Google.ClientSecretFile)
	e.secret(c, p, "database.url", &c.Database.URL, c.Database.URLFile)
	for i := range c.Calendars {
		cal := &c.Calendars[i]
		if !cal.Enabled {
			continue
		}
		key := fmt.Sprintf("calendar[%d]", i)
		e.secret(c, p, key+".password", &cal.Password, cal.PasswordFile)
		if cal.CredentialsFile == "" {
			continue
		}
		data, err := readFile(p, key+".credentials_file", cal.CredentialsFile)
		switch {
		case err != nil:
		case !json.Valid(data):
			p.fail(key+".credentials_file", "%s is not JSON — use the service account's JSON key file from the Google Cloud console", cal.CredentialsFile)
		default:
			cal.Credentials = data
		}
	}
	if c.SecretsKeyFrom == "config" {
		if f, err := os.Open(c.SecretsKeyFile); err != nil {
			p.fail("secrets_key_file", "cannot read %s: %v — create it, or leave the key out to use <state_dir>/secrets.key", c.SecretsKeyFile, cause(err))
		} else {
			f.Close()
		}
	}
}

// secret reads key+"_file" into *plain.
func (e environment) secret(c *Config, p *problems, key string, plain *string, file string) {
	if file == "" {
		return
	}
	fileKey := key + "_file"
	if e.set[key] {
		p.fail(fileKey, "both %s and %s are set — keep only %s", lastPart(key), lastPart(fileKey), lastPart(fileKey))
		return
	}
	data, err := readFile(p, fileKey, file)
	if err != nil {
		return
	}
	s := strings.TrimRight(string(data), "\r\n")
	if s == "" {
		p.fail(fileKey, "%s is empty — write the secret into it", file)
		return
	}
	*plain = s
	c.SecretFiles[key] = file
}

func readFile(p *problems, key, file string) ([]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		p.fail(key, "cannot read %s: %v — create it, or point %s at the right file", file, cause(err), lastPart(key))
	}
	return data, err
}

// cause drops the path from a *fs.PathError, which the messages name
// already.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func lastPart(key string) string {
	return key[strings.LastIndexByte(key, '.')+1:]
}

// warnings lists what works but should not stay that way in production.
func (e environment) warnings(c *Config) []string {
	var w []string
	plain := func(key string) {
		if e.set[key] {
			w = append(w, fmt.Sprintf("%s is set in the config file; use %s_file for production", key, lastPart(key)))
		}
	}
	plain("mail.smtp_password")
	plain("google.client_secret")
	if u, err := url.Parse(c.Database.URL); err == nil && e.set["database.url"] && u.User != nil {
		if _, ok := u.User.Password(); ok {
			w = append(w, "database.url holds a password and is set in the config file; use url_file for production")
		}
	}
	for i := range c.Calendars {
		plain(fmt.Sprintf("calendar[%d].password", i))
	}
	if c.Mail.Maildir != "" && e.set["mail.smtp_host"] {
		w = append(w, fmt.Sprintf("mail.maildir is set, so mail is written to %s and mail.smtp_host is not used", c.Mail.Maildir))
	}
	if c.Mail.SMTPTLS == "none" && c.Mail.SMTPUsername != "" && !loopback(c.Mail.SMTPHost) {
		w = append(w, "mail.smtp_tls is \"none\", so the SMTP password travels in clear; use starttls or tls")
	}
	if u, err := url.Parse(c.PublicURL); err == nil && u.Scheme == "http" && !loopback(u.Hostname()) {
		w = append(w, "public_url uses http, so personal prep links travel in clear; use https in production")
	}
	if u, err := url.Parse(c.PublicURL); err == nil && u.Scheme == "https" && len(c.TrustedProxies) == 0 {
		// The daemon serves plain HTTP: https means a reverse proxy.
		w = append(w, "public_url is https but trusted_proxies is empty: behind a reverse proxy every client has the proxy's address, "+
			"so all share one rate limit for unknown links; set trusted_proxies to the proxy's address (for example [\"127.0.0.1\"])")
	}
	return w
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
