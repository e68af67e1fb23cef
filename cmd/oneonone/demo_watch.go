package main

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
	"github.com/oneonone/oneonone/calendars/caldav/caldavfs"
)

// watchDemo prints every new mail (recipient, subject, the link in it)
// and, whenever it changes, the description of the meeting's first
// occurrence as the calendar holds it.
func watchDemo(ctx context.Context, e *env, maildir string, dav *caldavfs.Server, start time.Time) {
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
			to, subject, text := readMail(raw)
			fmt.Fprintf(e.stdout, "Mail to %s: %s\n  open: %s\n\n", to, subject, link.FindString(text))
		}
		if desc := demoDescription(dav, start); desc != last {
			if last != "" {
				fmt.Fprintf(e.stdout, "The event's description is now:\n\n%s\n\n", indent(desc))
			}
			last = desc
		}
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func demoDescription(dav *caldavfs.Server, start time.Time) string {
	data, _, err := dav.Get("work", demoEvent)
	if err != nil {
		return ""
	}
	series, _ := calendars.ReadICS([]calendars.File{{Name: demoEvent, Data: data}}, calendars.ReadOptions{})
	if len(series) != 1 {
		return ""
	}
	occ := series[0].Expand(start.Add(-time.Minute), start.Add(time.Minute))
	if len(occ) != 1 {
		return ""
	}
	return occ[0].Description
}

// readMail returns the recipient, the subject and the text part.
func readMail(raw []byte) (to, subject, text string) {
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
