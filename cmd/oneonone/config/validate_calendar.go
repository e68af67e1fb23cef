package config

import (
	"fmt"
	"regexp"
	"strings"
)

func (v *validator) calendars() {
	c := v.c
	if len(c.Calendars) == 0 && c.Google.ClientID == "" {
		c.Warnings = append(c.Warnings, "no [[calendar]] is configured and no [google] client for /connect, so nothing will be synced")
	}
	names := map[string]int{}
	for i := range c.Calendars {
		cal := &c.Calendars[i]
		key := fmt.Sprintf("calendar[%d]", i)
		switch j, dup := names[cal.Name]; {
		case cal.Name == "":
			v.p.add(key+".name", "required — a short name for logs and `oneonone series`, such as \"ada\"")
		case !nameRe.MatchString(cal.Name):
			v.p.add(key+".name", "%q has characters other than letters, digits, '_', '.' and '-'", cal.Name)
		case dup:
			v.p.add(key+".name", "%q is also the name of calendar[%d] — give each calendar its own name", cal.Name, j)
		}
		if _, dup := names[cal.Name]; !dup {
			names[cal.Name] = i
		}
		switch cal.Type {
		case "caldav":
			v.caldav(key, cal)
		case "google":
			v.googleCalendar(key, cal)
		case "microsoft365":
			v.microsoft365(key, cal)
		case "":
			v.p.add(key+".type", `required — "caldav", "google" or "microsoft365"`)
		default:
			v.p.add(key+".type", `%q is not "caldav", "google" or "microsoft365"`, cal.Type)
		}
		if cal.Email != "" {
			v.address(key+".email", cal.Email)
		}
		v.detect(key+".detect", &cal.Detect, &c.Detect)
	}
}

func (v *validator) caldav(key string, cal *Calendar) {
	if cal.URL == "" {
		v.p.add(key+".url", "required — the calendar collection URL, or the server URL to discover calendars from")
	} else {
		v.httpURL(key+".url", cal.URL)
	}
	if cal.Username != "" && cal.Password == "" && cal.PasswordFile == "" {
		v.p.add(key+".password_file", "required when username is set — point it at a file holding the CalDAV password")
	}
	if cal.Username == "" && cal.Password != "" {
		v.p.add(key+".username", "required when a password is set — set the CalDAV login name")
	}
	v.notFor(key, "caldav", "calendar_id", "subject", "credentials_file", "endpoint")
	v.notFor(key, "caldav", microsoft365Keys...)
}

func (v *validator) googleCalendar(key string, cal *Calendar) {
	if cal.CalendarID == "" {
		cal.CalendarID = "primary"
	}
	if cal.Subject != "" {
		v.address(key+".subject", cal.Subject)
		if cal.CredentialsFile == "" {
			v.p.add(key+".credentials_file", "required when subject is set — subject is the user a service account acts as")
		}
	}
	if cal.Endpoint != "" {
		v.httpURL(key+".endpoint", cal.Endpoint)
	}
	if cal.CredentialsFile == "" && cal.Enabled && (v.c.Google.ClientID == "" || v.c.Google.ClientSecret == "") {
		v.p.add(key+".credentials_file", "not set, so this calendar uses a token from `oneonone connect google`, which needs [google] client_id and client_secret_file — set those, or a service-account key here")
	}
	v.notFor(key, "google", "url", "username", "password", "password_file")
	v.notFor(key, "google", microsoft365Keys...)
}

// microsoft365Keys apply to Microsoft 365 calendars only.
var microsoft365Keys = []string{"user", "tenant", "client_id", "client_secret_file", "login_endpoint"}

func (v *validator) microsoft365(key string, cal *Calendar) {
	switch {
	case cal.User == "":
		v.p.add(key+".user", "required — the mailbox watched: its userPrincipalName (grace@contoso.com) or object id")
	case strings.Contains(cal.User, "@"):
		v.address(key+".user", cal.User)
	}
	switch {
	case cal.Tenant == "":
		v.p.add(key+".tenant", "required — the tenant id or a domain of the tenant, such as contoso.onmicrosoft.com")
	case strings.ContainsAny(cal.Tenant, "/?#@ \t"):
		v.p.add(key+".tenant", "%q is not a tenant id or domain — use the directory id or a domain such as contoso.onmicrosoft.com", cal.Tenant)
	}
	if cal.ClientID == "" {
		v.p.add(key+".client_id", "required — the application (client) id of an app registration with the application permission Calendars.ReadWrite")
	}
	if cal.ClientSecretFile == "" {
		v.p.add(key+".client_secret_file", "required — point it at a file holding the app registration's client secret (its value)")
	}
	if cal.Endpoint != "" {
		v.httpURL(key+".endpoint", cal.Endpoint)
	}
	if cal.LoginEndpoint != "" {
		v.httpURL(key+".login_endpoint", cal.LoginEndpoint)
	}
	v.notFor(key, "microsoft365", "url", "username", "password", "password_file", "calendar_id", "subject", "credentials_file")
}

// notFor reports keys set on a calendar of a type they do not apply to.
func (v *validator) notFor(key, typ string, keys ...string) {
	for _, k := range keys {
		if v.set[key+"."+k] {
			v.p.add(key+"."+k, "does not apply to a %s calendar — remove it, or check the calendar's type", typ)
		}
	}
}

// detect checks one set of detection rules. For a calendar's rules, inherit
// is the global set: keys the calendar does not set were checked there.
func (v *validator) detect(key string, d *Detect, inherit *Detect) {
	own := func(k string) bool { return inherit == nil || v.set[key+"."+k] }
	if own("include_titles") {
		d.Include = v.regexps(key+".include_titles", d.IncludeTitles)
	} else {
		d.Include = inherit.Include
	}
	if own("exclude_titles") {
		d.Exclude = v.regexps(key+".exclude_titles", d.ExcludeTitles)
	} else {
		d.Exclude = inherit.Exclude
	}
	if own("ignore_attendees") {
		d.IgnoreAttendees = v.attendees(key+".ignore_attendees", d.IgnoreAttendees)
	} else {
		d.IgnoreAttendees = inherit.IgnoreAttendees
	}
	if d.OptInMarker != "" && d.OptInMarker == d.OptOutMarker && (own("opt_in_marker") || own("opt_out_marker")) {
		v.p.add(key+".opt_out_marker", "%q is also the opt_in_marker — use two different markers", d.OptOutMarker)
	}
}

func (v *validator) regexps(key string, list []string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, 0, len(list))
	for i, s := range list {
		re, err := regexp.Compile(s)
		if err != nil {
			v.p.add(fmt.Sprintf("%s[%d]", key, i), "%q is not a regular expression: %v — use Go's RE2 syntax, such as \"(?i)1:1|one.on.one\"",
				s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			continue
		}
		out = append(out, re)
	}
	return out
}

// attendees lowercases addresses and "@domain" entries into a new slice:
// the old one may be shared with the global rules.
func (v *validator) attendees(key string, list []string) []string {
	out := make([]string, 0, len(list))
	for i, s := range list {
		k := fmt.Sprintf("%s[%d]", key, i)
		if domain, ok := strings.CutPrefix(s, "@"); ok {
			if domain == "" || strings.ContainsAny(domain, "@ \t<>") {
				v.p.add(k, "%q is not a domain — write \"@example.com\"", s)
				continue
			}
			out = append(out, strings.ToLower(s))
			continue
		}
		a, err := parseAddress(s)
		if err != nil {
			v.p.add(k, "%q is not an email address or \"@domain\" (%v)", s, err)
			continue
		}
		out = append(out, strings.ToLower(a.Address))
	}
	return out
}
