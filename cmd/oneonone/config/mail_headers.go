package config

import "net/mail"

// FromHeader is [mail] from as a mail header needs it: the contract's own
// example, "1:1 prep <oneonone@example.com>", has a display name that
// must be quoted.
func (m Mail) FromHeader() string { return header(m.FromAddress, m.From) }

// ReplyToHeader is [mail] reply_to as a mail header needs it ("" when
// unset).
func (m Mail) ReplyToHeader() string { return header(m.ReplyToAddress, m.ReplyTo) }

func header(a *mail.Address, raw string) string {
	if a == nil {
		return raw
	}
	return a.String()
}
