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
	n := rc.posts[0]["value"].([]any)[0].(map[string]any)
	if n["clientState"] != "secret-state" || n["changeType"] != "created" ||
		!strings.HasSuffix(n["resource"].(string), f.srv.EventID(grace, f.uid, dec15)) {
		t.Errorf("notification %v (a new exception is a created event)", n)
	}
	if d := f.srv.Deliveries(); len(d) != 1 || d[0].Status != 202 {
		t.Errorf("deliveries %+v", d)
	}
}
