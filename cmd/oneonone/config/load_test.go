package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	publicURL = "public_url = \"https://1on1.example.com\"\n"
	mailOK    = "[mail]\nfrom = \"a@example.com\"\n"
	calOK     = "[[calendar]]\nname = \"ada\"\ntype = \"caldav\"\nurl = \"https://dav.example.com/ada/\"\n"
	minimal   = publicURL + mailOK + calOK
)

func noEnv(string) string { return "" }

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeFiles creates files (name → content) in a new temp dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustParse(t *testing.T, doc, dir string, getenv func(string) string) *Config {
	t.Helper()
	c, err := Parse([]byte(doc), dir, getenv)
	if err != nil {
		t.Fatalf("Parse:\n%v\ninput:\n%s", err, doc)
	}
	return c
}

// problemsOf returns the problems of a Parse that must fail.
func problemsOf(t *testing.T, doc, dir string) []Error {
	t.Helper()
	_, err := Parse([]byte(doc), dir, noEnv)
	var errs *Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse error = %v, want *Errors; input:\n%s", err, doc)
	}
	return errs.List
}

func keysOf(list []Error) []string {
	var keys []string
	for _, e := range list {
		keys = append(keys, e.Key)
	}
	return keys
}

func TestMinimalDefaults(t *testing.T) {
	t.Chdir(t.TempDir())
	wd, _ := os.Getwd()
	c := mustParse(t, minimal, "/etc/oneonone", noEnv)

	check := func(name string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("StateDir", c.StateDir, filepath.Join(wd, "oneonone-data"))
	check("SecretsKeyFile", c.SecretsKeyFile, filepath.Join(wd, "oneonone-data", "secrets.key"))
	check("SecretsKeyFrom", c.SecretsKeyFrom, "default")
	check("Listen", c.Listen, "127.0.0.1:8080")
	check("PublicURL", c.PublicURL, "https://1on1.example.com")
	check("LogLevel", c.LogLevel, "info")
	check("Level", c.Level.String(), "INFO")
	check("WindowPast", c.WindowPast, 720*time.Hour)
	check("WindowAhead", c.WindowAhead, 1440*time.Hour)
	check("Location", c.Location, time.UTC)
	check("Mail.FromAddress", c.Mail.FromAddress.Address, "a@example.com")
	check("Mail.SMTPHost", c.Mail.SMTPHost, "localhost")
	check("Mail.SMTPTLS", c.Mail.SMTPTLS, "none") // loopback host
	check("Mail.SMTPPort", c.Mail.SMTPPort, 25)
	check("Prep.SendBefore", c.Prep.SendBefore, 24*time.Hour)
	check("Prep.RemindBefore", c.Prep.RemindBefore, 2*time.Hour)
	check("Prep.Grace", c.Prep.Grace, 24*time.Hour)
	check("Prep.Questions", c.Prep.Questions, "default")
	check("Sync.Interval", c.Sync.Interval, 5*time.Minute)
	check("Sync.Timeout", c.Sync.Timeout, 60*time.Second)
	check("Sync.Concurrency", c.Sync.Concurrency, 8)
	check("Detect.OptInMarker", c.Detect.OptInMarker, "#1on1")
	check("Detect.OptOutMarker", c.Detect.OptOutMarker, "#no1on1")
	check("len(Calendars)", len(c.Calendars), 1)
	cal := c.Calendars[0]
	check("Calendar.Enabled", cal.Enabled, true)
	check("Calendar.Detect.OptInMarker", cal.Detect.OptInMarker, "#1on1")
	check("len(QuestionSets)", len(c.Prep.QuestionSets), 1)
	check("QuestionSetFor", c.QuestionSetFor("a@x", "b@x").Name, "default")
	// https means a reverse proxy, which then needs naming.
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "trusted_proxies is empty") {
		t.Errorf("Warnings = %q, want only the one about trusted_proxies", c.Warnings)
	}
	check("len(SecretFiles)", len(c.SecretFiles), 0)
}

func TestSMTPPortDefaults(t *testing.T) {
	for _, tc := range []struct {
		mail     string
		tls      string
		wantPort int
	}{
		{"smtp_host = \"smtp.example.com\"", "starttls", 587},
		{"smtp_host = \"smtp.example.com\"\nsmtp_tls = \"tls\"", "tls", 465},
		{"smtp_host = \"smtp.example.com\"\nsmtp_tls = \"none\"", "none", 25},
		{"smtp_host = \"smtp.example.com\"\nsmtp_port = 2525", "starttls", 2525},
		{"smtp_host = \"127.0.0.1\"\nsmtp_tls = \"starttls\"", "starttls", 587},
	} {
		c := mustParse(t, publicURL+mailOK+tc.mail+"\n"+calOK, "", noEnv)
		if c.Mail.SMTPTLS != tc.tls || c.Mail.SMTPPort != tc.wantPort {
			t.Errorf("%q: tls %q port %d, want %q %d", tc.mail, c.Mail.SMTPTLS, c.Mail.SMTPPort, tc.tls, tc.wantPort)
		}
	}
}

// The example of DESIGN.md's contract parses as-is; the only problems are
// its secret files, which do not exist on a test machine.
func TestContractExample(t *testing.T) {
	data, err := os.ReadFile("testdata/contract.toml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data, "testdata", noEnv)
	var errs *Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse error = %v, want *Errors", err)
	}
	want := map[string]string{
		"mail.smtp_password_file":      "/run/credentials/oneonone.service/smtp",
		"calendar[0].password_file":    "/run/credentials/oneonone.service/ada-dav",
		"calendar[1].credentials_file": "/etc/oneonone/service-account.json",
	}
	if len(errs.List) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(errs.List), len(want), err)
	}
	for _, e := range errs.List {
		if file, ok := want[e.Key]; !ok || !strings.Contains(e.Msg, file) {
			t.Errorf("unexpected problem %q", e.Error())
		}
	}

	// With the files in place, every value comes through.
	dir := writeFiles(t, map[string]string{"smtp": "mailpw\n", "ada-dav": "davpw\n", "sa.json": `{"type":"service_account"}`})
	doc := strings.NewReplacer(
		"/run/credentials/oneonone.service/", dir+"/",
		"/etc/oneonone/service-account.json", filepath.Join(dir, "sa.json"),
	).Replace(string(data))
	c := mustParse(t, doc, "testdata", noEnv)
	if c.StateDir != "/var/lib/oneonone" || c.Listen != "127.0.0.1:8080" || c.PublicURL != "https://1on1.example.com" {
		t.Errorf("top level: %q %q %q", c.StateDir, c.Listen, c.PublicURL)
	}
	if a := c.Mail.FromAddress; a.Name != "1:1 prep" || a.Address != "oneonone@example.com" {
		t.Errorf("from = %+v", a)
	}
	if c.Mail.SMTPPassword != "mailpw" || c.Mail.SMTPPort != 587 || c.Mail.SMTPUsername != "oneonone" {
		t.Errorf("mail = %+v", c.Mail)
	}
	if c.Sync.Interval != 5*time.Minute || c.Prep.RemindBefore != 2*time.Hour {
		t.Errorf("durations: %v %v", c.Sync.Interval, c.Prep.RemindBefore)
	}
	ada, grace := c.Calendars[0], c.Calendars[1]
	if ada.Password != "davpw" || ada.Username != "ada" || ada.URL != "https://dav.example.com/ada/work/" {
		t.Errorf("ada = %+v", ada)
	}
	if grace.CalendarID != "primary" || grace.Subject != "grace@example.com" || string(grace.Credentials) != `{"type":"service_account"}` {
		t.Errorf("grace = %+v", grace)
	}
	if want := []string{"calendar[0].password", "mail.smtp_password"}; !slices.Equal(slices.Sorted(mapKeys(c.SecretFiles)), want) {
		t.Errorf("SecretFiles = %v, want keys %v", c.SecretFiles, want)
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestPath(t *testing.T) {
	env := envOf(map[string]string{"ONEONONE_CONFIG": "/srv/env.toml"})
	for _, tc := range []struct {
		flag   string
		getenv func(string) string
		want   string
	}{
		{"/srv/flag.toml", env, "/srv/flag.toml"},
		{"", env, "/srv/env.toml"},
		{"", noEnv, DefaultPath},
	} {
		if got := Path(tc.flag, tc.getenv); got != tc.want {
			t.Errorf("Path(%q) = %q, want %q", tc.flag, got, tc.want)
		}
	}
}
