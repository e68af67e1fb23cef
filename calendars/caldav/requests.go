package caldav

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
)

// Property names as written in request bodies (prefixes bound by xmlnsAll).
const (
	pETag         = "D:getetag"
	pResourceType = "D:resourcetype"
	pDisplayName  = "D:displayname"
	pSyncToken    = "D:sync-token"
	pReportSet    = "D:supported-report-set"
	pPrincipal    = "D:current-user-principal"
	pCalData      = "C:calendar-data"
	pHomeSet      = "C:calendar-home-set"
	pComponents   = "C:supported-calendar-component-set"
	pCTag         = "CS:getctag"
	pColor        = "A:calendar-color"
)

type xmlns struct {
	D  string `xml:"xmlns:D,attr"`
	C  string `xml:"xmlns:C,attr"`
	CS string `xml:"xmlns:CS,attr"`
	A  string `xml:"xmlns:A,attr"`
}

var xmlnsAll = xmlns{D: nsDAV, C: nsCalDAV, CS: nsCS, A: nsApple}

type emptyElement struct{ XMLName xml.Name }

type propList struct{ Names []emptyElement }

func props(names ...string) propList {
	var p propList
	for _, n := range names {
		p.Names = append(p.Names, emptyElement{xml.Name{Local: n}})
	}
	return p
}

type propfindBody struct {
	XMLName xml.Name `xml:"D:propfind"`
	xmlns
	Prop propList `xml:"D:prop"`
}

type syncCollectionBody struct {
	XMLName xml.Name `xml:"D:sync-collection"`
	xmlns
	Token string   `xml:"D:sync-token"`
	Level string   `xml:"D:sync-level"`
	Prop  propList `xml:"D:prop"`
}

type multigetBody struct {
	XMLName xml.Name `xml:"C:calendar-multiget"`
	xmlns
	Prop  propList `xml:"D:prop"`
	Hrefs []string `xml:"D:href"`
}

// propfind sends a PROPFIND and returns the parsed multistatus, or an
// *HTTPError for any other status.
func (c *Client) propfind(ctx context.Context, m *meter, u *url.URL, depth string, names ...string) (*multistatus, *response, error) {
	body := marshalBody(propfindBody{xmlns: xmlnsAll, Prop: props(names...)})
	r, err := c.do(ctx, m, "PROPFIND", u, header("Depth", depth), body)
	if err != nil {
		return nil, nil, err
	}
	if !is207(r) {
		return nil, r, c.statusError("PROPFIND", u.String(), r)
	}
	ms, err := parseMultistatus(r.body)
	if err != nil {
		return nil, r, fmt.Errorf("caldav: propfind %s: %w", Redact(u.String()), err)
	}
	return ms, r, nil
}

// report sends a REPORT and returns the raw response: callers look at
// statuses other than 207 themselves.
func (c *Client) report(ctx context.Context, m *meter, u *url.URL, depth string, body any) (*response, error) {
	return c.do(ctx, m, "REPORT", u, header("Depth", depth), marshalBody(body))
}
