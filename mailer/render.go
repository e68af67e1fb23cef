package mailer

import (
	"bytes"
	"fmt"
	netmail "net/mail"
	"strings"

	"github.com/wneessen/go-mail"

	"github.com/oneonone/oneonone/calendars"
)

// FormatAddress returns "Name <addr>" for a From, To or Reply-To field.
// Line breaks and other control characters in the name become spaces, and
// the name is quoted or RFC 2047-encoded as needed, so a display name taken
// from a calendar can never start a header of its own.
func FormatAddress(name, addr string) string {
	a := netmail.Address{Name: calendars.OneLine(name), Address: strings.TrimSpace(addr)}
	return a.String()
}

// Render builds the MIME message: multipart/alternative with text and HTML
// parts when there is HTML, quoted-printable bodies, the stored Message-ID
// and the creation time as Date. Header values go through go-mail, which
// encodes anything that is not printable ASCII, and the subject is made one
// line first: together these make header injection through a subject or a
// name impossible.
func Render(m Message) (*mail.Msg, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(m.From); err != nil {
		return nil, fmt.Errorf("mailer: render %s: from: %w", m.DedupKey, err)
	}
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("mailer: render %s: to: %w", m.DedupKey, err)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("mailer: render %s: reply-to: %w", m.DedupKey, err)
		}
	}
	msg.Subject(calendars.OneLine(m.Subject))
	id := m.MessageID
	if id == "" {
		var err error
		if id, err = NewMessageID(m.From); err != nil {
			return nil, err
		}
	}
	msg.SetMessageIDWithValue(strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">"))
	if !m.Created.IsZero() {
		msg.SetDateWithValue(m.Created)
	}
	setHeaders(msg, m.Headers)
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// setHeaders writes the extra headers; repeated names become one field with
// comma-separated values, since go-mail keeps one field per name.
func setHeaders(msg *mail.Msg, headers []Header) {
	var names []string
	values := map[string][]string{}
	for _, h := range headers {
		if _, ok := values[h.Name]; !ok {
			names = append(names, h.Name)
		}
		values[h.Name] = append(values[h.Name], h.Value)
	}
	for _, name := range names {
		msg.SetGenHeader(mail.Header(name), values[name]...)
	}
}

// RenderBytes returns the message as it goes on the wire (CRLF line ends).
func RenderBytes(m Message) ([]byte, error) {
	msg, err := Render(m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("mailer: render %s: %w", m.DedupKey, err)
	}
	return buf.Bytes(), nil
}
