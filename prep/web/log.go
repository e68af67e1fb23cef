package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
)

// Log keys, stable for whoever greps the journal.
const (
	logKeyRoute  = "route"
	logKeyMethod = "method"
	logKeyStatus = "status"
	logKeyLink   = "link"
	logKeyErr    = "err"
	logKeyStack  = "stack"
)

// route names the page a request was for without its token: the path
// holds the token, which must never reach a log.
func route(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "unrouted"
}

// linkID is a short name for a token in logs: a prefix of the token's
// SHA-256, which is what the prep store keeps, so an admin can find the
// request row without anyone learning the link.
func linkID(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:6])
}
