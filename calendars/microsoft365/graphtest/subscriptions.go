package graphtest

// Subscriptions follow "Create subscription", "Update subscription",
// "subscription resource type" and "Receive change notifications through
// webhooks":
//   - POST /subscriptions {changeType, notificationUrl, resource,
//     expirationDateTime, clientState}: Graph first validates the
//     notificationUrl with a POST to it carrying ?validationToken=… and
//     expects 200 with the token as text/plain within 10 seconds, else 400
//     ValidationError; notificationUrl must be https.
//   - the expiration may not lie more than the resource's maximum in the
//     future (400). Outlook events: the pages this was written from give
//     4230 minutes (under 3 days); newer pages give 10,080 minutes for
//     notifications without resource data. MaxSubscriptionLifetime defaults
//     to the stricter 4230 minutes.
//   - PATCH /subscriptions/{id} {expirationDateTime} renews (same limit).
//     DELETE answers 204; an expired subscription sends nothing.
//   - each change POSTs {"value":[{subscriptionId,
//     subscriptionExpirationDateTime, changeType, resource, resourceData
//     {@odata.type, @odata.id, @odata.etag, id}, clientState, tenantId}]}
//     and expects a 2xx (202 Accepted).

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// MaxSubscriptionLifetime is the longest expiration accepted for event
// subscriptions.
const MaxSubscriptionLifetime = 4230 * time.Minute

// Subscription is a change-notification subscription.
type Subscription struct {
	ID                 string
	Resource           string // as given, e.g. "users/{id}/events"
	ChangeType         string
	NotificationURL    string
	ClientState        string
	Expiration         time.Time
	ClientID, TenantID string
	mailboxID          string
	seen               map[string]string // item id -> change key, as last notified
}

// Delivery is one change notification the fake posted.
type Delivery struct {
	SubscriptionID string
	URL            string
	ChangeType     string
	Resource       string
	Status         int // 0 when the POST failed
}

// Subscriptions lists the subscriptions that exist (expired ones included).
func (s *Server) Subscriptions() []Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Subscription
	for _, sub := range s.subs {
		out = append(out, *sub)
	}
	return out
}

// Deliveries lists the change notifications posted so far; call Wait
// first when a change was just made.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// Wait waits for notifications under way.
func (s *Server) Wait() { s.wg.Wait() }

func (s *Server) serveSubscriptions(w http.ResponseWriter, r *http.Request, tok IssuedToken, rest []string) {
	switch {
	case len(rest) == 0 && r.Method == http.MethodPost:
		s.createSubscription(w, r, tok)
	case len(rest) == 0 && r.Method == http.MethodGet:
		s.mu.Lock()
		var list []map[string]any
		for _, sub := range s.subs {
			if sub.ClientID == tok.ClientID {
				list = append(list, s.renderSub(sub))
			}
		}
		s.mu.Unlock()
		writeJSON(w, 200, map[string]any{"value": list})
	case len(rest) == 1:
		s.serveSubscription(w, r, tok, rest[0])
	default:
		graphError(w, 400, "BadRequest", "Unsupported subscription request.")
	}
}

func (s *Server) serveSubscription(w http.ResponseWriter, r *http.Request, tok IssuedToken, id string) {
	s.mu.Lock()
	sub := s.subs[id]
	s.mu.Unlock()
	if sub == nil || sub.ClientID != tok.ClientID {
		graphError(w, 404, "ResourceNotFound", "The object was not found.")
		return
	}
	switch r.Method {
	case http.MethodGet:
		s.mu.Lock()
		defer s.mu.Unlock()
		writeJSON(w, 200, s.renderSub(sub))
	case http.MethodDelete:
		s.mu.Lock()
		delete(s.subs, id)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPatch:
		var body struct{ ExpirationDateTime string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			graphError(w, 400, "BadRequest", "Unable to read JSON request payload.")
			return
		}
		exp, ok := s.checkExpiration(w, body.ExpirationDateTime)
		if !ok {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		sub.Expiration = exp
		writeJSON(w, 200, s.renderSub(sub))
	default:
		graphError(w, 405, "BadRequest", "The HTTP method '"+r.Method+"' is not allowed.")
	}
}

type subRequest struct {
	ChangeType         string `json:"changeType"`
	NotificationURL    string `json:"notificationUrl"`
	Resource           string `json:"resource"`
	ExpirationDateTime string `json:"expirationDateTime"`
	ClientState        string `json:"clientState"`
}

func (s *Server) createSubscription(w http.ResponseWriter, r *http.Request, tok IssuedToken) {
	var req subRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		graphError(w, 400, "BadRequest", "Unable to read JSON request payload.")
		return
	}
	if !hasRole(tok, false) {
		graphError(w, 403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied. Check credentials and try again.]")
		return
	}
	mb := s.subscriptionMailbox(tok, req.Resource)
	if mb == nil {
		graphError(w, 400, "InvalidRequest", "Resource '"+req.Resource+"' is not supported: use users/{id}/events.")
		return
	}
	u, err := url.Parse(req.NotificationURL)
	if err != nil || (u.Scheme != "https" && !(u.Scheme == "http" && s.AllowHTTPNotificationURL)) {
		graphError(w, 400, "InvalidRequest", "The notification URL '"+req.NotificationURL+"' must use https.")
		return
	}
	exp, ok := s.checkExpiration(w, req.ExpirationDateTime)
	if !ok {
		return
	}
	if err := s.validateURL(r.Context(), req.NotificationURL); err != nil {
		graphError(w, 400, "ValidationError", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. ("+err.Error()+")")
		return
	}
	sub := &Subscription{ID: newID(), Resource: req.Resource, ChangeType: req.ChangeType,
		NotificationURL: req.NotificationURL, ClientState: req.ClientState, Expiration: exp,
		ClientID: tok.ClientID, TenantID: tok.TenantID, mailboxID: mb.id}
	s.mu.Lock()
	defer s.mu.Unlock()
	sub.seen = itemKeys(mb)
	s.subs[sub.ID] = sub
	writeJSON(w, 201, s.renderSub(sub))
}

// subscriptionMailbox resolves "users/{id}/events" (also with a leading
// slash, "Users", or "/calendar/events").
func (s *Server) subscriptionMailbox(tok IssuedToken, resource string) *mailbox {
	p := strings.Split(strings.Trim(resource, "/"), "/")
	if len(p) < 3 || !strings.EqualFold(p[0], "users") || !strings.EqualFold(p[len(p)-1], "events") {
		return nil
	}
	return s.mailboxFor(tok, p[1])
}

func (s *Server) checkExpiration(w http.ResponseWriter, v string) (time.Time, bool) {
	exp, err := time.Parse(time.RFC3339Nano, v)
	now := s.Now().UTC()
	switch {
	case err != nil:
		graphError(w, 400, "InvalidRequest", "expirationDateTime '"+v+"' is not a valid date and time.")
	case !exp.After(now):
		graphError(w, 400, "InvalidRequest", "Subscription expiration can only be in the future.")
	case exp.After(now.Add(MaxSubscriptionLifetime)):
		graphError(w, 400, "InvalidRequest", fmt.Sprintf("Subscription expiration can only be %d minutes in the future.", int(MaxSubscriptionLifetime/time.Minute)))
	default:
		return exp.UTC(), true
	}
	return time.Time{}, false
}

func (s *Server) notificationClient() *http.Client {
	if s.NotificationClient != nil {
		return s.NotificationClient
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// validateURL does the validation handshake.
func (s *Server) validateURL(ctx context.Context, notificationURL string) error {
	token := "Validation: Testing client application reachability for subscription Request-Id: " + newID()
	sep := "?"
	if strings.Contains(notificationURL, "?") {
		sep = "&"
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, notificationURL+sep+"validationToken="+url.QueryEscape(token), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := s.notificationClient().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	switch {
	case resp.StatusCode != 200:
		return fmt.Errorf("the endpoint answered %d", resp.StatusCode)
	case !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain"):
		return fmt.Errorf("the endpoint answered Content-Type %q, not text/plain", resp.Header.Get("Content-Type"))
	case string(body) != token:
		return fmt.Errorf("the endpoint did not echo the validation token")
	}
	return nil
}

func (s *Server) renderSub(sub *Subscription) map[string]any {
	return map[string]any{"@odata.context": s.GraphEndpoint() + "$metadata#subscriptions/$entity",
		"id": sub.ID, "resource": sub.Resource, "applicationId": sub.ClientID, "changeType": sub.ChangeType,
		"clientState": sub.ClientState, "notificationUrl": sub.NotificationURL,
		"expirationDateTime": sub.Expiration.Format("2006-01-02T15:04:05.0000000Z"),
		"creatorId":          sub.ClientID, "latestSupportedTlsVersion": "v1_2", "includeResourceData": false,
		"lifecycleNotificationUrl": nil, "encryptionCertificate": nil, "notificationQueryOptions": nil}
}
