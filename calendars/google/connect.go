package google

import (
	"crypto/subtle"
	"html/template"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

const (
	stateCookie    = "oneonone_google_state"
	pendingTTL     = 10 * time.Minute
	maxPending     = 256
	connectPath    = "/connect/google"
	callbackSuffix = "/callback"
)

// Connector is the web side of connecting a Google account:
// GET /connect/google sends the browser to Google's consent page, and
// GET /connect/google/callback stores the grant it comes back with.
//
// The callback is a GET because OAuth redirects are; it changes nothing
// without a code that only this attempt's PKCE verifier can redeem, and
// a state that must match the cookie set on the same browser, so a link
// scanner opening either URL connects nothing.
type Connector struct {
	app   OAuthApp
	store Tokens
	opt   Options
	// OnConnect, when set, learns each account that connected (to sync it
	// at once and clear its "reconnect" state). It must not block.
	OnConnect func(account string)

	mu      sync.Mutex
	pending map[string]pendingAuth // by state
}

type pendingAuth struct {
	verifier string
	expires  time.Time
}

// NewConnector serves the connect pages for app, storing grants in store.
func NewConnector(app OAuthApp, store Tokens, opt Options) *Connector {
	return &Connector{app: app, store: store, opt: opt.withDefaults(), pending: map[string]pendingAuth{}}
}

// Register adds both pages to mux.
func (c *Connector) Register(mux *http.ServeMux) {
	mux.Handle("GET "+connectPath, c)
	mux.Handle("GET "+connectPath+callbackSuffix, c)
}

// ServeHTTP serves /connect/google and /connect/google/callback.
func (c *Connector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	switch {
	case r.Method == http.MethodHead:
		// Link checkers and mail scanners: nothing is started for them.
		page(w, http.StatusOK, "Connect a Google calendar", "")
	case r.Method != http.MethodGet:
		h.Set("Allow", "GET, HEAD")
		page(w, http.StatusMethodNotAllowed, "Method not allowed", "")
	case strings.HasSuffix(r.URL.Path, callbackSuffix):
		c.callback(w, r)
	default:
		c.start(w, r)
	}
}

func (c *Connector) start(w http.ResponseWriter, r *http.Request) {
	state, verifier := randomToken(), oauth2.GenerateVerifier()
	if !c.remember(state, verifier) {
		page(w, http.StatusServiceUnavailable, "Too many connection attempts", "Try again in a few minutes.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: state, Path: connectPath, MaxAge: int(pendingTTL.Seconds()),
		HttpOnly: true, Secure: strings.HasPrefix(c.app.RedirectURL, "https://"), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, c.app.authURL(c.opt, state, verifier, loginHint(r)), http.StatusFound)
}

// loginHint pre-selects the account named in ?account=, as a link in an
// email to that person does.
func loginHint(r *http.Request) string {
	a := r.URL.Query().Get("account")
	if len(a) > 254 {
		return ""
	}
	if addr, err := mail.ParseAddress(a); err == nil && addr.Name == "" {
		return addr.Address
	}
	return ""
}

func (c *Connector) remember(state, verifier string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.opt.Now()
	for s, p := range c.pending {
		if now.After(p.expires) {
			delete(c.pending, s)
		}
	}
	if len(c.pending) >= maxPending {
		return false
	}
	c.pending[state] = pendingAuth{verifier: verifier, expires: now.Add(pendingTTL)}
	return true
}

// take ends an attempt: its verifier, whether it was started here, and
// whether it is still young enough.
func (c *Connector) take(state string) (p pendingAuth, found, fresh bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, found = c.pending[state]
	delete(c.pending, state)
	return p, found, found && !c.opt.Now().After(p.expires)
}

func (c *Connector) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		page(w, http.StatusForbidden, "Google did not grant access", "Google answered "+e+". Open "+connectPath+" to try again.")
		return
	}
	state, code := q.Get("state"), q.Get("code")
	if code == "" {
		page(w, http.StatusBadRequest, "No code", "This page is where Google sends you back after you allowed access. Open "+connectPath+" to start.")
		return
	}
	cookie, _ := r.Cookie(stateCookie)
	p, found, fresh := c.take(state)
	switch {
	case !found:
		// Not started here: `oneonone connect google` holds the verifier.
		page(w, http.StatusOK, "Paste this code into the terminal", code)
		return
	case cookie == nil || subtle.ConstantTimeCompare([]byte(cookie.Value), []byte(state)) != 1:
		page(w, http.StatusBadRequest, "Started in another browser", "Open "+connectPath+" again in this browser.")
		return
	case !fresh:
		page(w, http.StatusBadRequest, "This attempt expired", "Open "+connectPath+" again.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Path: connectPath, MaxAge: -1})
	account, err := finish(r.Context(), c.app, c.store, c.opt, code, p.verifier)
	if err != nil {
		// The details go to the log, for the admin.
		c.opt.Log.Warn("google: connect failed", "err", err)
		page(w, http.StatusBadGateway, "Connecting failed", "Google did not complete the connection. Open "+connectPath+" to try again; if it fails again, the daemon's log says why.")
		return
	}
	c.opt.Log.Info("google: account connected", "google_account", account)
	if c.OnConnect != nil {
		c.OnConnect(account)
	}
	page(w, http.StatusOK, "Connected "+account, "oneonone reads this account's calendar from now on. You can close this page.")
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 2em auto; padding: 0 1em">
<h1 style="font-size: 1.4em">{{.Title}}</h1>
{{if .Body}}<p style="word-break: break-all">{{.Body}}</p>{{end}}
</body></html>
`))

func page(w http.ResponseWriter, status int, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	pageTemplate.Execute(w, struct{ Title, Body string }{title, body})
}
