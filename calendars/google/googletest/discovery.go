package googletest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// discoveryJSON is the Calendar v3 discovery document shipped with
// google.golang.org/api (see testdata/README.md). Routing, query parameter
// checks and request body checks are all driven by it.
//
//go:embed testdata/calendar-api.json
var discoveryJSON []byte

type discParam struct {
	Type     string   `json:"type"`
	Format   string   `json:"format"`
	Location string   `json:"location"`
	Minimum  string   `json:"minimum"`
	Maximum  string   `json:"maximum"`
	Enum     []string `json:"enum"`
	Repeated bool     `json:"repeated"`
	Required bool     `json:"required"`
}

type discMethod struct {
	ID         string               `json:"id"`
	Path       string               `json:"path"`
	HTTPMethod string               `json:"httpMethod"`
	Parameters map[string]discParam `json:"parameters"`
	Request    *struct {
		Ref string `json:"$ref"`
	} `json:"request"`
}

type discSchema struct {
	Type                 string                 `json:"type"`
	Ref                  string                 `json:"$ref"`
	Properties           map[string]*discSchema `json:"properties"`
	Items                *discSchema            `json:"items"`
	AdditionalProperties *discSchema            `json:"additionalProperties"`
	Annotations          struct {
		Required []string `json:"required"`
	} `json:"annotations"`
}

type discResource struct {
	Methods map[string]*discMethod `json:"methods"`
}

type discoveryDoc struct {
	BasePath   string                   `json:"basePath"`
	Parameters map[string]discParam     `json:"parameters"`
	Resources  map[string]discResource  `json:"resources"`
	Schemas    map[string]*discSchema   `json:"schemas"`
	methods    map[string]*discMethod   // by short id, e.g. "events.list"
	byVerb     map[string][]*discMethod // by HTTP method
}

var loadDiscovery = sync.OnceValue(func() *discoveryDoc {
	var d discoveryDoc
	if err := json.Unmarshal(discoveryJSON, &d); err != nil {
		panic("googletest: embedded discovery document: " + err.Error())
	}
	d.methods = map[string]*discMethod{}
	d.byVerb = map[string][]*discMethod{}
	for _, res := range d.Resources {
		for _, m := range res.Methods {
			d.methods[strings.TrimPrefix(m.ID, "calendar.")] = m
			d.byVerb[m.HTTPMethod] = append(d.byVerb[m.HTTPMethod], m)
		}
	}
	return &d
})

// route finds the discovery method whose path template matches the escaped
// request path (relative to basePath). Literal segments beat {parameters}.
func (d *discoveryDoc) route(verb, escapedPath string) (*discMethod, map[string]string) {
	rel, ok := strings.CutPrefix(escapedPath, d.BasePath)
	if !ok {
		return nil, nil
	}
	segs := strings.Split(rel, "/")
	var best *discMethod
	var bestParams map[string]string
	bestScore := -1
	for _, m := range d.byVerb[verb] {
		params, score, ok := matchTemplate(m.Path, segs)
		if ok && score > bestScore {
			best, bestParams, bestScore = m, params, score
		}
	}
	return best, bestParams
}

func matchTemplate(tmpl string, segs []string) (map[string]string, int, bool) {
	parts := strings.Split(tmpl, "/")
	if len(parts) != len(segs) {
		return nil, 0, false
	}
	params := map[string]string{}
	score := 0
	for i, p := range parts {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, 0, false
			}
			params[strings.Trim(p, "{}")] = v
			continue
		}
		if p != segs[i] {
			return nil, 0, false
		}
		score++
	}
	return params, score, true
}

// checkQuery rejects query parameters the method (or the API's standard
// parameters) does not declare, repeated non-repeatable ones and values that
// do not fit the declared type, enum, format or bounds.
func (d *discoveryDoc) checkQuery(m *discMethod, q url.Values) *apiError {
	for name, vals := range q {
		p, ok := m.Parameters[name]
		if !ok || p.Location != "query" {
			p, ok = d.Parameters[name]
		}
		if !ok || p.Location != "query" {
			return paramError("invalidParameter", name, fmt.Sprintf("Unknown parameter: '%s'", name))
		}
		if len(vals) > 1 && !p.Repeated {
			return paramError("invalidParameter", name, fmt.Sprintf("Parameter '%s' cannot be repeated", name))
		}
		for _, v := range vals {
			if msg := checkValue(p, v); msg != "" {
				return paramError("invalid", name, fmt.Sprintf("Invalid value for %s: %s", name, msg))
			}
		}
	}
	return nil
}

func checkValue(p discParam, v string) string {
	switch p.Type {
	case "boolean":
		if v != "true" && v != "false" {
			return fmt.Sprintf("%q is not a boolean", v)
		}
	case "integer":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Sprintf("%q is not an integer", v)
		}
		if lo, err := strconv.ParseInt(p.Minimum, 10, 64); err == nil && n < lo {
			return fmt.Sprintf("%d is below the minimum %d", n, lo)
		}
		if hi, err := strconv.ParseInt(p.Maximum, 10, 64); err == nil && n > hi {
			return fmt.Sprintf("%d is above the maximum %d", n, hi)
		}
	}
	if len(p.Enum) > 0 && !contains(p.Enum, v) {
		return fmt.Sprintf("%q is not one of %s", v, strings.Join(p.Enum, ", "))
	}
	if p.Format == "date-time" {
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return fmt.Sprintf("%q is not an RFC3339 timestamp with a time zone offset", v)
		}
	}
	return ""
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
