// Package store keeps what the Google adapter must remember: the refresh
// tokens of the accounts connected with `oneonone connect google`,
// encrypted with the secrets key.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/calendars/seal"
	"github.com/oneonone/oneonone/sync/db"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the adapter's table of connected accounts, for db.Open.
var Schema = db.Schema{Owner: "google", FS: migrations, Dir: "migrations"}

// TokenStore keeps users' refresh tokens, encrypted with the secrets key
// (a google.Tokens).
// A token is decrypted only to be sent to Google's token endpoint.
type TokenStore struct {
	db     *sql.DB
	sealer *seal.Sealer
	keyID  string
	now    func() time.Time
}

// NewTokenStore refuses to work without a 32-byte key (the daemon's secrets key). now
// stamps updates; nil is time.Now.
func NewTokenStore(d *sql.DB, key []byte, now func() time.Time) (*TokenStore, error) {
	s, keyID, err := newSealer(key)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &TokenStore{db: d, sealer: s, keyID: keyID, now: now}, nil
}

// Save stores (or replaces) the refresh token of account.
func (s *TokenStore) Save(ctx context.Context, account, refreshToken string) error {
	account = google.NormalizeAccount(account)
	if account == "" || refreshToken == "" {
		return errors.New("google: save token: account and token are required")
	}
	sealed, err := s.sealer.Seal([]byte(refreshToken), []byte(account))
	if err != nil {
		return fmt.Errorf("google: save token of %s: %w", account, err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO google_tokens (account, sealed, key_id, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account) DO UPDATE SET sealed = excluded.sealed, key_id = excluded.key_id, updated_at = excluded.updated_at`,
		account, sealed, s.keyID, s.now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("google: save token of %s: %w", account, err)
	}
	return nil
}

// Load returns the refresh token of account; google.ErrNoToken when none is
// stored or it was sealed with another key.
func (s *TokenStore) Load(ctx context.Context, account string) (string, error) {
	account = google.NormalizeAccount(account)
	var sealed []byte
	var keyID string
	err := s.db.QueryRowContext(ctx, `SELECT sealed, key_id FROM google_tokens WHERE account = ?`, account).Scan(&sealed, &keyID)
	if err == sql.ErrNoRows {
		return "", fmt.Errorf("%w (%s)", google.ErrNoToken, account)
	}
	if err != nil {
		return "", fmt.Errorf("google: load token of %s: %w", account, err)
	}
	if keyID != s.keyID {
		return "", fmt.Errorf("%w: the grant of %s was encrypted with another secrets key", google.ErrNoToken, account)
	}
	plain, err := s.sealer.Open(sealed, []byte(account))
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", google.ErrNoToken, account, errUnseal)
	}
	return string(plain), nil
}

// Delete forgets the grant of account (disconnecting it).
func (s *TokenStore) Delete(ctx context.Context, account string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM google_tokens WHERE account = ?`, google.NormalizeAccount(account)); err != nil {
		return fmt.Errorf("google: delete token: %w", err)
	}
	return nil
}

// Account is a connected account as listed by Accounts.
type Account struct {
	Email   string
	Updated time.Time
}

// Accounts lists the connected accounts, by email.
func (s *TokenStore) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT account, updated_at FROM google_tokens ORDER BY account`)
	if err != nil {
		return nil, fmt.Errorf("google: list accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var a Account
		var updated string
		if err := rows.Scan(&a.Email, &updated); err != nil {
			return nil, err
		}
		a.Updated, _ = time.Parse(time.RFC3339, updated)
		out = append(out, a)
	}
	return out, rows.Err()
}
