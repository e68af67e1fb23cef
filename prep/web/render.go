package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
	"sync"
)

//go:embed templates
var templateFS embed.FS

// styleSheet is the one stylesheet, inlined in every page and allowed by
// the CSP through its hash.
var (
	styleSheet = mustRead("templates/style.css")
	styleHash  = "sha256-" + hashOf(styleSheet)
)

// pages are the page templates, each with the layout around it.
var pages = func() map[string]*template.Template {
	funcs := template.FuncMap{"stylesheet": func() template.CSS {
		return template.CSS(styleSheet) // our own file, never user text
	}, "pairstyle": func() template.CSS {
		return template.CSS(pairStyleSheet) // our own file too
	}}
	m := map[string]*template.Template{}
	for _, name := range []string{"form", "readonly", "cancelled", "pause", "resume", "error", "pair", "pairrotate",
		"followup", "followup-pause"} {
		m[name] = template.Must(template.New(name).Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return m
}()

// errorPage explains in words a request that could not be served.
type errorPage struct {
	Status int
	Title  string
	Text   []string
	Link   *pageLink
	Sent   []answerView // what a locked save sent, to copy
}

type pageLink struct{ Href, Text string }

// confirmPage asks to confirm pausing or resuming prep mails, or says it
// is done.
type confirmPage struct {
	Other   string
	Subject string // "your 1:1 with Ada", or "this 1:1" when the link has expired
	Expired bool   // the link has expired: no meeting to show, no form to go back to
	When    meetingTime
	Paused  bool   // the state now
	Done    bool   // the POST that changed it has just run
	Action  string // where the confirm button posts
	Links   links
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a whole page or, when the template fails, a bare 500:
// the page is built in memory first so that a failure never leaves half
// a page.
func (s *server) render(w http.ResponseWriter, status int, name string, data any) {
	buf := buffers.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); buffers.Put(buf) }()
	if err := pages[name].ExecuteTemplate(buf, "layout", data); err != nil {
		s.log.Error("render prep page", "page", name, logKeyErr, err)
		buf.Reset()
		buf.WriteString(fallbackPage)
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

const fallbackPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Something went wrong</title>` +
	`<h1>Something went wrong</h1><p>This is a problem on our side. Please try again in a few minutes.</p></html>`

func mustRead(name string) string {
	b, err := templateFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}
