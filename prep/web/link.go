package web

import (
	"context"
	"errors"
	"math"
	"net/http"

	"github.com/oneonone/oneonone/prep"
)

// maxTokenLen is far above any token the prep store makes (256 bits are
// 43 characters of base64url, 64 of hex).
const maxTokenLen = 128

// plausibleToken reports whether token could be one of ours; anything
// else is an unknown link without asking the store.
func plausibleToken(token string) bool {
	if token == "" || len(token) > maxTokenLen {
		return false
	}
	for i := 0; i < len(token); i++ {
		c := token[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// guard runs one call of the prep service for the link in r, under the
// rate limit on links that are not valid. The token is spent before the
// call, so that a client out of tokens learns nothing about its link, and
// refunded when the link turns out to be known: valid links never count.
func (s *server) guard(r *http.Request, call func(ctx context.Context, token string) error) error {
	token := r.PathValue("token")
	key := s.limit.client(r)
	if ok, wait := s.limit.take(key); !ok {
		return &rateLimitedError{retryAfter: max(1, int(math.Ceil(wait.Seconds())))}
	}
	if !plausibleToken(token) {
		return prep.ErrUnknownLink
	}
	unknown := false
	defer func() { // also when call panics: that link is not known to be bad
		if !unknown {
			s.limit.refund(key)
		}
	}()
	err := call(r.Context(), token)
	unknown = errors.Is(err, prep.ErrUnknownLink)
	return err
}

// open is guard around Service.Open.
func (s *server) open(r *http.Request) (prep.Form, error) {
	var f prep.Form
	err := s.guard(r, func(ctx context.Context, token string) error {
		var err error
		f, err = s.svc.Open(ctx, token)
		return err
	})
	return f, err
}
