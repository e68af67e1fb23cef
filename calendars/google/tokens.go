package google

import (
	"context"
	"errors"
)

// ErrNoToken: no usable grant is stored for the account.
var ErrNoToken = errors.New("google: no grant stored for this account")

// Tokens keeps users' refresh tokens (store.TokenStore does, encrypted).
// Load returns ErrNoToken when no usable grant is stored.
type Tokens interface {
	Save(ctx context.Context, account, refreshToken string) error
	Load(ctx context.Context, account string) (string, error)
}
