package prep

import (
	"context"
	"database/sql"
)

// Keys are what prep derives from the daemon's secrets key: the link
// tokens' signer and the answers' cipher.
type Keys struct {
	Links   *Links
	Answers *AnswerCipher
}

// OpenKeys derives prep's keys from secretsKey and readies d's answers
// as a start must before any part reads or writes one (SealAnswers):
// plain answers of older versions are sealed once, and a key that is
// not theirs is refused.
func OpenKeys(ctx context.Context, d *sql.DB, secretsKey []byte) (Keys, error) {
	links, err := NewLinks(LinkKey(secretsKey))
	if err != nil {
		return Keys{}, err
	}
	answers, err := NewAnswerCipher(AnswerKey(secretsKey))
	if err != nil {
		return Keys{}, err
	}
	if err := SealAnswers(ctx, d, answers); err != nil {
		return Keys{}, err
	}
	return Keys{Links: links, Answers: answers}, nil
}
