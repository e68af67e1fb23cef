package calendars_test

import (
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars"
)

// The address table: what a calendar may put in ORGANIZER or ATTENDEE,
// after NormalizeEmail, and whether mail may go to it.
func TestCheckEmail(t *testing.T) {
	cases := []struct {
		raw  string
		norm string // "" when only the verdict matters
		bad  string // fragment of the reason; "" means accepted
	}{
		{"mailto:grace@example.com", "grace@example.com", ""},
		{"MAILTO:Grace.Hopper@Example.COM ", "grace.hopper@example.com", ""},
		{"mailto:grace+1on1@mail.example.co.uk", "grace+1on1@mail.example.co.uk", ""},
		{"mailto:o'brien@example.com", "o'brien@example.com", ""},
		{"mailto:grace%40example.com", "grace@example.com", ""},
		{"mailto:grace@bücher.example", "grace@xn--bcher-kva.example", ""},
		{"grace@xn--bcher-kva.example", "grace@xn--bcher-kva.example", ""},
		{"mailto:grace@example.com,victim@evil.example", "", "more than one @"},
		{"mailto:grace,victim@evil.example", "", `character ','`},
		{"mailto:a@b.example?bcc=c@d.example", "", "more than one @"},
		{"mailto:a@b.example?subject=hi", "", `character '?'`},
		{"mailto:grace@example.com%0D%0ABcc:victim@evil.example", "", "line break"},
		{"mailto:grace@example.com%0Abcc", "", "line break"},
		{"mailto:grace%2Cvictim@evil.example", "", `character ','`},
		{"mailto:grace%25evil.example@relay.example", "", `character '%'`},
		{"mailto:grace%zz@example.com", "", `character '%'`},
		{`mailto:"grace hopper"@example.com`, "", "line break"}, // the space
		{`mailto:"grace"@example.com`, "", "quoted local part"},
		{`mailto:"a,b"@example.com`, "", "quoted local part"},
		{"mailto:Grace <grace@example.com>", "", "space"},
		{"mailto:<grace@example.com>", "", `character '<'`},
		{"mailto:grace(comment)@example.com", "", `character '('`},
		{"mailto:grace@example.com.", "", "ends with a dot"},
		{"mailto:grace.@example.com", "", "dot"},
		{"mailto:.grace@example.com", "", "dot"},
		{"mailto:gr..ace@example.com", "", "dot"},
		{"mailto:grace@example..com", "", "empty label"},
		{"mailto:grace@-example.com", "", "hyphen"},
		{"mailto:grace@localhost", "", "no dot"},
		{"mailto:grace@[127.0.0.1]", "", "address literal"},
		{"mailto:grace@10.0.0.1", "", "all-numeric"},
		{"mailto:grace@exa_mple.com", "", `character '_'`},
		{"mailto:grâce@example.com", "", "non-ASCII"},
		{"mailto:grace", "", "no @"},
		{"mailto:@example.com", "", "empty local part"},
		{"mailto:grace@", "", "empty domain"},
		{"mailto:", "", "empty address"},
		{"", "", "empty address"},
		{"mailto:" + strings.Repeat("a", 65) + "@example.com", "", "longer than 64"},
		{"mailto:a@" + strings.Repeat("b", 64) + ".example", "", "longer than 63"},
		{"invalid:nomail", "", "no @"},
	}
	for _, c := range cases {
		t.Run(c.raw, func(t *testing.T) {
			got := calendars.NormalizeEmail(c.raw)
			if c.norm != "" && got != c.norm {
				t.Errorf("NormalizeEmail = %q, want %q", got, c.norm)
			}
			err := calendars.CheckEmail(got)
			switch {
			case c.bad == "" && err != nil:
				t.Errorf("CheckEmail(%q) = %v, want accepted", got, err)
			case c.bad != "" && err == nil:
				t.Errorf("CheckEmail(%q) accepted, want refused for %q", got, c.bad)
			case c.bad != "" && !strings.Contains(err.Error(), c.bad):
				t.Errorf("CheckEmail(%q) = %v, want it to say %q", got, err, c.bad)
			}
		})
	}
}

// A malformed address of anyone in the event makes the series not a 1:1,
// whichever provider it came from (Google's events pass through the same
// iCalendar reader), and the reason names the address.
func TestDetectRefusesMalformedAddresses(t *testing.T) {
	base := "BEGIN:VEVENT\nUID:d\nDTSTART:20240101T100000Z\nRRULE:FREQ=WEEKLY\n"
	cases := []struct{ name, props, why string }{
		{"comma in attendee", "ORGANIZER:mailto:ada@example.com\nATTENDEE:mailto:grace@example.com,victim@evil.example\n",
			`attendee address "grace@example.com,victim@evil.example" is malformed: more than one @`},
		{"encoded CRLF in attendee", "ORGANIZER:mailto:ada@example.com\nATTENDEE:mailto:grace@example.com%0D%0ABcc:v@evil.example\n",
			`attendee address "grace@example.com\r\nbcc:v@evil.example" is malformed`},
		{"bcc query in attendee", "ORGANIZER:mailto:ada@example.com\nATTENDEE:mailto:a@b.example?bcc=c@d.example\n",
			`attendee address "a@b.example?bcc=c@d.example" is malformed`},
		{"malformed organizer", "ORGANIZER:mailto:ada@example.com,victim@evil.example\nATTENDEE:mailto:grace@example.com\n",
			`organizer address "ada@example.com,victim@evil.example" is malformed`},
		{"malformed EMAIL parameter", "ORGANIZER:mailto:ada@example.com\nATTENDEE;EMAIL=\"g@x.example,v@evil.example\":mailto:grace@example.com\n",
			`attendee address "g@x.example,v@evil.example" is malformed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, p := readAll(base + c.props + "END:VEVENT")
			if len(s) != 1 {
				t.Fatalf("series %d, problems %v", len(s), p)
			}
			d := calendars.Detect(s[0], calendars.DefaultRules())
			if d.OneOnOne || !strings.Contains(d.Why, c.why) {
				t.Errorf("got (%v, %q), want not a 1:1 because …%q…", d.OneOnOne, d.Why, c.why)
			}
		})
	}
}
