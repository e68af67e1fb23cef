package googletest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"google.golang.org/api/calendar/v3"
)

// Channel is a registered push-notification channel (events.watch).
type Channel struct {
	ID          string
	Token       string
	Address     string
	CalendarID  string
	ResourceID  string
	ResourceURI string
	Expiration  time.Time
	Params      map[string]string
}

type channel struct {
	Channel
	messages int64 // X-Goog-Message-Number of the last message
}

const (
	defaultChannelTTL = 7 * 24 * time.Hour
	maxChannelTTL     = 30 * 24 * time.Hour
)

func (s *Server) eventsWatch(c *call) (any, *apiError) {
	cal, err := s.calFor(c)
	if err != nil {
		return nil, err
	}
	if _, err := parseListQuery(c); err != nil {
		return nil, err
	}
	body, err := loadDiscovery().decodeBody(c.method, c.body)
	if err != nil {
		return nil, err
	}
	var req calendar.Channel
	if data, jerr := json.Marshal(body); jerr != nil || json.Unmarshal(data, &req) != nil {
		return nil, &apiError{Code: 400, Reason: "parseError", Message: "Parse Error"}
	}
	if err := s.checkChannel(&req); err != nil {
		return nil, err
	}
	ch := &channel{Channel: Channel{
		ID: req.Id, Token: req.Token, Address: req.Address, CalendarID: cal.id, Params: req.Params,
		ResourceID: randomString(20), Expiration: s.channelExpiry(req.Expiration),
		ResourceURI: "https://www.googleapis.com/calendar/v3/calendars/" + url.PathEscape(cal.id) + "/events?alt=json",
	}}
	s.channels[ch.ID] = ch
	ch.messages = 1
	first := ch.Channel
	c.after = func() { deliver(first, "sync", 1) } // Google's first message
	return &calendar.Channel{Kind: "api#channel", Id: ch.ID, ResourceId: ch.ResourceID,
		ResourceUri: ch.ResourceURI, Token: ch.Token, Expiration: ch.Expiration.UnixMilli()}, nil
}

func (s *Server) checkChannel(req *calendar.Channel) *apiError {
	switch {
	case req.Id == "":
		return fieldError("required", "resource.id", "Required: channel id.")
	case req.Type != "web_hook" && req.Type != "webhook":
		return fieldError("invalid", "resource.type", "Invalid channel type: "+req.Type)
	case s.channels[req.Id] != nil:
		return fieldError("channelIdNotUnique", "resource.id", "Channel id not unique.")
	}
	u, err := url.Parse(req.Address)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fieldError("invalid", "resource.address", "Invalid channel address: "+req.Address)
	}
	return nil
}

func (s *Server) channelExpiry(ms int64) time.Time {
	now := s.now()
	exp := now.Add(defaultChannelTTL)
	if ms > 0 {
		exp = time.UnixMilli(ms).UTC()
	}
	if exp.After(now.Add(maxChannelTTL)) {
		exp = now.Add(maxChannelTTL)
	}
	return exp
}

func (s *Server) channelsStop(c *call) (any, *apiError) {
	body, err := loadDiscovery().decodeBody(c.method, c.body)
	if err != nil {
		return nil, err
	}
	id, _ := body["id"].(string)
	rid, _ := body["resourceId"].(string)
	ch := s.channels[id]
	if ch == nil || ch.ResourceID != rid {
		return nil, &apiError{Code: 404, Reason: "notFound",
			Message: fmt.Sprintf("Channel '%s' not found for project", id)}
	}
	delete(s.channels, id)
	c.status = http.StatusNoContent
	return nil, nil
}

// Channels lists the registered channels that have not expired.
func (s *Server) Channels() []Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Channel
	for _, ch := range s.channels {
		if ch.Expiration.After(s.now()) {
			out = append(out, ch.Channel)
		}
	}
	return out
}

// Notify sends an "exists" notification to every unexpired channel that
// watches calendarID, with Google's headers (X-Goog-Channel-ID,
// X-Goog-Channel-Token, X-Goog-Channel-Expiration, X-Goog-Resource-ID,
// X-Goog-Resource-URI, X-Goog-Resource-State, X-Goog-Message-Number) and an
// empty body. It returns the errors of deliveries that failed or were not
// answered with 2xx.
func (s *Server) Notify(calendarID string) error {
	type msg struct {
		ch Channel
		n  int64
	}
	var out []msg
	s.mu.Lock()
	for _, ch := range s.channels {
		if ch.CalendarID == calendarID && ch.Expiration.After(s.now()) {
			ch.messages++
			out = append(out, msg{ch.Channel, ch.messages})
		}
	}
	s.mu.Unlock()
	var errs []error
	for _, m := range out {
		errs = append(errs, deliver(m.ch, "exists", m.n))
	}
	return errors.Join(errs...)
}

func deliver(ch Channel, state string, n int64) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ch.Address, http.NoBody)
	if err != nil {
		return err
	}
	h := req.Header
	h.Set("X-Goog-Channel-ID", ch.ID)
	if ch.Token != "" {
		h.Set("X-Goog-Channel-Token", ch.Token)
	}
	h.Set("X-Goog-Channel-Expiration", ch.Expiration.UTC().Format(http.TimeFormat))
	h.Set("X-Goog-Resource-ID", ch.ResourceID)
	h.Set("X-Goog-Resource-URI", ch.ResourceURI)
	h.Set("X-Goog-Resource-State", state)
	h.Set("X-Goog-Message-Number", strconv.FormatInt(n, 10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("channel %s: %w", ch.ID, err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("channel %s: %s answered %s", ch.ID, ch.Address, resp.Status)
	}
	return nil
}
