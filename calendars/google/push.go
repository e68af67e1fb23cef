package google

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"google.golang.org/api/calendar/v3"
)

// Channel is a push-notification channel on one calendar (events.watch).
type Channel struct {
	ID         string    `json:"id"`
	ResourceID string    `json:"resource_id"`
	CalendarID string    `json:"calendar_id"`
	Address    string    `json:"address"`
	Token      string    `json:"-"` // verifies notifications; never logged
	Expiration time.Time `json:"expiration"`
	// Hash is the token's SHA-256 (hex) for a channel read back from the
	// database, which keeps no token.
	Hash string `json:"-"`
}

// TokenHash is the SHA-256 (hex) of the channel's token: what is stored
// and what a notification's token is checked against.
func (ch Channel) TokenHash() string {
	if ch.Token == "" {
		return ch.Hash
	}
	return hashToken(ch.Token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ChannelStore keeps the open channels in the database, so that every
// instance sharing it accepts a notification and a restart, or another
// instance taking a calendar over, keeps its channel.
type ChannelStore interface {
	SaveChannel(ctx context.Context, calendar string, ch Channel) error
	Channel(ctx context.Context, calendar string) (Channel, bool, error)
	ChannelByID(ctx context.Context, id string) (ch Channel, calendar string, ok bool, err error)
	DeleteChannel(ctx context.Context, id string) error
}

// NewChannelToken is a fresh secret for Watch's token.
func NewChannelToken() string { return randomToken() }

// Watch asks Google to POST to address (https, reachable from Google)
// whenever calendarID changes. token comes back in every notification's
// X-Goog-Channel-Token, which the Webhook checks.
func (c *Client) Watch(ctx context.Context, calendarID, address, token string) (Channel, error) {
	req := &calendar.Channel{Id: randomToken()[:40], Type: "web_hook", Address: address, Token: token}
	var res *calendar.Channel
	err := c.do(ctx, func(ctx context.Context) error {
		var err error
		res, err = c.svc.Events.Watch(calendarID, req).Context(ctx).Do()
		return err
	})
	if err != nil {
		return Channel{}, fmt.Errorf("google: watch %s: %w", calendarID, err)
	}
	ch := Channel{ID: req.Id, ResourceID: res.ResourceId, CalendarID: calendarID, Address: address, Token: token}
	if res.Expiration > 0 {
		ch.Expiration = time.UnixMilli(res.Expiration).UTC()
	}
	return ch, nil
}

// Stop ends a channel. A channel Google no longer knows is not an error.
func (c *Client) Stop(ctx context.Context, ch Channel) error {
	err := c.do(ctx, func(ctx context.Context) error {
		return c.svc.Channels.Stop(&calendar.Channel{Id: ch.ID, ResourceId: ch.ResourceID}).Context(ctx).Do()
	})
	if err != nil && !isStatus(err, http.StatusNotFound) {
		return fmt.Errorf("google: stop channel %s: %w", ch.ID, err)
	}
	return nil
}

// Renew replaces ch with a new channel (same address and token) when it
// expires within before, and stops the old one. It reports whether it
// did. Polling goes on regardless: push only makes changes arrive sooner.
func (c *Client) Renew(ctx context.Context, ch Channel, before time.Duration) (Channel, bool, error) {
	if !ch.Expiration.IsZero() && c.opt.Now().Add(before).Before(ch.Expiration) {
		return ch, false, nil
	}
	next, err := c.Watch(ctx, ch.CalendarID, ch.Address, ch.Token)
	if err != nil {
		return ch, false, err
	}
	if err := c.Stop(ctx, ch); err != nil {
		c.log.Warn("google: stopping the replaced channel failed", "channel", ch.ID, "err", err)
	}
	return next, true, nil
}

// Webhook receives Google's notifications. It checks that each names a
// registered channel with its token and then only calls Trigger with the
// calendar's name; the sync itself happens elsewhere. Trigger must not
// block (signal a channel, for example).
type Webhook struct {
	Trigger func(calendarName string)
	// Store, when set, knows the channels other instances (or this one
	// before a restart) opened.
	Store ChannelStore

	mu    sync.Mutex
	hooks map[string]hook // by channel id
}

type hook struct {
	tokenHash, calendar string
}

// Register routes notifications of ch to calendarName.
func (h *Webhook) Register(ch Channel, calendarName string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hooks == nil {
		h.hooks = map[string]hook{}
	}
	h.hooks[ch.ID] = hook{tokenHash: ch.TokenHash(), calendar: calendarName}
}

// Forget drops a stopped or replaced channel.
func (h *Webhook) Forget(channelID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.hooks, channelID)
}

func (h *Webhook) lookup(ctx context.Context, id string) (hook, bool, error) {
	h.mu.Lock()
	k, ok := h.hooks[id]
	h.mu.Unlock()
	if ok || h.Store == nil || id == "" {
		return k, ok, nil
	}
	ch, name, ok, err := h.Store.ChannelByID(ctx, id)
	if err != nil || !ok {
		return hook{}, false, err
	}
	return hook{tokenHash: ch.TokenHash(), calendar: name}, true, nil
}

// ServeHTTP answers Google's POST. Unknown channels get 404 and a wrong
// token 403; neither triggers anything.
func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, io.LimitReader(r.Body, 64<<10))
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	k, ok, err := h.lookup(r.Context(), r.Header.Get("X-Goog-Channel-ID"))
	if err != nil {
		// Google retries a notification that failed with a 5xx.
		http.Error(w, "channel lookup failed", http.StatusServiceUnavailable)
		return
	}
	if !ok {
		http.Error(w, "unknown channel", http.StatusNotFound)
		return
	}
	if subtle.ConstantTimeCompare([]byte(hashToken(r.Header.Get("X-Goog-Channel-Token"))), []byte(k.tokenHash)) != 1 {
		http.Error(w, "wrong channel token", http.StatusForbidden)
		return
	}
	// "sync" only confirms a new channel; "exists" and "not_exists" say
	// something changed.
	if r.Header.Get("X-Goog-Resource-State") != "sync" && h.Trigger != nil {
		h.Trigger(k.calendar)
	}
	w.WriteHeader(http.StatusNoContent)
}
