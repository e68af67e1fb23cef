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
// rate limit on links that are not valid. Only an unknown link spends a
// token, and a known one is served even to a client out of tokens: a
// person shares an address (an office NAT, a proxy) with whoever is
// sending junk, and must never be locked out of their own form. That a
// limited client still learns which of its guesses was right is no help
// to it: a 256-bit token is not found by guessing; the limit bounds what
// junk costs, and keeps it out of the logs.
func (s *server) guard(r *http.Request, call func(ctx context.Context, token string) error) error {
	token := r.PathValue("token")
	err := prep.ErrUnknownLink
	if plausibleToken(token) {
		err = call(r.Context(), token)
	}
	if errors.Is(err, prep.ErrUnknownLink) {
		if ok, wait := s.limit.take(s.limit.client(r)); !ok {
			return &rateLimitedError{retryAfter: max(1, int(math.Ceil(wait.Seconds())))}
		}
	}
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
