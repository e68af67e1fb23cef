package google

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
)

// KeySize is the length of the secrets key: AES-256.
const KeySize = 32

// LoadKey reads the secrets key that refresh tokens are encrypted with.
// The file holds 32 random bytes, raw or written as hex or base64. The
// daemon must not run without it: a missing or malformed key is an error
// that says how to make one.
func LoadKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("google: secrets key: %w — connected Google accounts are stored encrypted with it; "+
			"create it with 32 random bytes (for example `openssl rand -out %s 32`, mode 0600) and start again", err, path)
	}
	key, ok := parseKey(data)
	if !ok {
		return nil, fmt.Errorf("google: secrets key %s holds %d bytes, not %d random bytes (raw, hex or base64)", path, len(data), KeySize)
	}
	return key, nil
}

func parseKey(data []byte) ([]byte, bool) {
	if len(data) == KeySize {
		return data, true
	}
	text := string(bytes.TrimSpace(data))
	if k, err := hex.DecodeString(text); err == nil && len(k) == KeySize {
		return k, true
	}
	if k, err := base64.StdEncoding.DecodeString(text); err == nil && len(k) == KeySize {
		return k, true
	}
	return nil, false
}

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
