package googletest

import (
	"encoding/json"
	"net/http"
)

// apiError is one error answer in Google's JSON error format, which
// googleapi.CheckResponse parses into *googleapi.Error (Code, Message and
// Errors[].Reason).
type apiError struct {
	Code         int
	Reason       string
	Message      string
	Domain       string // "global" when empty
	Location     string
	LocationType string
	RetryAfter   string
	Header       http.Header // extra headers, e.g. WWW-Authenticate
}

type errorItem struct {
	Domain       string `json:"domain"`
	Reason       string `json:"reason"`
	Message      string `json:"message"`
	LocationType string `json:"locationType,omitempty"`
	Location     string `json:"location,omitempty"`
}

type errorBody struct {
	Error struct {
		Code    int         `json:"code"`
		Message string      `json:"message"`
		Errors  []errorItem `json:"errors"`
	} `json:"error"`
}

func (e *apiError) response() *response {
	var b errorBody
	b.Error.Code = e.Code
	b.Error.Message = e.Message
	domain := e.Domain
	if domain == "" {
		domain = "global"
	}
	b.Error.Errors = []errorItem{{
		Domain: domain, Reason: e.Reason, Message: e.Message,
		LocationType: e.LocationType, Location: e.Location,
	}}
	data, _ := json.Marshal(b)
	h := http.Header{}
	for k, v := range e.Header {
		h[k] = v
	}
	if e.RetryAfter != "" {
		h.Set("Retry-After", e.RetryAfter)
	}
	return jsonResponse(e.Code, h, data)
}

func notFound() *apiError {
	return &apiError{Code: 404, Reason: "notFound", Message: "Not Found"}
}

func gone() *apiError {
	return &apiError{Code: 410, Reason: "deleted", Message: "Resource has been deleted"}
}

func invalid(msg string) *apiError {
	return &apiError{Code: 400, Reason: "invalid", Message: msg}
}

func paramError(reason, name, msg string) *apiError {
	return &apiError{Code: 400, Reason: reason, Message: msg, Location: name, LocationType: "parameter"}
}

func fieldError(reason, field, msg string) *apiError {
	return &apiError{Code: 400, Reason: reason, Message: msg, Location: field, LocationType: "other"}
}

func fullSyncRequired() *apiError {
	return &apiError{Code: 410, Reason: "fullSyncRequired", Domain: "calendar",
		Message: "Sync token is no longer valid, a full sync is required."}
}

func conditionNotMet() *apiError {
	return &apiError{Code: 412, Reason: "conditionNotMet", Message: "Precondition Failed",
		Location: "If-Match", LocationType: "header"}
}

func forbiddenForNonOrganizer() *apiError {
	return &apiError{Code: 403, Reason: "forbiddenForNonOrganizer", Domain: "calendar",
		Message: "The operation can only be performed by the organizer of the event."}
}

// defaultReason is the reason Google gives with a status when a fault is
// injected without one.
func defaultReason(status int) (reason, domain, msg string) {
	switch status {
	case 400:
		return "badRequest", "global", "Bad Request"
	case 401:
		return "authError", "global", "Invalid Credentials"
	case 403:
		return "rateLimitExceeded", "usageLimits", "Rate Limit Exceeded"
	case 404:
		return "notFound", "global", "Not Found"
	case 409:
		return "duplicate", "global", "The requested identifier already exists."
	case 410:
		return "fullSyncRequired", "calendar", "Sync token is no longer valid, a full sync is required."
	case 412:
		return "conditionNotMet", "global", "Precondition Failed"
	case 429:
		return "rateLimitExceeded", "usageLimits", "Rate Limit Exceeded"
	case 503:
		return "backendError", "global", "The service is currently unavailable."
	}
	return "backendError", "global", "Backend Error"
}

// reasonDomain is the error domain Google uses for a reason.
func reasonDomain(reason string) string {
	switch reason {
	case "rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded":
		return "usageLimits"
	case "fullSyncRequired", "forbiddenForNonOrganizer":
		return "calendar"
	}
	return "global"
}
