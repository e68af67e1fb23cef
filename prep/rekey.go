package prep

import (
	"context"
	"database/sql"
	"fmt"
)

// rekeyWrites is what moving an occurrence's rows to its new key needs of
// prep's store, in the engine's transaction.
type rekeyWrites interface {
	RekeyRequests(ctx context.Context, fromUID, fromKey, toUID, toKey string) error
	RekeyAgenda(ctx context.Context, fromUID, fromKey, toUID, toKey string) error
	CarryPauses(ctx context.Context, fromUID, toUID string) error
}

// Rekey moves what prep keeps for one occurrence to the occurrence's new
// key, inside the sync engine's transaction: the sync engine calls it when
// a whole series moved (every occurrence gets a new RECURRENCE-ID) and when
// an occurrence continues in the new series of a "this and following"
// split. The requests move (their answers hang off the request, so they
// move too, and the old links open the meeting at its new time); nobody
// is invited twice, because the scheduler finds the request under the new
// key. The agenda record moves with its hash cleared: the block must be
// written into the occurrence under its new key. A pause of the old series
// carries over to the new one.
//
// Where the new key already has a request of the same person (the new
// half of a split was seen, and invited to, before the old half was
// shortened), that request is kept and the old one stays where it was;
// its answers are copied over when the new request has none, so that
// nothing said is lost.
//
// c opens and re-seals answers that are copied (they are bound to their
// request); it may be nil only when no answer needs copying.
func Rekey(ctx context.Context, tx *sql.Tx, c *AnswerCipher, fromUID, fromKey, toUID, toKey string) error {
	if fromUID == toUID && fromKey == toKey {
		return nil
	}
	if err := inTx(tx).RekeyRequests(ctx, fromUID, fromKey, toUID, toKey); err != nil {
		return fmt.Errorf("prep: %w", err)
	}
	if err := copyLeftAnswers(ctx, tx, c, fromUID, fromKey, toUID, toKey); err != nil {
		return err
	}
	if err := inTx(tx).RekeyAgenda(ctx, fromUID, fromKey, toUID, toKey); err != nil {
		return fmt.Errorf("prep: %w", err)
	}
	if fromUID == toUID {
		return nil
	}
	if err := inTx(tx).CarryPauses(ctx, fromUID, toUID); err != nil {
		return fmt.Errorf("prep: %w", err)
	}
	return nil
}

// copyLeftAnswers gives the answers of the requests that could not move
// (their person already has a request under the new key) to that request,
// when it has none of its own. They keep the time they were given.
func copyLeftAnswers(ctx context.Context, tx *sql.Tx, c *AnswerCipher, fromUID, fromKey, toUID, toKey string) error {
	left, err := requestsOf(ctx, inTx(tx), fromUID, fromKey)
	if err != nil || len(left) == 0 {
		return err
	}
	dest, err := requestsOf(ctx, inTx(tx), toUID, toKey)
	if err != nil {
		return err
	}
	for email, src := range left {
		d, ok := dest[email]
		if !ok {
			continue
		}
		if c == nil {
			return fmt.Errorf("prep: answers of %s %s must follow the meeting to %s %s, and the secrets key is not at hand", fromUID, fromKey, toUID, toKey)
		}
		mine, _, err := answersOf(ctx, inTx(tx), c, d.ID)
		if err != nil {
			return err
		}
		if len(mine) > 0 {
			continue // what was said for the new meeting stands
		}
		theirs, at, err := answersOf(ctx, inTx(tx), c, src.ID)
		if err != nil {
			return err
		}
		if len(theirs) > 0 {
			if err := saveAnswers(ctx, tx, c, d, theirs, at); err != nil {
				return err
			}
		}
	}
	return nil
}
