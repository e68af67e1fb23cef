package config

import (
	"strings"
	"testing"
)

// Every validation problem names its key and says what is wrong; each case
// has exactly one problem, so no check reports noise alongside another.
func TestValidationMessages(t *testing.T) {
	dir := writeFiles(t, map[string]string{"pw": "secret\n", "empty": "\n", "sa.json": "{}", "notjson": "hello"})
	cal := func(body string) string { return "[[calendar]]\nname = \"c\"\n" + body + "\n" }
	dav := func(body string) string { return cal("type = \"caldav\"\nurl = \"https://dav.example.com/\"\n" + body) }
	goog := func(body string) string { return cal("type = \"google\"\ncredentials_file = \"sa.json\"\n" + body) }
	// m365 is a valid Microsoft 365 calendar with the line of key replaced
	// by line (key "": line added).
	m365 := func(key, line string) string {
		var out []string
		for _, l := range []string{`type = "microsoft365"`, `user = "grace@contoso.com"`, `tenant = "contoso.onmicrosoft.com"`,
			`client_id = "app"`, `client_secret_file = "pw"`} {
			if k, _, _ := strings.Cut(l, " "); k == key {
				l = line
			}
			out = append(out, l)
		}
		if key == "" {
			out = append(out, line)
		}
		return cal(strings.Join(out, "\n"))
	}
	base := func(top, tables string) string { return top + "\n" + publicURL + mailOK + tables }
	set := func(body string) string {
		return "[[prep.question_set]]\nname = \"s\"\n" + body + "\n"
	}
	q := func(body string) string {
		return "[[prep.question_set.question]]\nid = \"q\"\ntext = \"Q?\"\n" + body + "\n"
	}
	pair := func(body string) string { return "[[prep.pair]]\n" + body + "\n" }
	google := "[google]\nclient_id = \"id\"\nclient_secret_file = \"pw\"\n"

	for _, tc := range []struct {
		name, doc, key, msg string
	}{
		// top level
		{"public_url missing", mailOK + calOK, "public_url", "required"},
		{"public_url scheme", `public_url = "ftp://x.example"` + "\n" + mailOK + calOK, "public_url", "https://"},
		{"public_url query", `public_url = "https://x.example/?a=b"` + "\n" + mailOK + calOK, "public_url", "query"},
		{"public_url host", `public_url = "https:///p"` + "\n" + mailOK + calOK, "public_url", "no host"},
		{"public_url credentials", `public_url = "https://u:p@x.example"` + "\n" + mailOK + calOK, "public_url", "credentials"},
		{"listen", base(`listen = "8080"`, calOK), "listen", "host:port"},
		{"log_level", base(`log_level = "loud"`, calOK), "log_level", "debug, info, warn or error"},
		{"window_past", base(`window_past = "-1h"`, calOK), "window_past", "negative"},
		{"window_ahead", base(`window_ahead = "0s"`, calOK), "window_ahead", "positive"},
		{"default_timezone", base(`default_timezone = "Mars/Olympus"`, calOK), "default_timezone", "IANA"},
		{"default_timezone Local", base(`default_timezone = "Local"`, calOK), "default_timezone", "machine"},
		{"secrets_key_file", base(`secrets_key_file = "nokey"`, calOK), "secrets_key_file", "nokey"},

		// [mail]
		{"mail.from missing", publicURL + "[mail]\n" + calOK, "mail.from", "required"},
		{"mail.from bad", publicURL + "[mail]\nfrom = \"nobody\"\n" + calOK, "mail.from", "not an email address"},
		{"mail.reply_to", base("", "reply_to = \"a@@b\"\n"+calOK), "mail.reply_to", "not an email address"},
		{"mail.smtp_tls", base("", "smtp_tls = \"ssl\"\n"+calOK), "mail.smtp_tls", "starttls, tls or none"},
		{"mail.smtp_port", base("", "smtp_port = 70000\n"+calOK), "mail.smtp_port", "not a port"},
		{"mail.smtp_host port", base("", "smtp_host = \"smtp.example.com:587\"\n"+calOK), "mail.smtp_host", "smtp_port"},
		{"mail.smtp_host empty", base("", "smtp_host = \"\"\n"+calOK), "mail.smtp_host", "empty"},
		{"mail username without password", base("", "smtp_username = \"u\"\n"+calOK), "mail.smtp_password_file", "smtp_username"},
		{"mail password without username", base("", "smtp_password_file = \"pw\"\n"+calOK), "mail.smtp_username", "required"},
		{"mail both passwords", base("", "smtp_username = \"u\"\nsmtp_password = \"x\"\nsmtp_password_file = \"pw\"\n"+calOK), "mail.smtp_password_file", "both smtp_password and smtp_password_file"},
		{"mail password file missing", base("", "smtp_username = \"u\"\nsmtp_password_file = \"nope\"\n"+calOK), "mail.smtp_password_file", "cannot read " + dir + "/nope"},
		{"mail password file empty", base("", "smtp_username = \"u\"\nsmtp_password_file = \"empty\"\n"+calOK), "mail.smtp_password_file", "empty"},
		{"mail.max_per_recipient_hour", base("", "max_per_recipient_hour = -1\n"+calOK), "mail.max_per_recipient_hour", "0 for no limit"},
		{"mail.max_per_hour", base("", "max_per_hour = -5\n"+calOK), "mail.max_per_hour", "negative"},

		// [prep]
		{"send_before syntax", minimal + "[prep]\nsend_before = \"1 day\"\n", "prep.send_before", `"1 day" is not a duration (use Go syntax like "24h"`},
		{"reveal", minimal + "[prep]\nreveal = \"later\"\n", "prep.reveal", `"later" is not a choice`},
		{"digest_min", minimal + "[prep]\ndigest_min = -1\n", "prep.digest_min", "negative"},
		{"send_before zero", minimal + "[prep]\nsend_before = \"0s\"\nremind_before = \"0s\"\n", "prep.send_before", "positive"},
		{"send_before beyond window", minimal + "[prep]\nsend_before = \"2000h\"\n", "prep.send_before", "window_ahead"},
		{"remind_before too long", minimal + "[prep]\nremind_before = \"24h\"\n", "prep.remind_before", "not shorter than send_before (24h)"},
		{"remind_before negative", minimal + "[prep]\nremind_before = \"-2h\"\n", "prep.remind_before", "negative"},
		{"agenda_quiet negative", minimal + "[prep]\nagenda_quiet = \"-1m\"\n", "prep.agenda_quiet", "negative"},
		{"agenda_cutoff zero", minimal + "[prep]\nagenda_cutoff = \"0s\"\n", "prep.agenda_cutoff", "must be positive"},
		{"agenda_cutoff beyond send_before", minimal + "[prep]\nagenda_cutoff = \"48h\"\n", "prep.agenda_cutoff", "longer than send_before (24h)"},
		{"grace negative", minimal + "[prep]\ngrace = \"-1h\"\n", "prep.grace", "negative"},
		{"follow_up_after negative", minimal + "[prep]\nfollow_up_after = \"-1h\"\n", "prep.follow_up_after", `"0s" disables`},
		{"cancelled_in_a_row negative", minimal + "[nudges]\ncancelled_in_a_row = -2\n", "nudges.cancelled_in_a_row", "0 disables"},
		{"nudges unknown key", minimal + "[nudges]\nafter = 2\n", "nudges.after", "unknown"},
		{"questions unknown", minimal + "[prep]\nquestions = \"career\"\n", "prep.questions", `no question set is named "career"`},
		{"set name missing", minimal + "[[prep.question_set]]\n" + q(""), "prep.question_set[0].name", "required"},
		{"set name chars", minimal + "[[prep.question_set]]\nname = \"a b\"\n" + q(""), "prep.question_set[0].name", "characters"},
		{"set name duplicate", minimal + set(q("")) + set(q("")), "prep.question_set[1].name", "earlier question set"},
		{"set empty", minimal + set(""), "prep.question_set[0].question", "no questions"},
		{"question id missing", minimal + set("[[prep.question_set.question]]\ntext = \"Q?\""), "prep.question_set[0].question[0].id", "required"},
		{"question id chars", minimal + set("[[prep.question_set.question]]\nid = \"Q1\"\ntext = \"Q?\""), "prep.question_set[0].question[0].id", "lowercase"},
		{"question id duplicate", minimal + set(q("")+q("")), "prep.question_set[0].question[1].id", "unique within a set"},
		{"question text missing", minimal + set("[[prep.question_set.question]]\nid = \"q\""), "prep.question_set[0].question[0].text", "required"},
		{"question kind", minimal + set(q(`kind = "essay"`)), "prep.question_set[0].question[0].kind", `"text", "scale"`},
		{"question visibility", minimal + set(q(`visibility = "public"`)), "prep.question_set[0].question[0].visibility", `"agenda", "pair", "private"`},
		{"question role", minimal + set(q(`role = "manager"`)), "prep.question_set[0].question[0].role", `"both", "organizer", "attendee"`},
		{"question every", minimal + set(q(`every = 0`)), "prep.question_set[0].question[0].every", "positive"},
		{"pair count", minimal + pair(`participants = ["a@x.com"]`+"\nquestion_set = \"default\""), "prep.pair[0].participants", "exactly two"},
		{"pair address", minimal + pair(`participants = ["a@x.com", "bee"]`+"\nquestion_set = \"default\""), "prep.pair[0].participants[1]", "not an email address"},
		{"pair same person", minimal + pair(`participants = ["a@x.com", "A@X.com"]`+"\nquestion_set = \"default\""), "prep.pair[0].participants", "twice"},
		{"pair duplicate", minimal + pair(`participants = ["a@x.com", "b@x.com"]`+"\nquestion_set = \"default\"") + pair(`participants = ["b@x.com", "a@x.com"]`+"\nquestion_set = \"default\""), "prep.pair[1].participants", "prep.pair[0]"},
		{"pair set unknown", minimal + pair(`participants = ["a@x.com", "b@x.com"]`+"\nquestion_set = \"career\""), "prep.pair[0].question_set", `no question set is named "career"`},
		{"pair set missing", minimal + pair(`participants = ["a@x.com", "b@x.com"]`), "prep.pair[0].question_set", "required"},

		// [sync], [google]
		{"sync.interval", minimal + "[sync]\ninterval = \"10s\"\n", "sync.interval", "30s"},
		{"sync.timeout", minimal + "[sync]\ntimeout = \"0s\"\n", "sync.timeout", "at least"},
		{"sync.concurrency zero", minimal + "[sync]\nconcurrency = 0\n", "sync.concurrency", "from 1 to 256"},
		{"sync.concurrency huge", minimal + "[sync]\nconcurrency = 10000\n", "sync.concurrency", "from 1 to 256"},
		{"google secret missing", minimal + "[google]\nclient_id = \"id\"\n", "google.client_secret_file", "client_id"},
		{"google id missing", minimal + "[google]\nclient_secret_file = \"pw\"\n", "google.client_id", "required"},
		{"google both secrets", minimal + "[google]\nclient_id = \"id\"\nclient_secret = \"x\"\nclient_secret_file = \"pw\"\n", "google.client_secret_file", "both"},

		// [detect]
		{"include regex", minimal + "[detect]\ninclude_titles = [\"ok\", \"(bad\"]\n", "detect.include_titles[1]", "regular expression"},
		{"exclude regex", minimal + "[detect]\nexclude_titles = [\"*\"]\n", "detect.exclude_titles[0]", "regular expression"},
		{"ignore address", minimal + "[detect]\nignore_attendees = [\"room@x.com\", \"room\"]\n", "detect.ignore_attendees[1]", "not an email address"},
		{"ignore domain", minimal + "[detect]\nignore_attendees = [\"@\"]\n", "detect.ignore_attendees[0]", "not a domain"},
		{"same markers", minimal + "[detect]\nopt_in_marker = \"#x\"\nopt_out_marker = \"#x\"\n", "detect.opt_out_marker", "different"},

		// [[calendar]]
		{"calendar name missing", base("", "[[calendar]]\ntype = \"caldav\"\nurl = \"https://d.example/\""), "calendar[0].name", "required"},
		{"calendar name chars", base("", "[[calendar]]\nname = \"a/b\"\ntype = \"caldav\"\nurl = \"https://d.example/\""), "calendar[0].name", "characters"},
		{"calendar name duplicate", base("", dav("")+dav("")), "calendar[1].name", "calendar[0]"},
		{"calendar type missing", base("", cal("")), "calendar[0].type", "required"},
		{"calendar type bad", base("", cal(`type = "exchange"`)), "calendar[0].type", `not "caldav", "google" or "microsoft365"`},
		{"caldav url missing", base("", cal(`type = "caldav"`)), "calendar[0].url", "required"},
		{"caldav url bad", base("", cal("type = \"caldav\"\nurl = \"dav.example.com\"")), "calendar[0].url", "https://"},
		{"caldav url credentials", base("", cal("type = \"caldav\"\nurl = \"https://u:pw@dav.example.com/\"")), "calendar[0].url", "credentials"},
		{"caldav username alone", base("", dav(`username = "u"`)), "calendar[0].password_file", "required"},
		{"caldav password alone", base("", dav(`password_file = "pw"`)), "calendar[0].username", "required"},
		{"caldav both passwords", base("", dav("username = \"u\"\npassword = \"x\"\npassword_file = \"pw\"")), "calendar[0].password_file", "both password and password_file"},
		{"caldav password file missing", base("", dav("username = \"u\"\npassword_file = \"nope\"")), "calendar[0].password_file", dir + "/nope"},
		{"caldav google key", base("", dav(`subject = "a@x.com"`)), "calendar[0].subject", "caldav"},
		{"google caldav key", base("", goog(`url = "https://x.example/"`)), "calendar[0].url", "google"},
		{"google subject", base("", goog(`subject = "grace"`)), "calendar[0].subject", "not an email address"},
		{"google subject without key", base("", cal("type = \"google\"\nsubject = \"g@x.com\"")+google), "calendar[0].credentials_file", "subject"},
		{"google endpoint", base("", goog(`endpoint = "localhost:8080"`)), "calendar[0].endpoint", "https://"},
		{"google no credentials", base("", cal(`type = "google"`)), "calendar[0].credentials_file", "oneonone connect google"},
		{"google credentials missing", base("", cal("type = \"google\"\ncredentials_file = \"nope.json\"")), "calendar[0].credentials_file", dir + "/nope.json"},
		{"google credentials not json", base("", cal("type = \"google\"\ncredentials_file = \"notjson\"")), "calendar[0].credentials_file", "not JSON"},
		{"m365 user missing", base("", m365("user", "")), "calendar[0].user", "userPrincipalName"},
		{"m365 user bad", base("", m365("user", `user = "grace@"`)), "calendar[0].user", "not an email address"},
		{"m365 tenant missing", base("", m365("tenant", "")), "calendar[0].tenant", "required"},
		{"m365 tenant bad", base("", m365("tenant", `tenant = "https://login.example/x"`)), "calendar[0].tenant", "not a tenant id"},
		{"m365 client id missing", base("", m365("client_id", "")), "calendar[0].client_id", "Calendars.ReadWrite"},
		{"m365 secret missing", base("", m365("client_secret_file", "")), "calendar[0].client_secret_file", "required"},
		{"m365 secret file missing", base("", m365("client_secret_file", `client_secret_file = "nope"`)), "calendar[0].client_secret_file", dir + "/nope"},
		{"m365 login endpoint", base("", m365("", `login_endpoint = "login.example"`)), "calendar[0].login_endpoint", "https://"},
		{"m365 caldav key", base("", m365("", `url = "https://x.example/"`)), "calendar[0].url", "microsoft365"},
		{"caldav m365 key", base("", dav(`tenant = "t"`)), "calendar[0].tenant", "caldav"},
		{"m365 valid", base("", m365("", "")+"[[calendar]]\nname = \"d\"\ntype = \"caldav\"\nurl = \"x\""), "calendar[1].url", "https://"},
		{"calendar detect regex", base("", dav("[calendar.detect]\ninclude_titles = [\"[\"]")), "calendar[0].detect.include_titles[0]", "regular expression"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list := problemsOf(t, tc.doc, dir)
			if len(list) != 1 || list[0].Key != tc.key || !strings.Contains(list[0].Msg, tc.msg) {
				t.Errorf("problems:\n%v\nwant one for %s containing %q", (&Errors{List: list}).Error(), tc.key, tc.msg)
			}
			if got := list[0].Error(); !strings.HasPrefix(got, tc.key) {
				t.Errorf("%q does not start with its key", got)
			}
		})
	}
}

// All problems come back at once, each on its own line.
func TestValidationCollectsAll(t *testing.T) {
	doc := "log_level = \"loud\"\n[mail]\nsmtp_tls = \"ssl\"\n[[calendar]]\ntype = \"caldav\"\n"
	_, err := Parse([]byte(doc), "", noEnv)
	want := []string{
		"public_url: required — ",
		"log_level (line 1): \"loud\" is not a level — ",
		"mail.from (line 2): required — ",
		"mail.smtp_tls (line 3): \"ssl\" is not one of starttls, tls or none — ",
		"calendar[0].name (line 4): required — ",
		"calendar[0].url (line 4): required — ",
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got\n%v\nwant %d lines", err, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], w)
		}
	}
}

func TestCalendarEmailMustBeAnAddress(t *testing.T) {
	_, err := Parse([]byte("public_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"a@example.com\"\n[[calendar]]\nname = \"a\"\ntype = \"caldav\"\nurl = \"http://dav.example.com/\"\nemail = \"not an address\"\n"), t.TempDir(), func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "calendar[0].email") {
		t.Errorf("got %v, want an error naming calendar[0].email", err)
	}
}

func TestTrustedProxies(t *testing.T) {
	base := "public_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"a@example.com\"\n"
	c, err := Parse([]byte("trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n"+base), t.TempDir(), func(string) string { return "" })
	if err != nil || len(c.Proxies) != 2 || c.Proxies[0].Bits() != 32 {
		t.Fatalf("got %v, %v", c, err)
	}
	_, err = Parse([]byte("trusted_proxies = [\"proxy.local\"]\n"+base), t.TempDir(), func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "trusted_proxies[0]") {
		t.Errorf("got %v, want an error naming trusted_proxies[0]", err)
	}
}
