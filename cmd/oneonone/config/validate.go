package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// validator checks a decoded Config, fills in the defaults that depend on
// other keys, and derives the toml:"-" fields. It reports every problem.
type validator struct {
	p   *problems
	set map[string]bool
	c   *Config
}

func (v *validator) validate() {
	v.top()
	v.mail()
	v.prep()
	v.sync()
	v.database()
	v.google()
	v.detect("detect", &v.c.Detect, nil)
	v.calendars()
}

func (v *validator) top() {
	c := v.c
	if c.PublicURL == "" {
		v.p.add("public_url", `required — set the URL people reach this server at, such as "https://1on1.example.com"; every link in an email starts with it`)
	} else if u := v.httpURL("public_url", c.PublicURL); u != nil {
		if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			v.p.add("public_url", "%q has a query or fragment — use a plain base URL; links are built by appending paths to it", c.PublicURL)
		}
		c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	}
	if _, port, err := net.SplitHostPort(c.Listen); err != nil || !validPort(port) {
		v.p.add("listen", `%q is not a host:port — use for example "127.0.0.1:8080" or ":8080"`, c.Listen)
	}
	levels := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}
	if l, ok := levels[c.LogLevel]; ok {
		c.Level = l
	} else {
		v.p.add("log_level", "%q is not a level — use debug, info, warn or error", c.LogLevel)
	}
	for i, p := range c.TrustedProxies {
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				v.p.add(fmt.Sprintf("trusted_proxies[%d]", i), "%q is not an IP address or CIDR — use for example \"127.0.0.1\" or \"10.0.0.0/8\"", p)
				continue
			}
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		c.Proxies = append(c.Proxies, pfx)
	}
	if c.WindowPast < 0 {
		v.p.add("window_past", "%s is negative — use a duration such as \"720h\" (30 days)", fmtDur(c.WindowPast))
	}
	if c.WindowAhead <= 0 {
		v.p.add("window_ahead", "must be positive — use a duration such as \"1440h\" (60 days)")
	}
	c.Location = time.UTC
	switch tz := c.DefaultTimezone; {
	case tz == "":
	case tz == "Local":
		v.p.add("default_timezone", `"Local" depends on the machine — use an IANA name such as "Europe/Berlin", or "" for UTC`)
	default:
		loc, err := time.LoadLocation(tz)
		if err != nil {
			v.p.add("default_timezone", `%q is not a known time zone — use an IANA name such as "Europe/Berlin", or "" for UTC`, tz)
		} else {
			c.Location = loc
		}
	}
}

func (v *validator) mail() {
	m := &v.c.Mail
	if m.From == "" {
		v.p.add("mail.from", `required — the sender of prep emails, such as "1:1 prep <oneonone@example.com>"`)
	} else {
		m.FromAddress = v.address("mail.from", m.From)
	}
	if m.ReplyTo != "" {
		m.ReplyToAddress = v.address("mail.reply_to", m.ReplyTo)
	}
	if !v.set["mail.smtp_tls"] && loopback(m.SMTPHost) {
		// A local MTA listens on 25 without a certificate for "localhost",
		// and the mail never leaves the machine.
		m.SMTPTLS = "none"
	}
	ports := map[string]int{"starttls": 587, "tls": 465, "none": 25}
	if _, ok := ports[m.SMTPTLS]; !ok {
		v.p.add("mail.smtp_tls", `%q is not one of starttls, tls or none — use "starttls" for port 587, "tls" for 465`, m.SMTPTLS)
	}
	if !v.set["mail.smtp_port"] {
		m.SMTPPort = ports[m.SMTPTLS]
	} else if m.SMTPPort < 1 || m.SMTPPort > 65535 {
		v.p.add("mail.smtp_port", "%d is not a port — use 587 (starttls), 465 (tls) or 25", m.SMTPPort)
	}
	switch {
	case m.SMTPHost == "":
		v.p.add("mail.smtp_host", `is empty — name the SMTP server that sends prep emails, or leave the key out for "localhost"`)
	case strings.ContainsAny(m.SMTPHost, ":/ "):
		v.p.add("mail.smtp_host", "%q is not a host name — give the port in smtp_port and no scheme", m.SMTPHost)
	}
	if m.SMTPUsername != "" && m.SMTPPassword == "" {
		v.p.add("mail.smtp_password_file", "required when smtp_username is set — point it at a file holding the SMTP password")
	}
	if m.SMTPUsername == "" && m.SMTPPassword != "" {
		v.p.add("mail.smtp_username", "required when a password is set — set the SMTP login name, or remove the password")
	}
	limits := []struct {
		key string
		n   int
	}{{"mail.max_per_recipient_hour", m.MaxPerRecipientHour}, {"mail.max_per_recipient_day", m.MaxPerRecipientDay},
		{"mail.max_per_hour", m.MaxPerHour}}
	for _, l := range limits {
		if l.n < 0 {
			v.p.add(l.key, "%d is negative — give a number of mails, or 0 for no limit", l.n)
		}
	}
}

// maxSyncConcurrency bounds [sync] concurrency: each calendar in flight
// holds a connection and, while it applies, a database transaction.
const maxSyncConcurrency = 256

func (v *validator) sync() {
	if v.c.Sync.Interval < 30*time.Second {
		v.p.add("sync.interval", "%s is below the minimum of 30s — calendar servers rate-limit frequent polling", fmtDur(v.c.Sync.Interval))
	}
	if v.c.Sync.Timeout < time.Second {
		v.p.add("sync.timeout", "%s is too short — use at least \"1s\"; the default is \"60s\"", fmtDur(v.c.Sync.Timeout))
	}
	if n := v.c.Sync.Concurrency; n < 1 || n > maxSyncConcurrency {
		v.p.add("sync.concurrency", "%d is out of range — give a number of calendars from 1 to %d; the default is 8", n, maxSyncConcurrency)
	}
}

func (v *validator) google() {
	g := v.c.Google
	if g.ClientID != "" && g.ClientSecret == "" {
		v.p.add("google.client_secret_file", "required when client_id is set — point it at a file holding the OAuth client secret")
	}
	if g.ClientID == "" && g.ClientSecret != "" {
		v.p.add("google.client_id", "required when a client secret is set — copy it from the OAuth client in the Google Cloud console")
	}
	if g.AuthURL != "" {
		v.httpURL("google.auth_url", g.AuthURL)
	}
	if g.TokenURL != "" {
		v.httpURL("google.token_url", g.TokenURL)
	}
}

// httpURL parses an http(s) URL without credentials, or reports why not.
func (v *validator) httpURL(key, s string) *url.URL {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		v.p.add(key, "%q is not a URL — use a full URL such as \"https://host/path\"", s)
	case u.Scheme != "https" && u.Scheme != "http":
		v.p.add(key, "%q must start with https:// (or http://)", s)
	case u.Host == "":
		v.p.add(key, "%q has no host — use a full URL such as \"https://host/path\"", s)
	case u.User != nil:
		v.p.add(key, "%q contains credentials — remove them from the URL and use the username and password keys", u.Redacted())
	default:
		return u
	}
	return nil
}

func (v *validator) address(key, s string) *mail.Address {
	a, err := parseAddress(s)
	if err != nil {
		v.p.add(key, "%q is not an email address (%v) — use \"name@example.com\" or \"Name <name@example.com>\"", s, err)
	}
	return a
}

// parseAddress is mail.ParseAddress, plus display names with specials that
// people write unquoted (the contract's own example, "1:1 prep
// <oneonone@example.com>", is one); the mailer quotes them when it sends.
func parseAddress(s string) (*mail.Address, error) {
	a, err := mail.ParseAddress(s)
	if err == nil {
		return a, nil
	}
	i := strings.LastIndexByte(s, '<')
	if i <= 0 || !strings.HasSuffix(s, ">") {
		return nil, err
	}
	name := strings.Trim(strings.TrimSpace(s[:i]), `"`)
	addr, err2 := mail.ParseAddress(s[i+1 : len(s)-1])
	if err2 != nil || strings.ContainsAny(name, "\"<>\r\n") {
		return nil, err
	}
	return &mail.Address{Name: name, Address: addr.Address}, nil
}

// validPort accepts 0 too: listen = ":0" picks a free port (tests).
func validPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= 65535
}

// fmtDur prints a duration the way people write it: "24h", not "24h0m0s".
func fmtDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}

func quoteList(options []string) string {
	q := make([]string, len(options))
	for i, o := range options {
		q[i] = strconv.Quote(o)
	}
	return strings.Join(q, ", ")
}
