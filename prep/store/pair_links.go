package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PairLink is one person's link to the page of a pair (A < B, lowercased
// addresses); the token is made from Seed and only its hash is stored.
type PairLink struct {
	A, B, Email string
	Seed        string
}

// PairLinkSeed returns the seed of email's link for the pair, or
// ErrNotFound.
func (w Tx) PairLinkSeed(ctx context.Context, a, b, email string) (string, error) {
	var seed string
	err := w.tx.QueryRowContext(ctx, `SELECT token_seed FROM prep_pair_links WHERE pair_a = ? AND pair_b = ? AND email = ?`,
		a, b, email).Scan(&seed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("pair link of %s for %s,%s: %w", email, a, b, err)
	}
	return seed, nil
}

// InsertPairLink stores l with the hash of its token and returns the
// seed of email's link for the pair: l.Seed, or, when another instance
// sharing the database made the link first, the stored one (nothing is
// stored then and no error ends the transaction).
func (w Tx) InsertPairLink(ctx context.Context, l PairLink, hash string, at time.Time) (string, error) {
	res, err := w.tx.ExecContext(ctx, `INSERT INTO prep_pair_links (pair_a, pair_b, email, token_seed, token_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pair_a, pair_b, email) DO NOTHING`,
		l.A, l.B, l.Email, l.Seed, hash, formatTime(at))
	if err != nil {
		return "", fmt.Errorf("make pair link of %s for %s,%s: %w", l.Email, l.A, l.B, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return "", fmt.Errorf("make pair link of %s for %s,%s: %w", l.Email, l.A, l.B, err)
	}
	if n == 1 {
		return l.Seed, nil
	}
	return w.PairLinkSeed(ctx, l.A, l.B, l.Email)
}

// PairLinkByTokenHash returns the pair link of a token's hash, or
// ErrNotFound.
func (c conn) PairLinkByTokenHash(ctx context.Context, hash string) (PairLink, error) {
	var l PairLink
	err := c.q.QueryRowContext(ctx, `SELECT pair_a, pair_b, email, token_seed FROM prep_pair_links WHERE token_hash = ?`,
		hash).Scan(&l.A, &l.B, &l.Email, &l.Seed)
	if errors.Is(err, sql.ErrNoRows) {
		return l, ErrNotFound
	}
	if err != nil {
		return l, fmt.Errorf("pair link by token: %w", err)
	}
	return l, nil
}

// RotatePairLink gives l a new seed and token hash.
func (w Tx) RotatePairLink(ctx context.Context, l PairLink, seed, hash string, at time.Time) error {
	_, err := w.tx.ExecContext(ctx, `UPDATE prep_pair_links SET token_seed = ?, token_hash = ?, rotated_at = ?
		WHERE pair_a = ? AND pair_b = ? AND email = ?`, seed, hash, formatTime(at), l.A, l.B, l.Email)
	if err != nil {
		return fmt.Errorf("rotate pair link of %s: %w", l.Email, err)
	}
	return nil
}
