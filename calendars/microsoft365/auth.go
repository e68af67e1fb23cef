package microsoft365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// graphScope asks for the application permissions granted to the app
// (Calendars.ReadWrite) in the client credentials flow.
const graphScope = "https://graph.microsoft.com/.default"

// tokenURL is {login}/{tenant}/oauth2/v2.0/token; login with or without
// a trailing slash.
func tokenURL(login, tenant string) string {
	if login == "" {
		login = DefaultLogin
	}
	return strings.TrimRight(login, "/") + "/" + tenant + "/oauth2/v2.0/token"
}

// tokens hands out the app's access token, fetched with the client
// credentials flow and reused until it expires; invalidate drops it after
// Graph answered 401.
type tokens struct {
	conf *clientcredentials.Config
	ctx  context.Context // carries the HTTP client for the token endpoint

	mu  sync.Mutex
	src oauth2.TokenSource
}

func newTokens(cfg Config, hc *http.Client) *tokens {
	conf := &clientcredentials.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		TokenURL: tokenURL(cfg.LoginEndpoint, cfg.Tenant), Scopes: []string{graphScope},
		AuthStyle: oauth2.AuthStyleInParams}
	return &tokens{conf: conf, ctx: context.WithValue(context.Background(), oauth2.HTTPClient, hc)}
}

func (t *tokens) token(ctx context.Context) (*oauth2.Token, error) {
	t.mu.Lock()
	if t.src == nil {
		t.src = t.conf.TokenSource(t.ctx)
	}
	src := t.src
	t.mu.Unlock()
	// The source's own context carries the HTTP client, whose timeout
	// bounds the request; ctx is checked before asking.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tok, err := src.Token()
	if err != nil {
		return nil, tokenError(err, t.conf.TokenURL)
	}
	return tok, nil
}

func (t *tokens) invalidate() {
	t.mu.Lock()
	t.src = nil
	t.mu.Unlock()
}

// CredentialsError says what the token endpoint refused and what to do.
type CredentialsError struct {
	Code   string // "AADSTS7000215", or the OAuth error code
	Advice string
	Detail string // what the endpoint said
}

func (e *CredentialsError) Error() string {
	return fmt.Sprintf("microsoft365: token refused (%s): %s", e.Detail, e.Advice)
}

// Is makes errors.Is(err, ErrCredentials) true.
func (e *CredentialsError) Is(target error) bool { return target == ErrCredentials }

// aadsts maps the AADSTS codes of a refused client credentials request
// to what an administrator should do.
var aadsts = map[string]string{
	"AADSTS7000215": "the client secret is wrong or was deleted: create a new secret for the app registration and put its value (not its id) in client_secret_file",
	"AADSTS7000222": "the client secret has expired: create a new secret for the app registration and put it in client_secret_file",
	"AADSTS90002":   "the tenant was not found: check tenant (the directory id, or a domain such as contoso.onmicrosoft.com) and login_endpoint for national clouds",
	"AADSTS900023":  "the tenant is not a valid tenant id or domain: check tenant",
	"AADSTS700016":  "no app with this client_id exists in the tenant: check client_id and tenant",
	"AADSTS7000112": "the app registration is disabled: enable it in Microsoft Entra admin center",
	"AADSTS65001":   "the app lacks admin consent: grant admin consent for the application permission Calendars.ReadWrite",
	"AADSTS50079":   "the tenant's policy refuses the app: check conditional access for the app",
}

var aadstsCode = regexp.MustCompile(`AADSTS[0-9]+`)

// tokenError turns a token endpoint failure into a *CredentialsError when
// it refused the credentials; other failures (unreachable, 5xx) are
// returned wrapped and are retried.
func tokenError(err error, url string) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return fmt.Errorf("microsoft365: token endpoint %s: %w", url, err)
	}
	if re.Response != nil && (re.Response.StatusCode == http.StatusTooManyRequests || re.Response.StatusCode >= 500) {
		return fmt.Errorf("microsoft365: token endpoint %s: %w", url, err)
	}
	desc := re.ErrorDescription
	if desc == "" {
		var body struct {
			Desc string `json:"error_description"`
		}
		if json.Unmarshal(re.Body, &body) == nil {
			desc = body.Desc
		}
	}
	code := aadstsCode.FindString(desc)
	if code == "" {
		code = re.ErrorCode
	}
	advice, ok := aadsts[code]
	if !ok {
		advice = "check tenant, client_id and client_secret_file against the app registration"
	}
	detail := firstLine(desc)
	if detail == "" {
		detail = fmt.Sprintf("%s, status %d", re.ErrorCode, statusOf(re))
	}
	return &CredentialsError{Code: code, Advice: advice, Detail: detail}
}

func statusOf(re *oauth2.RetrieveError) int {
	if re.Response == nil {
		return 0
	}
	return re.Response.StatusCode
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(strings.TrimSuffix(s, "\r"))
}
