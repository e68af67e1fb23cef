package mailer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Sender delivers one message. Following alertmanager's notifiers, it says
// whether a failure is worth retrying: retry is true for temporary trouble
// (network, 4xx) and false for permanent refusals (5xx, bad configuration).
// A nil error means the message was handed over and must not be sent again.
type Sender interface {
	Send(ctx context.Context, m Message) (retry bool, err error)
}

// SenderFunc adapts a function to Sender.
type SenderFunc func(ctx context.Context, m Message) (bool, error)

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, m Message) (bool, error) { return f(ctx, m) }

// MaildirSender writes each message as a file into a Maildir: first into
// tmp, then renamed into new, so a reader never sees half a message. The
// demo and tests use it in place of an SMTP server.
type MaildirSender struct {
	Dir string
}

var maildirSeq atomic.Uint64

// NewMaildirSender creates dir/{tmp,new,cur} as needed.
func NewMaildirSender(dir string) (*MaildirSender, error) {
	for _, sub := range []string{"tmp", "new", "cur"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, fmt.Errorf("mailer: maildir %s: %w", dir, err)
		}
	}
	return &MaildirSender{Dir: dir}, nil
}

// Send writes m into the Maildir. Rendering problems are permanent;
// file-system problems (a full disk) are worth retrying.
func (s *MaildirSender) Send(_ context.Context, m Message) (bool, error) {
	raw, err := RenderBytes(m)
	if err != nil {
		return false, fmt.Errorf("mailer: send %s: %w", m.MessageID, err)
	}
	// Maildir files use the local line ending.
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	name := maildirName()
	tmp := filepath.Join(s.Dir, "tmp", name)
	if err := writeSynced(tmp, raw); err != nil {
		return true, fmt.Errorf("mailer: send %s: maildir: %w", m.MessageID, err)
	}
	if err := os.Rename(tmp, filepath.Join(s.Dir, "new", name)); err != nil {
		os.Remove(tmp)
		return true, fmt.Errorf("mailer: send %s: maildir: %w", m.MessageID, err)
	}
	return false, nil
}

// maildirName follows the Maildir convention time.unique.host, unique within
// this process by a counter and across processes by the pid.
func maildirName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	host = strings.NewReplacer("/", `\057`, ":", `\072`).Replace(host)
	now := time.Now()
	return strconv.FormatInt(now.Unix(), 10) + ".M" + strconv.Itoa(now.Nanosecond()/1000) +
		"P" + strconv.Itoa(os.Getpid()) + "Q" + strconv.FormatUint(maildirSeq.Add(1), 10) + "." + host
}

func writeSynced(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}
