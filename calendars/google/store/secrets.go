package store

import (
	"errors"
	"fmt"

	"github.com/oneonone/oneonone/calendars/seal"
)

// KeySize is the length of the secrets key: AES-256.
const KeySize = seal.KeySize

// keyIDLabel names the key in each token's row (the first 6 bytes of its
// check): a MAC of a fixed label, not a hash of the key itself.
const keyIDLabel = "oneonone google key id"

var errUnseal = errors.New("google: a stored token cannot be decrypted (damaged, or sealed for another account)")

// newSealer returns the sealer of the tokens and the id of its key.
func newSealer(key []byte) (*seal.Sealer, string, error) {
	if len(key) != KeySize {
		return nil, "", fmt.Errorf("google: the secrets key must be %d bytes, got %d; refusing to store tokens without it", KeySize, len(key))
	}
	s, err := seal.New(key)
	if err != nil {
		return nil, "", fmt.Errorf("google: %w", err)
	}
	return s, s.KeyCheck(keyIDLabel)[:12], nil
}
