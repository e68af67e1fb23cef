package graphtest

// Bodies follow "itemBody resource type" and "Get event": Outlook stores an
// event body as HTML; a body written as contentType "text" is wrapped into
// Outlook's own HTML document (line breaks become <br>), and an HTML
// fragment is wrapped into a document too. Reading with
// Prefer: outlook.body-content-type="text" returns the text of the HTML.
// The Prefer header follows RFC 7240 (preferences separated by commas, or in
// several Prefer headers) with Graph's preferences outlook.timezone,
// outlook.body-content-type and odata.maxpagesize.

import (
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

const outlookHead = "<html><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n</head>\r\n"

// storeBody turns a written body into what Outlook stores.
func storeBody(contentType, content string) string {
	if strings.EqualFold(contentType, "text") {
		lines := strings.Split(strings.ReplaceAll(content, "\r\n", "\n"), "\n")
		for i, l := range lines {
			lines[i] = html.EscapeString(l)
		}
		return outlookHead + "<body>\r\n<div>" + strings.Join(lines, "<br>\r\n") + "</div>\r\n</body>\r\n</html>\r\n"
	}
	if strings.Contains(strings.ToLower(content), "<html") {
		return content
	}
	return outlookHead + "<body>\r\n" + content + "\r\n</body>\r\n</html>\r\n"
}

var (
	reHead  = regexp.MustCompile(`(?is)<head.*?</head>|<style.*?</style>|<script.*?</script>`)
	reBreak = regexp.MustCompile(`(?i)<br\s*/?>|</p>|</div>|</li>|</tr>|</h[1-6]>`)
	reTag   = regexp.MustCompile(`(?s)<[^>]*>`)
	reBlank = regexp.MustCompile(`\n{3,}`)
)

// htmlToText is the text rendering of a stored body.
func htmlToText(h string) string {
	t := reHead.ReplaceAllString(h, "")
	t = strings.ReplaceAll(t, "\r\n", "\n")
	t = strings.ReplaceAll(t, "\n", "")
	t = reBreak.ReplaceAllString(t, "\n")
	t = reTag.ReplaceAllString(t, "")
	t = html.UnescapeString(t)
	t = strings.ReplaceAll(t, "\u00a0", " ")
	return strings.TrimSpace(reBlank.ReplaceAllString(t, "\n\n"))
}

// parsePrefer reads the Prefer headers.
func parsePrefer(r *http.Request) prefs {
	var p prefs
	for _, h := range r.Header.Values("Prefer") {
		for _, pref := range splitPrefs(h) {
			name, val, _ := strings.Cut(pref, "=")
			name = strings.ToLower(strings.TrimSpace(name))
			val = strings.Trim(strings.TrimSpace(val), `"`)
			switch name {
			case "outlook.timezone":
				p.zone = val
				p.applied = append(p.applied, `outlook.timezone="`+val+`"`)
			case "outlook.body-content-type":
				p.text = strings.EqualFold(val, "text")
				p.applied = append(p.applied, `outlook.body-content-type="`+strings.ToLower(val)+`"`)
			case "odata.maxpagesize":
				if n, err := strconv.Atoi(val); err == nil && n > 0 {
					p.pageSize = n
					p.applied = append(p.applied, "odata.maxpagesize="+val)
				}
			}
		}
	}
	return p
}

// splitPrefs splits on commas outside quotes.
func splitPrefs(h string) []string {
	var out []string
	quoted, start := false, 0
	for i, c := range h {
		switch {
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			out = append(out, strings.TrimSpace(h[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(h[start:]))
}

func (p prefs) apply(w http.ResponseWriter) {
	if len(p.applied) > 0 {
		w.Header().Set("Preference-Applied", strings.Join(p.applied, ", "))
	}
}
