package caldav

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestQuoteETag(t *testing.T) {
	for in, want := range map[string]string{
		`"abc"`: `"abc"`, `W/"abc"`: `W/"abc"`, `abc`: `"abc"`, ` abc `: `"abc"`, `*`: `*`,
	} {
		if got := quoteETag(in); got != want {
			t.Errorf("quoteETag(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSupportedReportSetBothShapes(t *testing.T) {
	for name, body := range map[string]string{
		"RFC 3253": `<D:supported-report-set xmlns:D="DAV:"><D:supported-report><D:report><D:sync-collection/></D:report></D:supported-report></D:supported-report-set>`,
		"Xandikos": `<ns0:supported-report-set xmlns:ns0="DAV:"><ns0:supported-report><ns0:sync-collection /></ns0:supported-report></ns0:supported-report-set>`,
	} {
		var s reportSet
		if err := xml.Unmarshal([]byte(body), &s); err != nil || !s.has(nsDAV, "sync-collection") || s.has(nsDAV, "other") {
			t.Errorf("%s: has(sync-collection) wrong (err %v)", name, err)
		}
	}
}

// The prefixed names written by marshalBody must be read by a namespace-aware
// parser as the DAV: and CalDAV elements.
func TestRequestBodiesAreNamespaced(t *testing.T) {
	body := marshalBody(syncCollectionBody{xmlns: xmlnsAll, Token: "http://x/?a=1&b=<2>", Level: "1", Prop: props(pETag)})
	var sc struct {
		XMLName xml.Name  `xml:"DAV: sync-collection"`
		Token   string    `xml:"DAV: sync-token"`
		ETag    *struct{} `xml:"DAV: prop>getetag"`
	}
	if err := xml.Unmarshal(body, &sc); err != nil || sc.Token != "http://x/?a=1&b=<2>" || sc.ETag == nil {
		t.Errorf("sync-collection body %s: %+v, %v", body, sc, err)
	}
	body = marshalBody(multigetBody{xmlns: xmlnsAll, Prop: props(pETag, pCalData), Hrefs: []string{"/a%20b.ics"}})
	var mg struct {
		XMLName xml.Name `xml:"urn:ietf:params:xml:ns:caldav calendar-multiget"`
		Prop    struct {
			Data *struct{} `xml:"urn:ietf:params:xml:ns:caldav calendar-data"`
		} `xml:"DAV: prop"`
		Hrefs []string `xml:"DAV: href"`
	}
	if err := xml.Unmarshal(body, &mg); err != nil || len(mg.Hrefs) != 1 || mg.Prop.Data == nil {
		t.Errorf("multiget body %s: %+v, %v", body, mg, err)
	}
}

func TestHrefOf(t *testing.T) {
	c, _ := New("https://dav.example.com/ada/work/", Options{})
	at, _ := url.Parse("https://dav.example.com/ada/work/")
	for raw, want := range map[string]string{
		"a.ics":                                  "/ada/work/a.ics",
		"/ada/work/b%40c.ics":                    "/ada/work/b%40c.ics",
		"https://dav.example.com/ada/work/d.ics": "/ada/work/d.ics",
		"https://p07.example.net/1/calendars/":   "https://p07.example.net/1/calendars/",
	} {
		if got, _, err := c.hrefOf(raw, at); err != nil || got != want {
			t.Errorf("hrefOf(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
}

func TestCalendarDataLineEndings(t *testing.T) {
	got := string(fixLineEndings("\n  BEGIN:VCALENDAR\nX:1\r\nEND:VCALENDAR\n"))
	if got != "BEGIN:VCALENDAR\r\nX:1\r\nEND:VCALENDAR\r\n" {
		t.Errorf("fixLineEndings = %q", got)
	}
}

func TestErrorsCarryNoPassword(t *testing.T) {
	c, err := New("https://ada:hunter2@dav.example.com/ada/", Options{})
	if err != nil || c.opt.Username != "ada" || c.opt.Password != "hunter2" || c.base.User != nil {
		t.Fatalf("New with credentials in the URL: %+v, %v", c, err)
	}
	e := c.statusError("PROPFIND", "https://ada:hunter2@dav.example.com/ada/?x=1", &response{status: 401})
	if msg := e.Error(); strings.Contains(msg, "hunter2") || !strings.Contains(msg, "https://dav.example.com/ada/") {
		t.Errorf("message: %s", msg)
	}
	if _, err := New("dav.example.com/ada/", Options{}); err == nil {
		t.Error("New accepted a URL without a scheme")
	}
}

func TestRedirectKeepsMethodAndRefusesDowngrade(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old/" {
			http.Redirect(w, r, "/new/", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("X-Method", r.Method)
	}))
	defer plain.Close()
	c, _ := New(plain.URL, Options{})
	u, _ := url.Parse(plain.URL + "/old/")
	r, err := c.do(context.Background(), nil, "PROPFIND", u, nil, []byte("<x/>"))
	if err != nil || r.header.Get("X-Method") != "PROPFIND" || r.url.Path != "/new/" {
		t.Errorf("redirected PROPFIND: %+v, %v", r, err)
	}

	tlsSrv := httptest.NewTLSServer(http.RedirectHandler(plain.URL+"/new/", http.StatusFound))
	defer tlsSrv.Close()
	c, _ = New(tlsSrv.URL, Options{Username: "ada", Password: "pw", HTTPClient: tlsSrv.Client()})
	u, _ = url.Parse(tlsSrv.URL + "/x/")
	var he *HTTPError
	if _, err := c.do(context.Background(), nil, "PROPFIND", u, nil, nil); !errors.As(err, &he) {
		t.Errorf("https → http redirect: %v, want refused", err)
	}
}
