package googletest

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/oauth2"
)

// authorize follows the consent endpoint's redirect without following it
// further, and returns the query it sent back to the client.
func authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("consent endpoint answered %s", resp.Status)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Host != "app.example" {
		t.Fatalf("redirected to %q", resp.Header.Get("Location"))
	}
	return loc.Query()
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	srv, _, _ := setup(t)
	srv.SetOAuthClient("cid", "cs")
	conf := &oauth2.Config{ClientID: "cid", ClientSecret: "cs", RedirectURL: "https://app.example/cb",
		Scopes:   []string{"https://www.googleapis.com/auth/calendar.events"},
		Endpoint: oauth2.Endpoint{AuthURL: srv.AuthURL(), TokenURL: srv.TokenURL()}}
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL("st", oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier))

	if q := authorize(t, authURL); q.Get("error") != "access_denied" || q.Get("state") != "st" {
		t.Errorf("without consent: %v", q)
	}
	srv.SetConsent(ada)
	q := authorize(t, authURL)
	if q.Get("code") == "" || q.Get("state") != "st" {
		t.Fatalf("with consent: %v", q)
	}
	_, err := conf.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption("wrong-verifier-wrong-verifier-wrong-verifier"))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Errorf("wrong verifier: %v", err)
	}
	q = authorize(t, authURL) // the failed exchange used the code up
	tok, err := conf.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("exchange: %v, %+v", err, tok)
	}
	if _, err := conf.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(verifier)); err == nil {
		t.Error("a code was exchanged twice")
	}
	if _, err := clientService(t, srv, conf.Client(t.Context(), tok)).Events.List("primary").Do(); err != nil {
		t.Errorf("API call with the new token: %v", err)
	}
	issued := srv.IssuedTokens()
	if last := issued[len(issued)-1]; last.Subject != ada || last.Grant != GrantAuthorizationCode {
		t.Errorf("issued %+v", last)
	}
}

func TestRefreshTokenRotation(t *testing.T) {
	srv, _, _ := setup(t)
	srv.AddRefreshToken("rt-1", ada)
	srv.SetRefreshTokenRotation(true)
	conf := &oauth2.Config{Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL(), AuthStyle: oauth2.AuthStyleInParams}}
	tok, err := conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: "rt-1"}).Token()
	if err != nil || tok.RefreshToken == "rt-1" || tok.RefreshToken == "" {
		t.Fatalf("rotation: %v, refresh token %q", err, tok.RefreshToken)
	}
	_, err = conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: "rt-1"}).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Errorf("the rotated-out token still works: %v", err)
	}
	if _, err := conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err != nil {
		t.Errorf("the new token: %v", err)
	}
}
