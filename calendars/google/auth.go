package google

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/oauth2"
	googleoauth "golang.org/x/oauth2/google"
)

// tokenCache holds the current access token. Unlike oauth2's
// ReuseTokenSource it can be told to forget a token that Google refused
// before its expiry (a revoked grant answers 401 until then).
type tokenCache struct {
	mu    sync.Mutex
	tok   *oauth2.Token
	fetch func(ctx context.Context) (*oauth2.Token, error)
}

func (c *tokenCache) token(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok.Valid() {
		return c.tok, nil
	}
	tok, err := c.fetch(ctx)
	if err != nil {
		return nil, err
	}
	c.tok = tok
	return tok, nil
}

func (c *tokenCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tok = nil
}

// tokenContext makes x/oauth2 send token requests through opt.HTTPClient.
func tokenContext(ctx context.Context, opt Options) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, opt.HTTPClient)
}

// NewServiceAccount acts as subject through a service account with
// domain-wide delegation. key is the JSON key file; its token_uri is
// where tokens are requested.
func NewServiceAccount(ctx context.Context, key []byte, subject string, opt Options) (*Client, error) {
	opt = opt.withDefaults()
	if subject == "" {
		return nil, errors.New("google: a service account needs a subject, the user whose calendar it acts on")
	}
	conf, err := googleoauth.JWTConfigFromJSON(key, opt.Scopes...)
	if err != nil {
		return nil, fmt.Errorf("google: service account key: %w", err)
	}
	conf.Subject = subject
	fetch := func(ctx context.Context) (*oauth2.Token, error) {
		tok, err := conf.TokenSource(tokenContext(ctx, opt)).Token()
		if detail, refused := grantRefused(err); refused {
			return nil, &ReconnectError{Account: subject, ServiceAccount: true, Detail: detail}
		}
		if err != nil {
			return nil, fmt.Errorf("google: token for %s: %w", subject, err)
		}
		return tok, nil
	}
	return newClient(ctx, subject, &tokenCache{fetch: fetch}, opt)
}

// NewUser acts as account with the refresh token that account stored by
// connecting (ConnectCLI or the /connect/google page). A refresh token
// that Google replaces is stored again at once.
func NewUser(ctx context.Context, app OAuthApp, store Tokens, account string, opt Options) (*Client, error) {
	opt = opt.withDefaults()
	if store == nil {
		return nil, errors.New("google: a connected account needs the token store")
	}
	account = NormalizeAccount(account)
	u := &userSource{app: app, store: store, account: account, opt: opt}
	return newClient(ctx, account, &tokenCache{fetch: u.fetch}, opt)
}

// userSource refreshes a user's access token from the stored grant.
type userSource struct {
	app     OAuthApp
	store   Tokens
	account string
	opt     Options
	unsaved string // a new refresh token whose saving failed
}

func (u *userSource) fetch(ctx context.Context) (*oauth2.Token, error) {
	rt := u.unsaved
	if rt == "" {
		var err error
		if rt, err = u.store.Load(ctx, u.account); errors.Is(err, ErrNoToken) {
			return nil, u.reconnect("no grant stored")
		} else if err != nil {
			return nil, err
		}
	}
	conf := u.app.config(u.opt)
	tok, err := conf.TokenSource(tokenContext(ctx, u.opt), &oauth2.Token{RefreshToken: rt}).Token()
	if detail, refused := grantRefused(err); refused {
		return nil, u.reconnect(detail)
	}
	if err != nil {
		return nil, fmt.Errorf("google: token for %s: %w", u.account, err)
	}
	if tok.RefreshToken != "" && (tok.RefreshToken != rt || u.unsaved != "") {
		u.save(ctx, tok.RefreshToken)
	}
	return tok, nil
}

// save stores a new refresh token. When that fails the token is kept in
// memory and saving is tried again at the next refresh: Google may have
// invalidated the old one already.
func (u *userSource) save(ctx context.Context, rt string) {
	if err := u.store.Save(ctx, u.account, rt); err != nil {
		u.unsaved = rt
		u.opt.Log.Error("google: storing the refreshed grant failed; keeping it in memory", "google_account", u.account, "err", err)
		return
	}
	u.unsaved = ""
}

func (u *userSource) reconnect(detail string) error {
	return &ReconnectError{Account: u.account, ConnectURL: u.opt.ConnectURL, Detail: detail}
}

// NormalizeAccount is the form an account (an email address) is kept
// and compared in.
func NormalizeAccount(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
