package microsoft365

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

var (
	// ErrCredentials: the token endpoint refused the app's credentials (a
	// wrong, revoked or expired client secret, an unknown app or tenant).
	// Retrying does not help; an administrator has to fix the app
	// registration or client_secret_file. The error carrying it is a
	// *CredentialsError that says what to do.
	ErrCredentials = errors.New("microsoft365: the app's credentials were refused")
	// ErrNotWritable: the copy may not be changed by us without notifying
	// others (it is the organizer's), or Graph refused the write.
	ErrNotWritable = errors.New("microsoft365: not writable")
	// ErrCancelled: the occurrence to write to is cancelled or deleted.
	ErrCancelled = errors.New("microsoft365: the occurrence is cancelled")
)

// APIError is a Graph error response: its status, the error code of its
// JSON body ("ErrorAccessDenied", "syncStateNotFound", …) and headers
// (Retry-After).
type APIError struct {
	Status  int
	Code    string
	Message string
	Header  http.Header
}

func (e *APIError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("graph answered %d", e.Status)
	}
	return fmt.Sprintf("graph answered %d %s: %s", e.Status, e.Code, e.Message)
}

// maxErrorBody bounds what is read of an error response.
const maxErrorBody = 64 << 10

// apiErrorFrom reads a non-2xx response into an *APIError.
func apiErrorFrom(resp *http.Response) *APIError {
	e := &APIError{Status: resp.StatusCode, Header: resp.Header}
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if json.Unmarshal(b, &body) == nil {
		e.Code, e.Message = body.Error.Code, body.Error.Message
	}
	return e
}

func apiError(err error) *APIError {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae
	}
	return nil
}

func isStatus(err error, code int) bool {
	ae := apiError(err)
	return ae != nil && ae.Status == code
}

// isGone is a 410 Gone: an expired delta token (syncStateNotFound,
// resyncRequired, …) or a resource that no longer exists.
func isGone(err error) bool { return isStatus(err, http.StatusGone) }
