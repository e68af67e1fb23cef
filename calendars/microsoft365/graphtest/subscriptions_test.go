package graphtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a notification endpoint that answers the validation
// handshake (unless echo is false) and records notifications.
type receiver struct {
	mu    sync.Mutex
	echo  bool
	posts []map[string]any
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if tok := r.URL.Query().Get("validationToken"); tok != "" {
		if !rc.echo {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, tok)
		return
	}
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	rc.mu.Lock()
	rc.posts = append(rc.posts, body)
	rc.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func subscribe(t *testing.T, f *fixture, url string, exp time.Time) (int, map[string]any) {
	t.Helper()
	status, _, body := f.do(t, "POST", "subscriptions", nil, map[string]any{
		"changeType": "created,updated,deleted", "notificationUrl": url, "resource": "users/" + grace + "/events",
		"expirationDateTime": exp.Format(time.RFC3339), "clientState": "secret-state"})
	return status, body
}

func TestSubscriptionHandshakeLimitAndNotifications(t *testing.T) {
	f := setup(t)
	rc := &receiver{echo: true}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	if status, body := subscribe(t, f, hook.URL, t0.Add(time.Hour)); status != 400 || !strings.Contains(body["error"].(map[string]any)["message"].(string), "https") {
		t.Errorf("http URL: %d %v", status, body)
	}
	f.srv.AllowHTTPNotificationURL = true
	if status, _ := subscribe(t, f, hook.URL, t0.Add(MaxSubscriptionLifetime+time.Minute)); status != 400 {
		t.Errorf("past the maximum lifetime: %d", status)
	}
	rc.echo = false
	if status, body := subscribe(t, f, hook.URL, t0.Add(time.Hour)); status != 400 || body["error"].(map[string]any)["code"] != "ValidationError" {
		t.Errorf("failed handshake: %d %v", status, body)
	}
	rc.echo = true
	status, sub := subscribe(t, f, hook.URL, t0.Add(MaxSubscriptionLifetime))
	if status != 201 || sub["clientState"] != "secret-state" {
		t.Fatalf("subscribe: %d %v", status, sub)
	}
	id := sub["id"].(string)
	renew := t0.Add(MaxSubscriptionLifetime).Format(time.RFC3339)
	if status, _, body := f.do(t, "PATCH", "subscriptions/"+id, nil, map[string]any{"expirationDateTime": renew}); status != 200 {
		t.Errorf("renew: %d %v", status, body)
	}
	f.srv.EditBody(grace, f.uid, dec15, "<p>Grace's own notes</p>")
	f.srv.Wait()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.posts) != 1 {
		t.Fatalf("%d notification posts, want 1", len(rc.posts))
	}
	// The new exception is created; its master, which holds its
	// exceptions, is updated.
	kinds := map[string]string{}
	for _, v := range rc.posts[0]["value"].([]any) {
		n := v.(map[string]any)
		if n["clientState"] != "secret-state" {
			t.Errorf("notification without the clientState: %v", n)
		}
		kinds[n["resourceData"].(map[string]any)["id"].(string)] = n["changeType"].(string)
	}
	exc, master := f.srv.EventID(grace, f.uid, dec15), f.srv.EventID(grace, f.uid, time.Time{})
	if len(kinds) != 2 || kinds[exc] != "created" || kinds[master] != "updated" {
		t.Errorf("notified %v; want the exception created and the master updated", kinds)
	}
	if d := f.srv.Deliveries(); len(d) != 2 || d[0].Status != 202 {
		t.Errorf("deliveries %+v", d)
	}
}

func TestExpiredOrDeletedSubscriptionSendsNothing(t *testing.T) {
	f := setup(t)
	now := t0
	f.srv.Now = func() time.Time { return now }
	f.srv.AllowHTTPNotificationURL = true
	rc := &receiver{echo: true}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	_, first := subscribe(t, f, hook.URL, now.Add(30*time.Minute))
	_, second := subscribe(t, f, hook.URL, now.Add(2*time.Hour))
	if status, _, _ := f.do(t, "DELETE", "subscriptions/"+second["id"].(string), nil, nil); status != 204 {
		t.Fatalf("delete: %d", status)
	}
	now = now.Add(45 * time.Minute) // the first one expires (the token does not yet)
	f.srv.EditBody(ada, f.uid, time.Time{}, "<p>changed</p>")
	f.srv.Wait()
	if d := f.srv.Deliveries(); len(d) != 0 {
		t.Errorf("deliveries after expiry and deletion: %+v", d)
	}
	renew := now.Add(time.Hour).Format(time.RFC3339)
	if status, _, _ := f.do(t, "PATCH", "subscriptions/"+first["id"].(string), nil, map[string]any{"expirationDateTime": renew}); status != 200 {
		t.Errorf("renewing an expired subscription: %d", status)
	}
	if status, _, _ := f.do(t, "GET", "subscriptions/"+second["id"].(string), nil, nil); status != 404 {
		t.Errorf("a deleted subscription: %d", status)
	}
}
