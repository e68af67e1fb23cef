package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// followWrites is what answering a follow-up and pausing need of prep's
// store; each is one statement.
type followWrites interface {
	SaveFollowUpAnswer(ctx context.Context, id int64, outcome, steps string, at time.Time) error
	SetPaused(ctx context.Context, seriesUID, email string, pause bool, at time.Time) error
}

// FollowUps is what the follow-up page uses: open a follow-up or nudge
// link, save the answer, pause and resume the mails of that 1:1.
type FollowUps struct {
	DB       *sql.DB
	Meetings Meetings
	Outcomes Outcomes
	Settings Settings
	Now      func() time.Time // the clock; time.Now when nil
	Answers  *AnswerCipher    // encrypts the next steps at rest, as answers are
}

// ErrInvalidOutcome is a saved answer other than held, not held or moved.
var ErrInvalidOutcome = errors.New("choose whether the meeting happened, did not happen, or was moved")

// Open returns what the page of a link shows: ErrUnknownLink for a token
// never issued, ErrExpiredLink after the link's time or when the meeting
// is gone. It only reads.
func (s *FollowUps) Open(ctx context.Context, token string) (FollowUp, error) {
	f, err := followByToken(ctx, onDB(s.DB), token)
	if err != nil {
		return FollowUp{}, err
	}
	if !clock(s.Now).Before(f.Expires) {
		return FollowUp{}, ErrExpiredLink
	}
	if f.NextSteps, err = s.Answers.openSteps(f.ID, f.NextSteps); err != nil {
		return FollowUp{}, err
	}
	return s.page(ctx, f)
}

func (s *FollowUps) page(ctx context.Context, f followRow) (FollowUp, error) {
	out := FollowUp{Kind: f.Kind, Outcome: f.Outcome, NextSteps: f.NextSteps, Editable: f.Kind == kindFollowUp,
		You: Person{Email: f.Email, Name: f.Name}, Location: s.Settings.Location}
	var err error
	if out.Paused, err = paused(ctx, onDB(s.DB), f.SeriesUID, f.Email); err != nil {
		return out, err
	}
	if f.Kind == kindNudge {
		return out, nil // about a streak, not one meeting
	}
	m, err := s.Meetings.Meeting(ctx, f.SeriesUID, f.RecurrenceID)
	if errors.Is(err, ErrNoMeeting) {
		return out, ErrExpiredLink
	}
	if err != nil {
		return out, fmt.Errorf("prep: meeting %s %s: %w", f.SeriesUID, f.RecurrenceID, err)
	}
	out.Meeting, out.Location = m, s.Settings.location(m)
	r := request{Email: f.Email, Name: f.Name}
	out.You, out.Other = people(m, r)
	return out, nil
}

// Save stores the answer of a follow-up link: outcome is held, not_held
// or moved; nextSteps (kept with held only) go into the next meeting's
// agenda. The answer is reported into the pair's history first, so that a
// failure there leaves nothing half saved on the page.
func (s *FollowUps) Save(ctx context.Context, token, outcome, nextSteps string) (FollowUp, error) {
	f, err := followByToken(ctx, onDB(s.DB), token)
	if err != nil {
		return FollowUp{}, err
	}
	now := clock(s.Now)
	if f.Kind != kindFollowUp {
		return FollowUp{}, ErrUnknownLink
	}
	if !now.Before(f.Expires) {
		return FollowUp{}, ErrExpiredLink
	}
	if outcome != OutcomeHeld && outcome != OutcomeNotHeld && outcome != OutcomeMoved {
		return FollowUp{}, ErrInvalidOutcome
	}
	steps := normalizeAnswer(nextSteps)
	if n, max := utf8.RuneCountInString(steps), s.Settings.maxAnswer(); n > max {
		return FollowUp{}, &AnswerError{QuestionID: "next_steps", Reason: fmt.Sprintf("%d characters is too long; keep it under %d", n, max)}
	}
	if outcome != OutcomeHeld {
		steps = ""
	}
	sealed, err := s.Answers.sealSteps(f.ID, steps)
	if err != nil {
		return FollowUp{}, err
	}
	if err := s.Outcomes.Report(ctx, f.SeriesUID, f.RecurrenceID, f.Email, outcome, now); err != nil {
		if errors.Is(err, ErrNoMeeting) {
			return FollowUp{}, ErrExpiredLink
		}
		return FollowUp{}, err
	}
	if err := onDB(s.DB).SaveFollowUpAnswer(ctx, f.ID, outcome, sealed, now); err != nil {
		return FollowUp{}, fmt.Errorf("prep: %w", err)
	}
	f.Outcome, f.NextSteps = outcome, steps
	return s.page(ctx, f)
}

// Pause stops the prep, follow-up and nudge mails of the link's series to
// its person. Like Service.Pause it works with expired links.
func (s *FollowUps) Pause(ctx context.Context, token string) error {
	return s.setPause(ctx, token, true)
}

// Resume undoes Pause.
func (s *FollowUps) Resume(ctx context.Context, token string) error {
	return s.setPause(ctx, token, false)
}

func (s *FollowUps) setPause(ctx context.Context, token string, pause bool) error {
	f, err := followByToken(ctx, onDB(s.DB), token)
	if err != nil {
		return err
	}
	return setPaused(ctx, s.DB, f.SeriesUID, f.Email, pause, clock(s.Now))
}

// setPaused pauses or resumes the mails of a series for email.
func setPaused(ctx context.Context, db *sql.DB, seriesUID, email string, pause bool, now time.Time) error {
	if err := onDB(db).SetPaused(ctx, seriesUID, normEmail(email), pause, now); err != nil {
		return fmt.Errorf("prep: %w", err)
	}
	return nil
}
