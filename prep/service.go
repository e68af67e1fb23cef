package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Service is what the form pages use: open a link, save answers, pause
// and resume prep mails. Open only reads; the others change one person's
// own rows.
type Service struct {
	DB       *sql.DB
	Meetings Meetings
	Settings Settings
	Now      func() time.Time // the clock; time.Now when nil
	Answers  *AnswerCipher    // encrypts answers at rest; required
}

// Open returns the form a link token opens: ErrUnknownLink for a token
// that was never issued, ErrExpiredLink once the meeting has ended and the
// grace period passed (or the meeting is gone from the calendar).
func (s *Service) Open(ctx context.Context, token string) (Form, error) {
	r, m, err := s.lookup(ctx, token)
	if err != nil {
		return Form{}, err
	}
	return s.form(ctx, clock(s.Now), r, m)
}

// Save stores answers (question id → text; "" clears one; questions not
// named keep their answers) and returns the form as it now is. It fails
// with ErrLocked once the meeting has started, with ErrCancelled while
// the meeting will not take place, and with an *AnswerError
// (errors.Is ErrInvalidAnswer) for an unknown question, an answer that is
// too long or a scale answer outside 1–5; the form is then returned
// unchanged alongside the error, for the page to show again.
func (s *Service) Save(ctx context.Context, token string, answers map[string]string) (Form, error) {
	r, m, err := s.lookup(ctx, token)
	if err != nil {
		return Form{}, err
	}
	now := clock(s.Now)
	if !now.Before(m.Start) {
		return Form{}, ErrLocked
	}
	if m.Cancelled() {
		return Form{}, ErrCancelled
	}
	clean, err := cleanAnswers(r.Questions, answers, s.Settings.maxAnswer())
	if err != nil {
		f, ferr := s.form(ctx, now, r, m)
		if ferr != nil {
			return Form{}, ferr
		}
		return f, err
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return Form{}, fmt.Errorf("prep: save: %w", err)
	}
	defer tx.Rollback()
	if err := saveAnswers(ctx, tx, s.Answers, r, clean, now); err != nil {
		return Form{}, err
	}
	if err := tx.Commit(); err != nil {
		return Form{}, fmt.Errorf("prep: save: commit: %w", err)
	}
	return s.form(ctx, now, r, m)
}

// Pause stops prep mails of the link's series to its person, from the
// next mail on. It works with expired links too: a pause link in an old
// mail must still work, and it only ever lowers the mail a person gets.
// Pausing never touches the calendar.
func (s *Service) Pause(ctx context.Context, token string) error {
	return s.setPause(ctx, token, true)
}

// Resume undoes Pause; like Pause it accepts expired links. Mails of
// meetings still to come resume with the scheduler's next tick.
func (s *Service) Resume(ctx context.Context, token string) error {
	return s.setPause(ctx, token, false)
}

func (s *Service) setPause(ctx context.Context, token string, pause bool) error {
	r, err := requestByToken(ctx, onDB(s.DB), token)
	if err != nil {
		return err
	}
	return setPaused(ctx, s.DB, r.SeriesUID, r.Email, pause, clock(s.Now))
}

// lookup finds the request and the meeting of a live link.
func (s *Service) lookup(ctx context.Context, token string) (request, Meeting, error) {
	r, err := requestByToken(ctx, onDB(s.DB), token)
	if err != nil {
		return r, Meeting{}, err
	}
	m, err := s.Meetings.Meeting(ctx, r.SeriesUID, r.RecurrenceID)
	if errors.Is(err, ErrNoMeeting) {
		return r, m, ErrExpiredLink
	}
	if err != nil {
		return r, m, fmt.Errorf("prep: meeting %s %s: %w", r.SeriesUID, r.RecurrenceID, err)
	}
	if !clock(s.Now).Before(s.Settings.expiry(m)) {
		return r, m, ErrExpiredLink
	}
	return r, m, nil
}
