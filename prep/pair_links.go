package prep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/prep/store"
)

// pairLinkReads is what opening a pair link needs of prep's store.
type pairLinkReads interface {
	PairLinkByTokenHash(ctx context.Context, hash string) (store.PairLink, error)
}

// pairLinkWrites is what making and rotating pair links needs of prep's
// store.
type pairLinkWrites interface {
	PairLinkSeed(ctx context.Context, a, b, email string) (string, error)
	InsertPairLink(ctx context.Context, l store.PairLink, hash string, at time.Time) (seed string, err error)
	RotatePairLink(ctx context.Context, l store.PairLink, seed, hash string, at time.Time) error
}

// A pair link opens one person's page of the record of one pair of
// people. It is made and stored like a prep link (see Links): a random
// seed, the SHA-256 of the token, the token itself nowhere. It does not
// expire, since the record is worth reading at any time; the page can
// rotate it instead.

// pairLink is one row of prep_pair_links (prep/store keeps them).
type pairLink = store.PairLink

// pairOf returns the two addresses of m's people, lowercased and sorted.
func pairOf(m Meeting) (a, b string) {
	a, b = normEmail(m.People[0].Email), normEmail(m.People[1].Email)
	if b < a {
		a, b = b, a
	}
	return a, b
}

// PairToken returns what a mail to email about m puts where the token of
// email's pair page goes: a placeholder that Links.Expand turns into the
// token when the mail is sent (so the mail must be to email alone). It
// makes the link in tx when email has none for this pair yet, with now
// as its creation time. Every mail about a pair (prep, reminder, agenda,
// follow-up, nudge) calls it and passes the result as compose's
// PairToken; with links nil it returns "" and the mail has no pair link.
func PairToken(ctx context.Context, tx *sql.Tx, links *Links, m Meeting, email string, now time.Time) (string, error) {
	if links == nil {
		return "", nil
	}
	a, b := pairOf(m)
	l, err := ensurePairLink(ctx, tx, links, a, b, normEmail(email), now)
	if err != nil {
		return "", err
	}
	return placeholder(l.Seed), nil
}

// ensurePairLink returns email's link for the pair (a, b), making it
// when there is none.
func ensurePairLink(ctx context.Context, tx *sql.Tx, links *Links, a, b, email string, now time.Time) (pairLink, error) {
	l := pairLink{A: a, B: b, Email: email}
	var err error
	l.Seed, err = inTx(tx).PairLinkSeed(ctx, a, b, email)
	if err == nil {
		return l, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return l, fmt.Errorf("prep: %w", err)
	}
	if email != a && email != b {
		return l, fmt.Errorf("prep: pair link: %s is not one of %s,%s", email, a, b)
	}
	if l.Seed, err = newSeed(); err != nil {
		return l, err
	}
	// Another instance may make the link at the same moment: the seed
	// stored first is the one every mail links.
	if l.Seed, err = inTx(tx).InsertPairLink(ctx, l, HashToken(links.token(email, l.Seed)), now); err != nil {
		return l, fmt.Errorf("prep: %w", err)
	}
	return l, nil
}

// pairLinkByToken returns the pair link of token, or ErrUnknownLink.
func pairLinkByToken(ctx context.Context, q reads, token string) (pairLink, error) {
	if !wellFormed(token) {
		return pairLink{}, ErrUnknownLink
	}
	l, err := q.PairLinkByTokenHash(ctx, HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return l, ErrUnknownLink
	}
	if err != nil {
		return l, fmt.Errorf("prep: %w", err)
	}
	return l, nil
}

// rotatePairLink gives the link of token a new seed and returns the new
// token; the old one is then unknown.
func rotatePairLink(ctx context.Context, db *sql.DB, links *Links, token string, now time.Time) (string, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("prep: rotate pair link: %w", err)
	}
	defer tx.Rollback()
	l, err := pairLinkByToken(ctx, inTx(tx), token)
	if err != nil {
		return "", err
	}
	seed, err := newSeed()
	if err != nil {
		return "", err
	}
	fresh := links.token(l.Email, seed)
	if err := inTx(tx).RotatePairLink(ctx, l, seed, HashToken(fresh), now); err != nil {
		return "", fmt.Errorf("prep: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("prep: rotate pair link: commit: %w", err)
	}
	return fresh, nil
}
