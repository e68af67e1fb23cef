package graphtest

// Delivery of change notifications ("Receive change notifications through
// webhooks"): after every change, each live subscription on the changed
// mailbox gets one POST listing the created, updated and deleted events
// (by the changeType it asked for), with its clientState; the endpoint
// answers 2xx, 202 Accepted being the documented answer. Posts run in the
// background; Wait waits for them.

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

func itemKeys(mb *mailbox) map[string]string {
	out := map[string]string{}
	for id, it := range mb.items {
		out[id] = it.changeKey
	}
	return out
}

// changed is called with s.mu held after every change to calendars.
func (s *Server) changed() {
	now := s.now()
	for _, sub := range s.subs {
		mb := s.boxes[sub.mailboxID]
		if mb == nil || !sub.Expiration.After(now) {
			continue
		}
		cur := itemKeys(mb)
		var value []map[string]any
		add := func(kind, id, etag string) {
			if !slices.Contains(strings.Split(sub.ChangeType, ","), kind) {
				return
			}
			res := "Users/" + mb.id + "/Events/" + id
			value = append(value, map[string]any{"subscriptionId": sub.ID,
				"subscriptionExpirationDateTime": sub.Expiration.Format("2006-01-02T15:04:05.0000000Z"),
				"changeType":                     kind, "resource": res, "clientState": sub.ClientState, "tenantId": sub.TenantID,
				"resourceData": map[string]any{"@odata.type": "#Microsoft.Graph.Event", "@odata.id": res,
					"@odata.etag": etag, "id": id}})
		}
		for id, ck := range cur {
			old, ok := sub.seen[id]
			switch {
			case !ok:
				add("created", id, `W/"`+ck+`"`)
			case old != ck:
				add("updated", id, `W/"`+ck+`"`)
			}
		}
		for id := range sub.seen {
			if _, ok := cur[id]; !ok {
				add("deleted", id, "")
			}
		}
		sub.seen = cur
		if len(value) > 0 {
			s.post(sub.ID, sub.NotificationURL, value)
		}
	}
}

func (s *Server) post(subID, url string, value []map[string]any) {
	body, _ := json.Marshal(map[string]any{"value": value})
	client := s.notificationClient()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		status := 0
		if resp, err := client.Post(url, "application/json; charset=utf-8", bytes.NewReader(body)); err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, v := range value {
			s.deliveries = append(s.deliveries, Delivery{SubscriptionID: subID, URL: url,
				ChangeType: v["changeType"].(string), Resource: v["resource"].(string), Status: status})
		}
	}()
}
