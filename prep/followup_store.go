package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/oneonone/oneonone/prep/store"
)

// followReads is what reading follow-ups needs of prep's store.
type followReads interface {
	FollowUpByTokenHash(ctx context.Context, hash string) (store.FollowUp, error)
	FollowUpExists(ctx context.Context, kind, seriesUID, key, email string) (bool, error)
	HeldNextSteps(ctx context.Context, seriesUID, key string) ([]store.StoredSteps, error)
}

// followInserts is what making a follow-up needs of prep's store, in the
// transaction that enqueues its mail.
type followInserts interface {
	InsertFollowUp(ctx context.Context, f *store.FollowUp, hash string) (created bool, err error)
}

// followRow is one row of prep_followups (prep/store keeps them).
type followRow = store.FollowUp

// followByToken returns the follow-up or nudge row of a link token, or
// ErrUnknownLink.
func followByToken(ctx context.Context, q reads, token string) (followRow, error) {
	if !wellFormed(token) {
		return followRow{}, ErrUnknownLink
	}
	f, err := q.FollowUpByTokenHash(ctx, HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return f, ErrUnknownLink
	}
	if err != nil {
		return f, fmt.Errorf("prep: %w", err)
	}
	return f, nil
}

// followExists reports whether the row of (kind, series, key, email) is
// there, that is, whether its mail was enqueued.
func followExists(ctx context.Context, q reads, kind, seriesUID, key, email string) (bool, error) {
	ok, err := q.FollowUpExists(ctx, kind, seriesUID, key, normEmail(email))
	if err != nil {
		return false, fmt.Errorf("prep: %w", err)
	}
	return ok, nil
}

// insertFollow stores f with the hash of its token and sets f.ID;
// created is false when the row was there already (another instance made
// it at the same moment, with its mail), and f is then the stored row.
func insertFollow(ctx context.Context, tx *sql.Tx, f *followRow, hash string) (created bool, err error) {
	if created, err = inTx(tx).InsertFollowUp(ctx, f, hash); err != nil {
		return false, fmt.Errorf("prep: %w", err)
	}
	return created, nil
}

// followUpSteps returns the next steps people wrote in their "held"
// follow-ups of an occurrence, by lowercased email, decrypted with c.
func followUpSteps(ctx context.Context, q reads, c *AnswerCipher, seriesUID, key string) (map[string]string, error) {
	stored, err := q.HeldNextSteps(ctx, seriesUID, key)
	if err != nil {
		return nil, fmt.Errorf("prep: %s %s: %w", seriesUID, key, err)
	}
	out := map[string]string{}
	for _, s := range stored {
		if out[s.Email], err = c.openSteps(s.FollowUpID, s.Steps); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// followUpCarryOver is the part of carryOver from prev's follow-ups: each
// person's next steps, under their name.
func followUpCarryOver(ctx context.Context, q reads, c *AnswerCipher, prev Meeting) (string, error) {
	steps, err := followUpSteps(ctx, q, c, prev.SeriesUID, prev.RecurrenceID)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range prev.People {
		if text := cleanUntrusted(steps[normEmail(p.Email)], agendaAnswerMax); text != "" {
			fmt.Fprintf(&b, "%s — Next steps agreed\n%s\n", label(p), indent(text, "  "))
		}
	}
	return b.String(), nil
}
