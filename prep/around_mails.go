package prep

import (
	"fmt"

	"github.com/oneonone/oneonone/mailer"
	"github.com/oneonone/oneonone/mailer/compose"
)

// AroundDedupKey is the outbox dedup key of a follow-up or nudge:
// <kind>:<series>:<occurrence>:<email>.
func AroundDedupKey(kind, seriesUID, key, email string) string {
	return kind + ":" + seriesUID + ":" + key + ":" + normEmail(email)
}

// followUpMail asks you whether m happened; token is the placeholder of
// the link's token.
func (s Settings) followUpMail(m Meeting, you, other Person, token, pairURL string) (mailer.Message, error) {
	msg, err := compose.FollowUp(compose.AroundMeeting{
		From: s.From, ReplyTo: s.ReplyTo, To: composePerson(you), Other: composePerson(other),
		Title: m.Summary, Start: m.Start, End: m.End, Location: s.location(m),
		PublicURL: s.PublicURL, Token: token, PairURL: pairURL,
	})
	if err != nil {
		return msg, fmt.Errorf("prep: follow-up mail: %w", err)
	}
	msg.DedupKey = AroundDedupKey(kindFollowUp, m.SeriesUID, m.RecurrenceID, you.Email)
	return msg, nil
}

// nudgeMail tells you the pair's record.
func (s Settings) nudgeMail(r PairStreak, you, other Person, token, pairURL string) (mailer.Message, error) {
	msg, err := compose.Nudge(compose.NudgeFacts{
		AroundMeeting: compose.AroundMeeting{
			From: s.From, ReplyTo: s.ReplyTo, To: composePerson(you), Other: composePerson(other),
			Title: r.Summary, PublicURL: s.PublicURL, Token: token, PairURL: pairURL,
		},
		Streak: r.Streak, Held: r.Held, Missed: r.Missed, TypicalNoticeHours: r.TypicalNoticeHours,
	})
	if err != nil {
		return msg, fmt.Errorf("prep: nudge mail: %w", err)
	}
	msg.DedupKey = AroundDedupKey(kindNudge, r.SeriesUID, r.StreakStart, you.Email)
	return msg, nil
}
