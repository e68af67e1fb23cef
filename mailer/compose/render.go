package compose

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/oneonone/oneonone/mailer"
)

// The templates: for each kind, KIND.txt (text/template) and KIND.html
// (html/template), each defining "body"; base.txt and base.html hold the
// layout and the shared footers.
//
//go:embed templates/*
var templatesFS embed.FS

var (
	textTemplates = map[string]*texttemplate.Template{}
	htmlTemplates = map[string]*htmltemplate.Template{}
)

func init() {
	for _, kind := range []string{"invite", "reminder", "agenda", "disconnected", "followup", "nudge", "digest"} {
		textTemplates[kind] = texttemplate.Must(texttemplate.New(kind).
			ParseFS(templatesFS, "templates/base.txt", "templates/"+kind+".txt"))
		htmlTemplates[kind] = htmltemplate.Must(htmltemplate.New(kind).
			ParseFS(templatesFS, "templates/base.html", "templates/"+kind+".html"))
	}
}

// render executes the text and HTML templates of kind on v.
func render(kind string, v any) (text, html string, err error) {
	var tb, hb bytes.Buffer
	if err := textTemplates[kind].ExecuteTemplate(&tb, "base", v); err != nil {
		return "", "", fmt.Errorf("compose: %s: text: %w", kind, err)
	}
	if err := htmlTemplates[kind].ExecuteTemplate(&hb, "base", v); err != nil {
		return "", "", fmt.Errorf("compose: %s: html: %w", kind, err)
	}
	return tidy(tb.String()), hb.String(), nil
}

// envelope is who a mail is from and for.
type envelope struct {
	From, ReplyTo string
	To            Person
}

// message renders the templates of kind on v into a mail with subject;
// headers come before Auto-Submitted, which every mail carries.
func (e envelope) message(kind string, v any, subject string, headers ...mailer.Header) (mailer.Message, error) {
	text, html, err := render(kind, v)
	if err != nil {
		return mailer.Message{}, err
	}
	return mailer.Message{
		From:    e.From,
		ReplyTo: e.ReplyTo,
		To:      []string{mailer.FormatAddress(e.To.Name, e.To.Email)},
		Subject: subject,
		Text:    text,
		HTML:    html,
		Headers: append(headers, mailer.Header{Name: "Auto-Submitted", Value: "auto-generated"}),
	}, nil
}

// tidy trims trailing spaces and runs of blank lines that template
// conditionals leave behind in the text part.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " ")
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}
