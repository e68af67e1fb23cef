package caldav

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// XML namespaces. Request bodies use the prefixes D, C, CS and A; encoding/xml
// writes a name containing a colon as it is, which keeps the bodies short and
// in the form every server has been tested with.
const (
	nsDAV    = "DAV:"
	nsCalDAV = "urn:ietf:params:xml:ns:caldav"
	nsCS     = "http://calendarserver.org/ns/"
	nsApple  = "http://apple.com/ns/ical/"
)

type multistatus struct {
	XMLName   xml.Name     `xml:"DAV: multistatus"`
	Responses []msResponse `xml:"DAV: response"`
	SyncToken string       `xml:"DAV: sync-token"`
}

type msResponse struct {
	Hrefs     []string   `xml:"DAV: href"`
	Status    string     `xml:"DAV: status"`
	Propstats []propstat `xml:"DAV: propstat"`
}

type propstat struct {
	Prop   prop   `xml:"DAV: prop"`
	Status string `xml:"DAV: status"`
}

// prop holds every property this package reads; absent ones stay nil.
type prop struct {
	ETag         *string       `xml:"DAV: getetag"`
	CalendarData *string       `xml:"urn:ietf:params:xml:ns:caldav calendar-data"`
	CTag         *string       `xml:"http://calendarserver.org/ns/ getctag"`
	SyncToken    *string       `xml:"DAV: sync-token"`
	DisplayName  *string       `xml:"DAV: displayname"`
	Color        *string       `xml:"http://apple.com/ns/ical/ calendar-color"`
	ResourceType *resourceType `xml:"DAV: resourcetype"`
	Principal    *hrefs        `xml:"DAV: current-user-principal"`
	HomeSet      *hrefs        `xml:"urn:ietf:params:xml:ns:caldav calendar-home-set"`
	Components   *componentSet `xml:"urn:ietf:params:xml:ns:caldav supported-calendar-component-set"`
	ReportSet    *reportSet    `xml:"DAV: supported-report-set"`
}

type hrefs struct {
	Hrefs []string `xml:"DAV: href"`
}

type resourceType struct {
	Collection *struct{} `xml:"DAV: collection"`
	Calendar   *struct{} `xml:"urn:ietf:params:xml:ns:caldav calendar"`
}

type componentSet struct {
	Comps []struct {
		Name string `xml:"name,attr"`
	} `xml:"urn:ietf:params:xml:ns:caldav comp"`
}

// reportSet accepts both <supported-report><report><X/></report> (RFC 3253)
// and Xandikos' <supported-report><X/> without the report element.
type reportSet struct {
	Reports []struct {
		Report *struct {
			Any []anyElement `xml:",any"`
		} `xml:"DAV: report"`
		Any []anyElement `xml:",any"`
	} `xml:"DAV: supported-report"`
}

type anyElement struct {
	XMLName xml.Name
}

func (s *reportSet) has(space, local string) bool {
	for _, r := range s.Reports {
		elems := r.Any
		if r.Report != nil {
			elems = append(elems, r.Report.Any...)
		}
		for _, e := range elems {
			if e.XMLName.Space == space && e.XMLName.Local == local {
				return true
			}
		}
	}
	return false
}

// found merges the props of the propstats whose status is 2xx (or absent).
func (r *msResponse) found() prop {
	var p prop
	for _, ps := range r.Propstats {
		if ps.Status != "" && statusCode(ps.Status)/100 != 2 {
			continue
		}
		mergeProp(&p, ps.Prop)
	}
	return p
}

func mergeProp(dst *prop, src prop) {
	set := func(d **string, s *string) {
		if s != nil {
			*d = s
		}
	}
	set(&dst.ETag, src.ETag)
	set(&dst.CalendarData, src.CalendarData)
	set(&dst.CTag, src.CTag)
	set(&dst.SyncToken, src.SyncToken)
	set(&dst.DisplayName, src.DisplayName)
	set(&dst.Color, src.Color)
	if src.ResourceType != nil {
		dst.ResourceType = src.ResourceType
	}
	if src.Principal != nil {
		dst.Principal = src.Principal
	}
	if src.HomeSet != nil {
		dst.HomeSet = src.HomeSet
	}
	if src.Components != nil {
		dst.Components = src.Components
	}
	if src.ReportSet != nil {
		dst.ReportSet = src.ReportSet
	}
}

// statusCode reads the code of a status line such as "HTTP/1.1 404 Not Found";
// 0 when there is none.
func statusCode(line string) int {
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

func parseMultistatus(body []byte) (*multistatus, error) {
	var ms multistatus
	if err := xml.Unmarshal(body, &ms); err != nil {
		return nil, fmt.Errorf("parse multistatus: %w", err)
	}
	return &ms, nil
}

// davError is the body of a 4xx answer that names a failed precondition
// (RFC 4918 16), such as DAV:valid-sync-token or CalDAV's no-uid-conflict.
type davError struct {
	XMLName    xml.Name     `xml:"DAV: error"`
	Conditions []anyElement `xml:",any"`
}

// precondition returns the first condition named in an error body, or "".
func precondition(body []byte) string {
	var e davError
	if xml.Unmarshal(body, &e) != nil || len(e.Conditions) == 0 {
		return ""
	}
	return e.Conditions[0].XMLName.Local
}

func isInvalidSyncToken(body []byte) bool { return precondition(body) == "valid-sync-token" }

// marshalBody encodes a request body with the XML declaration.
func marshalBody(v any) []byte {
	b, err := xml.Marshal(v)
	if err != nil {
		// Only the fixed request types of this package are marshalled.
		panic(fmt.Sprintf("caldav: marshal %T: %v", v, err))
	}
	return append([]byte(xml.Header), b...)
}
