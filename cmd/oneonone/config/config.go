// Package config reads oneonone's TOML configuration file.
//
// Loading is strict, in the manner of Prometheus' Alertmanager: the file is
// decoded into a Config that already holds every default, an unknown key is an
// error, and a validation pass then reports every problem at once, each naming
// its key, so an admin fixes the file in one round instead of one per error.
package config

import (
	"log/slog"
	"net/mail"
	"net/netip"
	"regexp"
	"time"
)

// DefaultPath is where the config file lives when neither --config nor
// $ONEONONE_CONFIG names one.
const DefaultPath = "/etc/oneonone/oneonone.toml"

// Config is one loaded configuration file. Fields tagged toml:"-" are derived
// by Load; every other field is a key of the file. All paths are absolute or
// relative to the working directory (paths in the file are resolved against
// the file's directory), and every *_file secret has been read into its plain
// field.
type Config struct {
	StateDir        string        `toml:"state_dir"`
	Listen          string        `toml:"listen"`
	PublicURL       string        `toml:"public_url"` // no trailing slash
	SecretsKeyFile  string        `toml:"secrets_key_file"`
	LogLevel        string        `toml:"log_level"`
	WindowPast      time.Duration `toml:"window_past"`
	WindowAhead     time.Duration `toml:"window_ahead"`
	DefaultTimezone string        `toml:"default_timezone"`
	// TrustedProxies are the reverse proxies (IPs or CIDRs) whose
	// X-Forwarded-For names the real client, for the form's rate limit.
	TrustedProxies []string `toml:"trusted_proxies"`
	// AdminReadsAnswers lets `export --include-answers` print answer text
	// (never private answers).
	AdminReadsAnswers bool `toml:"admin_reads_answers"`

	// Database is where the data lives: SQLite in state_dir, or PostgreSQL.
	Database Database `toml:"database"`

	Mail   Mail   `toml:"mail"`
	Prep   Prep   `toml:"prep"`
	Nudges Nudges `toml:"nudges"`
	Sync   Sync   `toml:"sync"`
	Google Google `toml:"google"`
	// Detect must stay before Calendars: each calendar starts from a copy of
	// it, which gives [calendar.detect] its key-by-key override.
	Detect    Detect     `toml:"detect"`
	Calendars []Calendar `toml:"calendar"`

	// File is the absolute path the config was loaded from ("" for Parse).
	File string `toml:"-"`
	// Level is LogLevel as a slog level.
	Level slog.Level `toml:"-"`
	// Proxies is TrustedProxies parsed.
	Proxies []netip.Prefix `toml:"-"`
	// Location is DefaultTimezone loaded; UTC when the key is empty.
	Location *time.Location `toml:"-"`
	// SecretsKeyFrom says where SecretsKeyFile came from: "config",
	// "credentials" ($CREDENTIALS_DIRECTORY/secrets-key) or "default"
	// (<state_dir>/secrets.key, which may not exist yet).
	SecretsKeyFrom string `toml:"-"`
	// SecretFiles maps each secret key that was read from a *_file key (for
	// example "mail.smtp_password") to the file it was read from.
	SecretFiles map[string]string `toml:"-"`
	// Warnings are problems that do not stop the daemon, such as a plain
	// secret in the file.
	Warnings []string `toml:"-"`
}

// Mail is the [mail] table.
type Mail struct {
	From     string `toml:"from"`
	ReplyTo  string `toml:"reply_to"`
	SMTPHost string `toml:"smtp_host"` // "localhost" when unset
	SMTPPort int    `toml:"smtp_port"` // 587, 465 for "tls", 25 for "none" when unset
	// SMTPTLS is "starttls", "tls" or "none"; when unset, "starttls", or
	// "none" for a loopback smtp_host.
	SMTPTLS          string `toml:"smtp_tls"`
	SMTPUsername     string `toml:"smtp_username"`
	SMTPPassword     string `toml:"smtp_password"`
	SMTPPasswordFile string `toml:"smtp_password_file"`
	// Maildir, when set, makes the mailer write messages into this Maildir
	// instead of sending them.
	Maildir string `toml:"maildir"`
	// Rate limits: mail over one is held back until the window has room
	// (see mailer.Limits, whose defaults these are); 0 turns one off.
	MaxPerRecipientHour int `toml:"max_per_recipient_hour"`
	MaxPerRecipientDay  int `toml:"max_per_recipient_day"`
	MaxPerHour          int `toml:"max_per_hour"`

	FromAddress    *mail.Address `toml:"-"`
	ReplyToAddress *mail.Address `toml:"-"` // nil when ReplyTo is empty
}

// Prep is the [prep] table.
type Prep struct {
	SendBefore   time.Duration `toml:"send_before"`
	RemindBefore time.Duration `toml:"remind_before"` // 0 disables the reminder
	Grace        time.Duration `toml:"grace"`         // link validity after the meeting ends
	Questions    string        `toml:"questions"`     // the set used when no pair rule matches
	Reveal       string        `toml:"reveal"`        // "immediately" or "after_both"
	DigestMin    int           `toml:"digest_min"`    // invites due on one day to one person that make a digest; 0 disables
	// AgendaQuiet: answers rest this long before the agenda is delivered.
	AgendaQuiet time.Duration `toml:"agenda_quiet"`
	// AgendaCutoff: with one answer only, the agenda is delivered this
	// long before the start.
	AgendaCutoff time.Duration `toml:"agenda_cutoff"`
	// QuestionSets holds the sets of the file and, unless the file defines
	// one named "default", DefaultQuestionSet.
	QuestionSets []QuestionSet `toml:"question_set"`
	Pairs        []Pair        `toml:"pair"`
	// FollowUpAfter is when, after an occurrence ends, each participant is
	// asked whether it happened; 0 disables.
	FollowUpAfter time.Duration `toml:"follow_up_after"`
}

// Nudges is the [nudges] table.
type Nudges struct {
	// CancelledInARow: when this many of a pair's latest occurrences in a
	// row did not happen, both are mailed once; 0 disables.
	CancelledInARow int `toml:"cancelled_in_a_row"`
}

// QuestionSet is one [[prep.question_set]].
type QuestionSet struct {
	Name      string     `toml:"name"`
	Questions []Question `toml:"question"`
}

// Question is one [[prep.question_set.question]].
type Question struct {
	ID         string `toml:"id"`
	Text       string `toml:"text"`
	Kind       string `toml:"kind"`       // "text" or "scale" (1–5)
	Visibility string `toml:"visibility"` // "agenda", "pair" or "private"
	Role       string `toml:"role"`       // "both", "organizer" or "attendee"
	Every      int    `toml:"every"`      // asked every Nth meeting of the pair
}

// Pair is one [[prep.pair]]: the question set of one pair of people.
type Pair struct {
	// Participants are two lowercased addresses, sorted, after Load.
	Participants []string `toml:"participants"`
	QuestionSet  string   `toml:"question_set"`
}

// Sync is the [sync] table.
type Sync struct {
	Interval    time.Duration `toml:"interval"`
	Timeout     time.Duration `toml:"timeout"`     // per calendar request
	Concurrency int           `toml:"concurrency"` // calendars synced at once by one instance
}

// Google is the [google] table: the OAuth client used by
// `oneonone connect google` and to refresh individual tokens.
type Google struct {
	ClientID         string `toml:"client_id"`
	ClientSecret     string `toml:"client_secret"`
	ClientSecretFile string `toml:"client_secret_file"`
	// AuthURL and TokenURL replace Google's OAuth endpoints (proxies,
	// tests); empty means Google's.
	AuthURL  string `toml:"auth_url"`
	TokenURL string `toml:"token_url"`
}

// Detect holds the 1:1 detection rules of [detect] or [calendar.detect].
type Detect struct {
	IncludeTitles []string `toml:"include_titles"`
	ExcludeTitles []string `toml:"exclude_titles"`
	OptInMarker   string   `toml:"opt_in_marker"`
	OptOutMarker  string   `toml:"opt_out_marker"`
	// IgnoreAttendees are lowercased addresses and "@domain" entries.
	IgnoreAttendees []string `toml:"ignore_attendees"`

	Include []*regexp.Regexp `toml:"-"` // IncludeTitles compiled
	Exclude []*regexp.Regexp `toml:"-"` // ExcludeTitles compiled
}

// Calendar is one [[calendar]].
type Calendar struct {
	Name    string `toml:"name"`
	Type    string `toml:"type"` // "caldav", "google" or "microsoft365"
	Enabled bool   `toml:"enabled"`
	// Email is the calendar owner's address. It tells which copy of a
	// meeting seen in several calendars is the organizer's (the one an
	// agenda is written to). Default: username when it is an address,
	// for Google the subject.
	Email string `toml:"email"`

	// CalDAV.
	URL          string `toml:"url"`
	Username     string `toml:"username"`
	Password     string `toml:"password"`
	PasswordFile string `toml:"password_file"`

	// Google.
	CalendarID      string `toml:"calendar_id"` // "primary" when unset
	Subject         string `toml:"subject"`
	CredentialsFile string `toml:"credentials_file"`
	Endpoint        string `toml:"endpoint"`

	// Microsoft 365 (Endpoint too: the Graph base URL with its version).
	User             string `toml:"user"`
	Tenant           string `toml:"tenant"`
	ClientID         string `toml:"client_id"`
	ClientSecretFile string `toml:"client_secret_file"`
	LoginEndpoint    string `toml:"login_endpoint"`

	// Detect is the global [detect] with this calendar's keys laid over it.
	Detect Detect `toml:"detect"`

	// Credentials is the content of CredentialsFile (a service-account key).
	Credentials []byte `toml:"-"`
	// ClientSecret is the content of ClientSecretFile.
	ClientSecret string `toml:"-"`
}

// defaults returns the configuration of an empty file; state_dir and
// secrets_key_file depend on the environment and are filled in later.
func defaults() *Config {
	return &Config{
		Listen:      "127.0.0.1:8080",
		LogLevel:    "info",
		WindowPast:  30 * 24 * time.Hour,
		WindowAhead: 60 * 24 * time.Hour,
		Mail: Mail{SMTPHost: "localhost", SMTPTLS: "starttls",
			MaxPerRecipientHour: 10, MaxPerRecipientDay: 40, MaxPerHour: 1000},
		Prep: Prep{
			SendBefore:   24 * time.Hour,
			RemindBefore: 2 * time.Hour,
			Grace:        24 * time.Hour,
			Questions:    "default",

			FollowUpAfter: time.Hour,
			Reveal:        "immediately",
			DigestMin:     3,
			AgendaQuiet:   5 * time.Minute,
			AgendaCutoff:  time.Hour,
		},
		Nudges: Nudges{CancelledInARow: 2},
		Sync:   Sync{Interval: 5 * time.Minute, Timeout: 60 * time.Second, Concurrency: 8},
		Detect: Detect{OptInMarker: "#1on1", OptOutMarker: "#no1on1"},
	}
}

// newCalendar and newQuestion give array elements their defaults before
// their table is decoded onto them.
func newCalendar(global Detect) Calendar {
	return Calendar{Enabled: true, Detect: global}
}

func newQuestion() Question {
	return Question{Kind: "text", Visibility: "agenda", Role: "both", Every: 1}
}

// Database is the [database] table. Both keys empty: the SQLite file in
// state_dir. URL (or URLFile, read into URL) is a postgres:// URL for
// PostgreSQL, shared by every instance of one deployment.
type Database struct {
	URL     string `toml:"url"`
	URLFile string `toml:"url_file"`
}

// Postgres tells whether the data lives in PostgreSQL.
func (d Database) Postgres() bool { return d.URL != "" }
