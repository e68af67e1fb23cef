package microsoft365

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Change notifications follow Graph's "Receive change notifications
// through webhooks": a subscription on users/{user}/events posts each
// change to our address with the clientState we gave it; creating one
// first posts ?validationToken=… there, to be echoed as text/plain
// within 10 seconds. Outlook events subscriptions live at most 4230
// minutes, so they are renewed well before.

// maxLifetime is how far ahead a subscription is asked to expire, under
// Graph's 4230 minutes for events.
const maxLifetime = 4200 * time.Minute

// Subscription is a change-notification subscription on one mailbox.
type Subscription struct {
	ID          string
	Resource    string // users/{user}/events
	Address     string // the notificationUrl
	ClientState string // the secret each notification must carry; never stored
	Expiry      time.Time
	// Hash is the clientState's SHA-256 (hex) for a subscription read
	// back from the database, which keeps no clientState.
	Hash string
}

// StateHash is the SHA-256 (hex) of the clientState: what is stored and
// what a notification's clientState is checked against.
func (s Subscription) StateHash() string {
	if s.ClientState == "" {
		return s.Hash
	}
	return hashState(s.ClientState)
}

func hashState(state string) string {
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}

// resource is what a subscription on user's events watches.
func resource(user string) string { return "users/" + user + "/events" }

// Subscribe asks Graph to post changes of user's events to address.
func (c *Client) Subscribe(ctx context.Context, user, address string) (Subscription, error) {
	state, err := randomState()
	if err != nil {
		return Subscription{}, err
	}
	exp := c.opt.Now().Add(maxLifetime).UTC()
	body := map[string]string{"changeType": "created,updated,deleted", "notificationUrl": address,
		"resource": resource(user), "expirationDateTime": exp.Format(time.RFC3339), "clientState": state}
	var res struct {
		ID         string `json:"id"`
		Expiration string `json:"expirationDateTime"`
	}
	if err := c.do(ctx, request{method: http.MethodPost, url: "subscriptions", body: body}, &res); err != nil {
		return Subscription{}, fmt.Errorf("microsoft365: subscribe to %s: %w", user, err)
	}
	if t, err := time.Parse(time.RFC3339Nano, res.Expiration); err == nil {
		exp = t
	}
	return Subscription{ID: res.ID, Resource: resource(user), Address: address, ClientState: state, Expiry: exp}, nil
}

// Renew moves s's expiry out again; a subscription Graph no longer knows
// is an *APIError with status 404.
func (c *Client) Renew(ctx context.Context, s Subscription) (Subscription, error) {
	exp := c.opt.Now().Add(maxLifetime).UTC()
	body := map[string]string{"expirationDateTime": exp.Format(time.RFC3339)}
	if err := c.do(ctx, request{method: http.MethodPatch, url: "subscriptions/" + url.PathEscape(s.ID), body: body}, nil); err != nil {
		return s, fmt.Errorf("microsoft365: renew subscription %s: %w", s.ID, err)
	}
	s.Expiry = exp
	return s, nil
}

// Unsubscribe deletes s.
func (c *Client) Unsubscribe(ctx context.Context, s Subscription) error {
	return c.do(ctx, request{method: http.MethodDelete, url: "subscriptions/" + url.PathEscape(s.ID)}, nil)
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Webhook receives Graph's validation requests and change
// notifications. A notification for a subscription it knows, with that
// subscription's clientState, calls Trigger with the calendar's name;
// anything else is acknowledged and ignored.
type Webhook struct {
	Trigger func(calendar string)
	// Store, when set, knows the subscriptions other instances (or this
	// one before a restart) made.
	Store SubscriptionStore

	mu   sync.Mutex
	subs map[string]hook // by subscription id
}

type hook struct {
	calendar, stateHash string
}

// Register routes s's notifications to calendar.
func (h *Webhook) Register(s Subscription, calendar string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[string]hook{}
	}
	h.subs[s.ID] = hook{calendar: calendar, stateHash: s.StateHash()}
}

// Forget drops a subscription.
func (h *Webhook) Forget(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, id)
}

// maxNotification bounds a notification body read.
const maxNotification = 1 << 20

func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if token := r.URL.Query().Get("validationToken"); token != "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, token)
		return
	}
	var body struct {
		Value []struct {
			SubscriptionID string `json:"subscriptionId"`
			ClientState    string `json:"clientState"`
		} `json:"value"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, maxNotification)).Decode(&body); err != nil {
		http.Error(w, "not a change notification", http.StatusBadRequest)
		return
	}
	woken := map[string]bool{}
	known := map[string]*hook{} // by subscription id, nil when unknown
	for _, n := range body.Value {
		k, err := h.cachedLookup(r.Context(), known, n.SubscriptionID)
		if err != nil {
			// Graph delivers a notification again after a 5xx.
			http.Error(w, "subscription lookup failed", http.StatusServiceUnavailable)
			return
		}
		if k != nil && subtle.ConstantTimeCompare([]byte(k.stateHash), []byte(hashState(n.ClientState))) == 1 && !woken[k.calendar] {
			woken[k.calendar] = true
			h.Trigger(k.calendar)
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

// maxLookups bounds the distinct subscriptions one POST makes the
// webhook look up (each may cost a database query); Graph batches the
// notifications of one address's subscriptions, one per mailbox.
const maxLookups = 256

// cachedLookup is lookup once per subscription id of a POST; past
// maxLookups ids, the others count as unknown.
func (h *Webhook) cachedLookup(ctx context.Context, known map[string]*hook, id string) (*hook, error) {
	if k, seen := known[id]; seen || len(known) >= maxLookups {
		return k, nil
	}
	k, ok, err := h.lookup(ctx, id)
	if err != nil {
		return nil, err
	}
	known[id] = nil
	if ok {
		known[id] = &k
	}
	return known[id], nil
}

// lookup finds the subscription id among those registered, else in the
// Store.
func (h *Webhook) lookup(ctx context.Context, id string) (hook, bool, error) {
	h.mu.Lock()
	k, ok := h.subs[id]
	h.mu.Unlock()
	if ok || h.Store == nil || id == "" {
		return k, ok, nil
	}
	s, calendar, ok, err := h.Store.SubscriptionByID(ctx, id)
	if err != nil || !ok {
		return hook{}, false, err
	}
	return hook{calendar: calendar, stateHash: s.StateHash()}, true, nil
}
