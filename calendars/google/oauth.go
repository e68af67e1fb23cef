package google

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"
	googleoauth "golang.org/x/oauth2/google"
	"google.golang.org/api/calendar/v3"
)

// OAuthApp is the OAuth client ([google] client_id, client_secret) that
// users grant access to when they connect their own account.
type OAuthApp struct {
	ClientID, ClientSecret string
	// RedirectURL is <public_url>/connect/google/callback, as registered
	// with the client in the Google Cloud console.
	RedirectURL string
	// AuthURL and TokenURL replace Google's endpoints (tests, proxies).
	AuthURL, TokenURL string
}

func (a OAuthApp) config(opt Options) *oauth2.Config {
	ep := googleoauth.Endpoint
	if a.AuthURL != "" {
		ep.AuthURL = a.AuthURL
	}
	if a.TokenURL != "" {
		ep.TokenURL = a.TokenURL
	}
	ep.AuthStyle = oauth2.AuthStyleInParams
	scopes := slices.Clone(opt.withDefaults().Scopes)
	if !slices.Contains(scopes, calendar.CalendarCalendarlistReadonlyScope) {
		// To learn which account was connected: its primary calendar's id.
		scopes = append(scopes, calendar.CalendarCalendarlistReadonlyScope)
	}
	return &oauth2.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, RedirectURL: a.RedirectURL,
		Endpoint: ep, Scopes: scopes}
}

// authURL is the consent page for one attempt: offline access (a refresh
// token), the consent screen forced so that Google sends the refresh
// token again on a reconnect, and a PKCE S256 challenge.
func (a OAuthApp) authURL(opt Options, state, verifier, loginHint string) string {
	opts := []oauth2.AuthCodeOption{oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier)}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", loginHint))
	}
	return a.config(opt).AuthCodeURL(state, opts...)
}

// finish exchanges a code for a grant, learns the account it belongs to,
// and stores the refresh token.
func finish(ctx context.Context, app OAuthApp, store Tokens, opt Options, code, verifier string) (string, error) {
	opt = opt.withDefaults()
	tok, err := app.config(opt).Exchange(tokenContext(ctx, opt), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return "", fmt.Errorf("google: connect: exchanging the code: %w", err)
	}
	if tok.RefreshToken == "" {
		return "", errors.New("google: connect: Google sent no refresh token; remove oneonone's access in the Google account's security settings and connect again")
	}
	account, err := accountOf(ctx, tok, opt)
	if err != nil {
		return "", err
	}
	if err := store.Save(ctx, account, tok.RefreshToken); err != nil {
		return "", err
	}
	return account, nil
}

// accountOf is the email of the account a token acts as: the id of its
// primary calendar.
func accountOf(ctx context.Context, tok *oauth2.Token, opt Options) (string, error) {
	fixed := &tokenCache{tok: tok, fetch: func(context.Context) (*oauth2.Token, error) {
		return nil, errors.New("google: connect: the new access token expired")
	}}
	c, err := newClient(ctx, "", fixed, opt)
	if err != nil {
		return "", err
	}
	pageToken := ""
	for range 20 {
		var list *calendar.CalendarList
		err := c.do(ctx, func(ctx context.Context) error {
			var lerr error
			list, lerr = c.svc.CalendarList.List().PageToken(pageToken).Context(ctx).Do()
			return lerr
		})
		if err != nil {
			return "", fmt.Errorf("google: connect: finding the account's primary calendar: %w", err)
		}
		for _, e := range list.Items {
			if e.Primary {
				return NormalizeAccount(e.Id), nil
			}
		}
		if pageToken = list.NextPageToken; pageToken == "" {
			break
		}
	}
	return "", errors.New("google: connect: the account has no primary calendar")
}

// ConnectCLI is `oneonone connect google`: it prints the consent link,
// reads the code the user pastes (or the whole address the browser ended
// on), and stores the grant. It returns the connected account.
func ConnectCLI(ctx context.Context, w io.Writer, r io.Reader, app OAuthApp, store Tokens, opt Options) (string, error) {
	state, verifier := randomToken(), oauth2.GenerateVerifier()
	fmt.Fprintf(w, "Open this link in a browser, sign in with the Google account whose calendar oneonone should read, and allow access:\n\n  %s\n\n", app.authURL(opt, state, verifier, ""))
	fmt.Fprint(w, "Then paste the code the page shows, or the whole address it ended on: ")
	pasted, err := readLine(ctx, r)
	if err != nil {
		return "", fmt.Errorf("google: connect: reading the code: %w", err)
	}
	code, err := parsePasted(pasted, state)
	if err != nil {
		return "", err
	}
	account, err := finish(ctx, app, store, opt, code, verifier)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(w, "Connected %s.\n", account)
	return account, nil
}

func readLine(ctx context.Context, r io.Reader) (string, error) {
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := bufio.NewReader(r).ReadString('\n')
		if err == io.EOF && strings.TrimSpace(s) != "" {
			err = nil
		}
		done <- result{s, err}
	}()
	select {
	case res := <-done:
		return strings.TrimSpace(res.s), res.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// parsePasted takes a bare code or the callback address.
func parsePasted(s, state string) (string, error) {
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		if s == "" {
			return "", errors.New("google: connect: no code was pasted")
		}
		return s, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("google: connect: the pasted address: %w", err)
	}
	q := u.Query()
	switch {
	case q.Get("error") != "":
		return "", fmt.Errorf("google: connect: Google did not grant access: %s", q.Get("error"))
	case q.Get("state") != "" && q.Get("state") != state:
		return "", errors.New("google: connect: the pasted address belongs to another attempt; use the link printed above")
	case q.Get("code") == "":
		return "", errors.New("google: connect: the pasted address has no code")
	}
	return q.Get("code"), nil
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
