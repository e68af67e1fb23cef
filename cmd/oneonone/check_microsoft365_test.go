package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/microsoft365/graphtest"
)

// check contacts Microsoft 365 the way a sync would: a token for the app,
// then a read of the mailbox's calendar. A wrong secret, an unknown
// tenant or app, a missing permission, an unknown mailbox and an endpoint
// that does not answer are each reported with what to do (exit 1).
func TestCheckMicrosoft365(t *testing.T) {
	g := graphtest.New()
	t.Cleanup(g.Close)
	g.AddTenant("contoso.onmicrosoft.com")
	g.AddApp("contoso.onmicrosoft.com", "app-rw", "right", graphtest.CalendarsReadWrite)
	g.AddApp("contoso.onmicrosoft.com", "app-none", "right")
	g.AddMailbox("contoso.onmicrosoft.com", "grace@contoso.com", "Grace")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "secrets.key"), bytes.Repeat([]byte("k"), 32), 0o400)
	for _, s := range []string{"right", "wrong"} {
		os.WriteFile(filepath.Join(dir, s), []byte(s+"\n"), 0o600)
	}
	calendar := func(user, tenant, app, secret, endpoint, login string) string {
		return fmt.Sprintf("state_dir = %q\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"o@example.com\"\nmaildir = %q\n"+
			"[[calendar]]\nname = \"cal\"\ntype = \"microsoft365\"\nuser = %q\ntenant = %q\nclient_id = %q\nclient_secret_file = %q\n"+
			"endpoint = %q\nlogin_endpoint = %q\n",
			dir, filepath.Join(dir, "mail"), user, tenant, app, filepath.Join(dir, secret), endpoint, login)
	}
	graph, login := g.GraphEndpoint(), g.LoginEndpoint()+"/"
	for _, tc := range []struct {
		name, config string
		code         int
		want         []string
	}{
		{"reachable", calendar("grace@contoso.com", "contoso.onmicrosoft.com", "app-rw", "right", strings.TrimSuffix(graph, "/"), login), 0,
			[]string{"calendar cal (grace@contoso.com): ok"}},
		{"wrong secret", calendar("grace@contoso.com", "contoso.onmicrosoft.com", "app-rw", "wrong", graph, login), 1,
			[]string{"AADSTS7000215", "put its value (not its id) in client_secret_file"}},
		{"unknown tenant", calendar("grace@contoso.com", "fabrikam.onmicrosoft.com", "app-rw", "right", graph, login), 1,
			[]string{"AADSTS90002", "check tenant"}},
		{"unknown app", calendar("grace@contoso.com", "contoso.onmicrosoft.com", "app-gone", "right", graph, login), 1,
			[]string{"AADSTS700016", "check client_id"}},
		{"no permission", calendar("grace@contoso.com", "contoso.onmicrosoft.com", "app-none", "right", graph, login), 1,
			[]string{"Calendars.ReadWrite with admin consent"}},
		{"unknown mailbox", calendar("nobody@contoso.com", "contoso.onmicrosoft.com", "app-rw", "right", graph, login), 1,
			[]string{"no mailbox nobody@contoso.com", "check user"}},
		{"unreachable", calendar("grace@contoso.com", "contoso.onmicrosoft.com", "app-rw", "right", closedURL(t)+"/v1.0/", closedURL(t)), 1,
			[]string{"cannot reach", "check endpoint, login_endpoint"}},
	} {
		file := filepath.Join(dir, "oneonone.toml")
		os.WriteFile(file, []byte(tc.config), 0o600)
		out, errOut, code := runCmd(t, time.Now(), nil, "check", "--config", file)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", tc.name, code, tc.code, out, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q\n%s%s", tc.name, w, out, errOut)
			}
		}
	}
}
