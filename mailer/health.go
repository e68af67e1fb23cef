package mailer

import (
	"log/slog"
	"regexp"
	"strings"
	"time"
)

// maxConfigPause caps the wait between tries while the SMTP server refuses
// our configuration, so that sending resumes within minutes of a fix.
const maxConfigPause = 5 * time.Minute

// Health is "" while mail goes out, else the SMTP server's words on why
// it refuses our configuration (login, relaying). /readyz shows it.
func (w *Worker) Health() string {
	if w == nil {
		return "" // no mail worker: nothing is refused
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.unhealthy
}

// paused reports whether sending waits for a broken configuration, and
// until when.
func (w *Worker) paused(now time.Time) (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.pausedUntil, now.Before(w.pausedUntil)
}

// configFailed records that the server refused our configuration: mail
// sending pauses with backoff (the messages stay queued), health says
// why, and one ERROR line is logged per change of the server's answer.
// It returns when the next try is.
func (w *Worker) configFailed(log *slog.Logger, m Message, err error) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.configFailures++
	next := w.Now().Add(min(w.Backoff.Delay(w.configFailures, w.Rand()), maxConfigPause))
	w.pausedUntil = next
	words := serverWords(m, err)
	if words != w.unhealthy {
		log.Error("mail paused: the SMTP server refuses our configuration; mail stays queued and is retried until it is fixed",
			logKeyNext, next.UTC().Format(time.RFC3339), logKeyErr, words)
	}
	w.unhealthy = words
	return next
}

// affectedRe matches what go-mail appends about the message at hand.
var affectedRe = regexp.MustCompile(`, affected (recipient\(s\)|message ID): [^;]*`)

// serverWords is err without what is particular to m (its Message-ID,
// its recipients), so that the same refusal for every message is one
// change of health and one log line.
func serverWords(m Message, err error) string {
	s := affectedRe.ReplaceAllString(err.Error(), "")
	return strings.ReplaceAll(s, " "+m.MessageID, "")
}

// configWorks clears a configuration failure after the server accepted a
// message.
func (w *Worker) configWorks(log *slog.Logger) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.unhealthy != "" {
		log.Info("mail sending works again", "after_attempts", w.configFailures)
	}
	w.unhealthy, w.configFailures, w.pausedUntil = "", 0, time.Time{}
}
