package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// KeySize is the length of the secrets key: AES-256.
const KeySize = 32

// sealer encrypts short secrets with AES-256-GCM.
type sealer struct {
	aead  cipher.AEAD
	keyID string
}

func newSealer(key []byte) (*sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("google: the secrets key must be %d bytes, got %d; refusing to store tokens without it", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	// The key id is a MAC of a fixed label, not a hash of the key itself.
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("oneonone google key id"))
	return &sealer{aead: aead, keyID: hex.EncodeToString(mac.Sum(nil)[:6])}, nil
}

// seal returns nonce || ciphertext || tag, bound to ad.
func (s *sealer) seal(plain, ad []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plain, ad)
}

var errUnseal = errors.New("google: a stored token cannot be decrypted (damaged, or sealed for another account)")

func (s *sealer) open(sealed, ad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, errUnseal
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, errUnseal
	}
	return plain, nil
}
