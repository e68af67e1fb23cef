package mailer

import (
	"context"
	"fmt"
)

// CheckSender says, for `oneonone check`, whether mail can leave: an SMTP
// server is contacted and logged in to (SMTPSender.Check), with what to
// fix when it refuses; a Maildir needs nothing.
func CheckSender(ctx context.Context, s Sender) error {
	smtp, ok := s.(*SMTPSender)
	if !ok {
		return nil
	}
	if err := smtp.Check(ctx); err != nil {
		return fmt.Errorf("%w (check [mail] smtp_host, smtp_port, smtp_tls and the login)", err)
	}
	return nil
}
