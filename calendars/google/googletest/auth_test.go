package googletest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/jwt"
	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"
)

func clientService(t *testing.T, srv *Server, c *http.Client) *calendar.Service {
	t.Helper()
	svc, err := calendar.NewService(context.Background(),
		option.WithEndpoint(srv.Endpoint()), option.WithHTTPClient(c))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func jwtConfig(t *testing.T, srv *Server, subject string) *jwt.Config {
	var key struct {
		PrivateKey   string `json:"private_key"`
		PrivateKeyID string `json:"private_key_id"`
		ClientEmail  string `json:"client_email"`
		TokenURI     string `json:"token_uri"`
	}
	if err := json.Unmarshal(srv.ServiceAccountKey(), &key); err != nil {
		t.Fatal(err)
	}
	return &jwt.Config{Email: key.ClientEmail, PrivateKey: []byte(key.PrivateKey), PrivateKeyID: key.PrivateKeyID,
		Scopes: []string{calendar.CalendarScope}, TokenURL: key.TokenURI, Subject: subject}
}

func TestServiceAccountGrant(t *testing.T) {
	srv, _, _ := setup(t)
	svc := clientService(t, srv, jwtConfig(t, srv, ada).Client(t.Context()))
	if _, err := svc.Events.List("primary").Do(); err != nil {
		t.Fatal(err)
	}
	toks := srv.IssuedTokens()
	if len(toks) != 2 || toks[1].Grant != GrantJWTBearer || toks[1].Subject != ada {
		t.Errorf("issued tokens %+v", toks)
	}
	srv.RejectSubject(grace)
	_, err := jwtConfig(t, srv, grace).TokenSource(t.Context()).Token()
	// x/oauth2/jwt does not parse the error code into RetrieveError.ErrorCode
	// (the three-legged flow does); it is in the body.
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response.StatusCode != 400 || !strings.Contains(string(re.Body), `"invalid_grant"`) {
		t.Errorf("rejected subject: %v", err)
	}
}

func TestRefreshTokenGrantAndRevocation(t *testing.T) {
	srv, _, clk := setup(t)
	srv.AddRefreshToken("rt-ada", ada)
	srv.SetOAuthClient("cid", "cs")
	wrong := &oauth2.Config{ClientID: "cid", ClientSecret: "nope",
		Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL(), AuthStyle: oauth2.AuthStyleInParams}}
	_, err := wrong.TokenSource(t.Context(), &oauth2.Token{RefreshToken: "rt-ada"}).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_client" {
		t.Errorf("wrong client secret: %v", err)
	}
	conf := &oauth2.Config{ClientID: "cid", ClientSecret: "cs",
		Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL(), AuthStyle: oauth2.AuthStyleInParams}}
	svc := clientService(t, srv, conf.Client(t.Context(), &oauth2.Token{RefreshToken: "rt-ada"}))
	if _, err := svc.Events.List("primary").Do(); err != nil {
		t.Fatal(err)
	}
	srv.RevokeRefreshToken("rt-ada")
	_, err = svc.Events.List("primary").Do() // the cached access token was revoked too
	if e := wantErr(t, err, 401); reason(e) != "authError" {
		t.Errorf("reason %q", reason(e))
	}
	_, err = conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: "rt-ada"}).Token()
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Errorf("revoked refresh token: %v", err)
	}
	_, err = conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: "never-issued"}).Token()
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Errorf("unknown refresh token: %v", err)
	}
	// Access tokens expire an hour after they were issued, by the fake's clock.
	svc = service(t, srv, ada)
	clk.Set(clk.Now().Add(2 * time.Hour))
	_, err = svc.Events.List("primary").Do()
	wantErr(t, err, 401)
}

func TestNoCredentialsIs401(t *testing.T) {
	srv, _, _ := setup(t)
	srv.AddRefreshToken("rt", ada)
	srv.FailNext("token", 503, "", "3")
	conf := &oauth2.Config{Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL(), AuthStyle: oauth2.AuthStyleInParams}}
	_, err := conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: "rt"}).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response.StatusCode != 503 || re.Response.Header.Get("Retry-After") != "3" {
		t.Errorf("injected token endpoint failure: %v", err)
	}
	_, err = clientService(t, srv, http.DefaultClient).Events.List(ada).Do()
	if e := wantErr(t, err, 401); reason(e) != "required" {
		t.Errorf("reason %q", reason(e))
	}
}
