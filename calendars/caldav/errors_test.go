package caldav

import (
	"strings"
	"testing"
)

func TestLoginHintNamesWhatHostedServersWant(t *testing.T) {
	c := &Client{opt: Options{Username: "ada@example.com"}}
	for u, want := range map[string]string{
		"https://p42-caldav.icloud.com/123/calendars/":                "app-specific password",
		"https://caldav.fastmail.com/dav/":                            "app password",
		"https://apidata.googleusercontent.com/caldav/v2/ada/events/": `type = "google"`,
		"https://dav.example.com/":                                    "",
	} {
		e := c.statusError("PROPFIND", u, &response{status: 401})
		if want == "" && strings.Contains(e.Hint, ";") || !strings.Contains(e.Hint, want) {
			t.Errorf("%s: hint %q, want %q", u, e.Hint, want)
		}
	}
}
