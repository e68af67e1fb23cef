package mailer

import (
	"errors"
	"fmt"
	"net/textproto"
	"testing"
)

// Servers word refusals differently: the enhanced code decides when
// there is one, else a 5xx that says "relay" is about our configuration.
func TestClassifyRelayRefusals(t *testing.T) {
	s := &SMTPSender{cfg: SMTPConfig{Host: "smtp.example.com", Port: 587}}
	cases := []struct {
		err    *textproto.Error
		config bool
		retry  bool
	}{
		{&textproto.Error{Code: 550, Msg: "5.7.1 Relaying denied"}, true, true},
		{&textproto.Error{Code: 554, Msg: "5.7.1 <victim@evil.example>: Relay access denied"}, true, true},
		{&textproto.Error{Code: 550, Msg: "Relaying not permitted"}, true, true},
		{&textproto.Error{Code: 550, Msg: "5.1.1 <relay@example.com>: Recipient address rejected"}, false, false},
		{&textproto.Error{Code: 550, Msg: "No such user here"}, false, false},
		{&textproto.Error{Code: 451, Msg: "4.7.1 Try again later"}, false, true},
	}
	for _, c := range cases {
		retry, err := s.classify("test", fmt.Errorf("dial: %w", c.err))
		if errors.Is(err, ErrServerConfig) != c.config || retry != c.retry {
			t.Errorf("%d %s: retry=%v err=%v; want config=%v retry=%v", c.err.Code, c.err.Msg, retry, err, c.config, c.retry)
		}
	}
}
