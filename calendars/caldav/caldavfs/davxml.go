package caldavfs

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// XML namespaces.
const (
	nsDAV    = "DAV:"
	nsCalDAV = "urn:ietf:params:xml:ns:caldav"
	nsCS     = "http://calendarserver.org/ns/"
)

func davName(local string) xml.Name    { return xml.Name{Space: nsDAV, Local: local} }
func caldavName(local string) xml.Name { return xml.Name{Space: nsCalDAV, Local: local} }

// propSel is the selection of a PROPFIND or REPORT body: allprop (also when
// nothing is given), propname, or a list of properties.
type propSel struct {
	PropName *struct{} `xml:"DAV: propname"`
	Prop     *struct {
		Names []struct{ XMLName xml.Name } `xml:",any"`
	} `xml:"DAV: prop"`
}

type propfindReq struct {
	XMLName xml.Name `xml:"DAV: propfind"`
	propSel
}

type multigetReq struct {
	XMLName xml.Name `xml:"urn:ietf:params:xml:ns:caldav calendar-multiget"`
	propSel
	Hrefs []string `xml:"DAV: href"`
}

type queryReq struct {
	XMLName xml.Name `xml:"urn:ietf:params:xml:ns:caldav calendar-query"`
	propSel
}

// props maps the properties of a resource to their content as XML.
type props map[xml.Name]string

type multistatus struct {
	XMLName   xml.Name   `xml:"DAV: multistatus"`
	Responses []response `xml:"DAV: response"`
}

type response struct {
	Href      string     `xml:"DAV: href"`
	Status    string     `xml:"DAV: status,omitempty"`
	Propstats []propstat `xml:"DAV: propstat"`
}

type propstat struct {
	Prop   propList `xml:"DAV: prop"`
	Status string   `xml:"DAV: status"`
}

type propList struct {
	Props []prop // each named by its XMLName
}

type prop struct {
	XMLName xml.Name
	Inner   string `xml:",innerxml"`
}

// answer builds the response for one resource: the selected properties it
// has (200) and those it lacks (404).
func answer(href string, have props, sel propSel) response {
	var found, missing []prop
	switch {
	case sel.Prop != nil:
		for _, n := range sel.Prop.Names {
			if v, ok := have[n.XMLName]; ok {
				found = append(found, prop{n.XMLName, v})
			} else {
				missing = append(missing, prop{XMLName: n.XMLName})
			}
		}
	default:
		for n, v := range have {
			if sel.PropName != nil {
				v = ""
			}
			found = append(found, prop{n, v})
		}
		slices.SortFunc(found, func(a, b prop) int {
			return strings.Compare(a.XMLName.Space+" "+a.XMLName.Local, b.XMLName.Space+" "+b.XMLName.Local)
		})
	}
	resp := response{Href: escapePath(href)}
	if len(found) > 0 || len(missing) == 0 {
		resp.Propstats = append(resp.Propstats, propstat{Prop: propList{found}, Status: statusLine(http.StatusOK)})
	}
	if len(missing) > 0 {
		resp.Propstats = append(resp.Propstats, propstat{Prop: propList{missing}, Status: statusLine(http.StatusNotFound)})
	}
	return resp
}

func statusLine(code int) string {
	return fmt.Sprintf("HTTP/1.1 %d %s", code, http.StatusText(code))
}

func writeMultistatus(w http.ResponseWriter, resps []response) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	io.WriteString(w, xml.Header)
	xml.NewEncoder(w).Encode(multistatus{Responses: resps})
}

// writeError answers with a DAV:error body naming a precondition.
func writeError(w http.ResponseWriter, code int, condition xml.Name) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(code)
	io.WriteString(w, xml.Header+`<error xmlns="DAV:">`+elems(condition)+`</error>`)
}

// text escapes character data.
func text(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// elems writes empty elements.
func elems(names ...xml.Name) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString(`<` + n.Local + ` xmlns="` + n.Space + `"/>`)
	}
	return b.String()
}

// hrefXML writes a DAV:href to a path.
func hrefXML(p string) string {
	return `<href xmlns="DAV:">` + text(escapePath(p)) + `</href>`
}

func escapePath(p string) string { return (&url.URL{Path: p}).EscapedPath() }
