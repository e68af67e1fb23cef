package prep

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/oneonone/oneonone/calendars/seal"
)

// AnswerCipher encrypts answers at rest (AES-256-GCM), so that a copy of
// the database or a backup without the key file shows none of them.
// Each ciphertext is bound to its row: the request, the question and the
// table are its additional data, so one copied to another row (another
// person's request, another question) fails to open instead of showing
// up there.
type AnswerCipher struct {
	sealer *seal.Sealer
	// check identifies the key without revealing it, to tell at start
	// that a database's answers were encrypted with another key.
	check string
}

// AnswerKey derives the answer key from the daemon's secrets key, for
// this use only (as LinkKey does for link tokens).
func AnswerKey(secretsKey []byte) []byte {
	return seal.Derive(secretsKey, "oneonone prep answer key v1")
}

// NewAnswerCipher returns the cipher for key, which must have 32 bytes
// (see AnswerKey).
func NewAnswerCipher(key []byte) (*AnswerCipher, error) {
	s, err := seal.New(key)
	if err != nil {
		return nil, fmt.Errorf("prep: answer key: %w", err)
	}
	return &AnswerCipher{sealer: s, check: s.KeyCheck("oneonone prep answer key check v1")}, nil
}

// sealedPrefix marks the stored form: version, then base64 of the nonce
// and the ciphertext.
const sealedPrefix = "v1:"

// Where an answer is stored, part of its additional data.
const (
	answerRow   = "answer"
	editRow     = "edit"
	followUpRow = "followup" // a follow-up's next steps, keyed by its row
	nextStepsID = "next_steps"
)

var errNoAnswerCipher = errors.New("prep: no answer key (AnswerCipher is nil)")

func answerAD(table string, requestID int64, questionID string) []byte {
	return []byte("oneonone answer v1\x00" + table + "\x00" + strconv.FormatInt(requestID, 10) + "\x00" + questionID)
}

// seal returns the stored form of text.
func (c *AnswerCipher) seal(table string, requestID int64, questionID, text string) (string, error) {
	if c == nil {
		return "", errNoAnswerCipher
	}
	out, err := c.sealer.Seal([]byte(text), answerAD(table, requestID, questionID))
	if err != nil {
		return "", fmt.Errorf("prep: %w", err)
	}
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// sealSteps returns the stored form of the next steps of follow-up
// followID; no steps stay "" (the carry-over skips those rows).
func (c *AnswerCipher) sealSteps(followID int64, text string) (string, error) {
	if text == "" {
		return "", nil
	}
	return c.seal(followUpRow, followID, nextStepsID, text)
}

// openSteps returns the next steps of follow-up followID.
func (c *AnswerCipher) openSteps(followID int64, stored string) (string, error) {
	if stored == "" {
		return "", nil
	}
	return c.open(followUpRow, followID, nextStepsID, stored)
}

// open returns the text of a stored answer.
func (c *AnswerCipher) open(table string, requestID int64, questionID, stored string) (string, error) {
	if c == nil {
		return "", errNoAnswerCipher
	}
	fail := func(why string) error {
		return fmt.Errorf("prep: %s %q of request %d cannot be decrypted: %s", table, questionID, requestID, why)
	}
	b64, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return "", fail("it is not encrypted (written by something other than this version of oneonone)")
	}
	raw, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil {
		return "", fail("it is damaged")
	}
	text, err := c.sealer.Open(raw, answerAD(table, requestID, questionID))
	if errors.Is(err, seal.ErrShort) {
		return "", fail("it is damaged")
	}
	if err != nil {
		return "", fail("the secrets key is not the one it was encrypted with, or it was moved from another row")
	}
	return string(text), nil
}
