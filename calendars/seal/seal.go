// Package seal encrypts the short secrets oneonone keeps at rest (prep's
// answers, the Google adapter's refresh tokens) with AES-256-GCM: one
// sealer, one stored layout, one way to name a key without revealing it.
//
// It sits under calendars because both of its users may import calendars
// (prep seals in prep itself, the Google adapter in its store) while
// neither may import sync; it imports nothing of the project.
package seal

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

// KeySize is the length of a key: AES-256.
const KeySize = 32

// ErrOpen is a sealed value that does not open: sealed with another key,
// bound to other additional data (moved from another row), or altered.
var ErrOpen = errors.New("seal: cannot be decrypted")

// ErrShort is a sealed value too short to hold a nonce and a tag: damaged.
var ErrShort = errors.New("seal: too short to be a sealed value")

// Sealer seals and opens values with one key. A sealed value is a fresh
// random nonce followed by the ciphertext and its tag; the additional data
// (which row the value belongs to) is not stored but must match to open.
type Sealer struct {
	aead cipher.AEAD
	key  []byte
}

// New returns the sealer of key, which must have KeySize bytes.
func New(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: the key has %d bytes, needs %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &Sealer{aead: aead, key: append([]byte(nil), key...)}, nil
}

// Seal returns nonce || ciphertext || tag of plain, bound to ad.
func (s *Sealer) Seal(plain, ad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	nonce := make([]byte, n, n+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	return s.aead.Seal(nonce, nonce, plain, ad), nil
}

// Open returns the plain text of sealed, or ErrShort or ErrOpen.
func (s *Sealer) Open(sealed, ad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, ErrShort
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// KeyCheck names the key without revealing it: the hex HMAC-SHA256 of
// label under the key. Stored beside what was sealed, it tells at start
// that the data was sealed with another key.
func (s *Sealer) KeyCheck(label string) string { return hex.EncodeToString(Derive(s.key, label)) }

// Derive returns a 32-byte key for one use, named by label, from a
// secret: HMAC-SHA256 of label under the secret.
func Derive(secret []byte, label string) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(label))
	return mac.Sum(nil)
}
