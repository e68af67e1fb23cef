package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/oneonone/oneonone/calendars"
)

// Watch prints to out every new mail of the Maildir (recipient, subject,
// the link in it) and, whenever it changes, the description of the
// meeting's first occurrence as the calendar holds it, until ctx ends.
func (w *World) Watch(ctx context.Context, out io.Writer) {
	maildir := filepath.Join(w.Dir, "mail")
	seen := map[string]bool{}
	last := ""
	link := regexp.MustCompile(`https?://\S+/p/[A-Za-z0-9_-]+`)
	for ctx.Err() == nil {
		entries, _ := os.ReadDir(filepath.Join(maildir, "new"))
		for _, ent := range entries {
			if seen[ent.Name()] {
				continue
			}
			seen[ent.Name()] = true
			raw, err := os.ReadFile(filepath.Join(maildir, "new", ent.Name()))
			if err != nil {
				continue
			}
			to, subject, text := ReadMail(raw)
			fmt.Fprintf(out, "Mail to %s: %s\n  open: %s\n\n", to, subject, link.FindString(text))
		}
		if desc := w.description(); desc != last {
			if last != "" {
				fmt.Fprintf(out, "The event's description is now:\n\n%s\n\n", indent(desc))
			}
			last = desc
		}
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func (w *World) description() string {
	data, _, err := w.dav.Get("work", demoEvent)
	if err != nil {
		return ""
	}
	series, _ := calendars.ReadICS([]calendars.File{{Name: demoEvent, Data: data}}, calendars.ReadOptions{})
	if len(series) != 1 {
		return ""
	}
	occ := series[0].Expand(w.Start.Add(-time.Minute), w.Start.Add(time.Minute))
	if len(occ) != 1 {
		return ""
	}
	return occ[0].Description
}

// ReadMail returns a mail's recipient, subject and text part.
func ReadMail(raw []byte) (to, subject, text string) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", "", ""
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	to = m.Header.Get("To")
	mt, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if !strings.HasPrefix(mt, "multipart/") {
		return to, subject, decoded(m.Header.Get("Content-Transfer-Encoding"), m.Body)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err != nil {
			return to, subject, ""
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			return to, subject, decoded(p.Header.Get("Content-Transfer-Encoding"), p)
		}
	}
}

func decoded(enc string, r io.Reader) string {
	if strings.EqualFold(enc, "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, _ := io.ReadAll(r)
	return string(b)
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
