package mailer_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/mailer"
)

// parsed is a rendered message read back the way a mail client would.
type parsed struct {
	header mail.Header
	raw    []byte
	text   string
	html   string
}

func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, raw)
	}
	p := parsed{header: msg.Header, raw: raw}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(part)
		switch ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); ct {
		case "text/plain":
			p.text = string(body)
		case "text/html":
			p.html = string(body)
		}
	}
	return p
}

func render(t *testing.T, m mailer.Message) parsed {
	t.Helper()
	m.MessageID = "<0123456789abcdef@example.com>"
	raw, err := mailer.RenderBytes(m)
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, raw)
}

func TestRenderTextAndHTML(t *testing.T) {
	m := message("prep:1:ada:invite")
	m.Created = t0
	p := render(t, m)
	h := p.header
	if h.Get("Message-Id") != "<0123456789abcdef@example.com>" || h.Get("Subject") != m.Subject {
		t.Fatalf("headers: %v", h)
	}
	if h.Get("List-Unsubscribe") != "<https://1on1.example.com/unsubscribe/token>" ||
		h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || h.Get("Reply-To") != "<noreply@example.com>" {
		t.Fatalf("extra headers: %v", h)
	}
	if d, err := h.Date(); err != nil || !d.Equal(t0) {
		t.Fatalf("date %v %v", d, err)
	}
	if strings.ReplaceAll(p.text, "\r\n", "\n") != m.Text || p.html != m.HTML {
		t.Fatalf("parts:\ntext %q\nhtml %q", p.text, p.html)
	}
}

func TestHeaderInjectionThroughSubjectAndNames(t *testing.T) {
	m := message("prep:1:ada:invite")
	m.Subject = "Weekly 1:1\r\nBcc: victim@evil.example\r\n\r\nforged body"
	m.From = mailer.FormatAddress("Grace\r\nBcc: victim@evil.example", "oneonone@example.com")
	m.To = []string{mailer.FormatAddress("Ada\nX-Injected: yes", "ada@example.com")}
	p := render(t, m)

	for _, name := range []string{"Bcc", "X-Injected"} {
		if v, ok := p.header[name]; ok {
			t.Fatalf("injected header %s: %q\n%s", name, v, p.raw)
		}
	}
	for _, line := range strings.Split(string(p.raw), "\r\n") {
		if strings.HasPrefix(line, "Bcc:") || strings.HasPrefix(line, "forged body") {
			t.Fatalf("injected line %q\n%s", line, p.raw)
		}
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(p.header.Get("Subject"))
	if err != nil || strings.ContainsAny(subject, "\r\n") || !strings.HasPrefix(subject, "Weekly 1:1") {
		t.Fatalf("subject %q: %v", subject, err)
	}
	from, err := mail.ParseAddress(p.header.Get("From"))
	if err != nil || from.Address != "oneonone@example.com" || strings.ContainsAny(from.Name, "\r\n") {
		t.Fatalf("from %v: %v", from, err)
	}
	to, err := p.header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "ada@example.com" {
		t.Fatalf("to %v: %v", to, err)
	}
}

func TestFormatAddress(t *testing.T) {
	cases := map[string]string{
		"Ada Lovelace":    `"Ada Lovelace" <ada@example.com>`,
		"":                `<ada@example.com>`,
		"Ada\r\nBcc: x@y": `"Ada Bcc: x@y" <ada@example.com>`,
		"Zoë":             `=?utf-8?q?Zo=C3=AB?= <ada@example.com>`,
	}
	for name, want := range cases {
		if got := mailer.FormatAddress(name, "ada@example.com"); got != want {
			t.Errorf("FormatAddress(%q) = %q, want %q", name, got, want)
		}
	}
}
