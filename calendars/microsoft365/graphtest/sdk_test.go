package graphtest

// Proof that the fake speaks what Microsoft's own libraries expect: MSAL for
// Python (Debian's python3-msal) and, from npm, MSAL for Node with the
// Microsoft Graph SDK for TypeScript (testdata/sdk, installed by `npm ci`).

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requirePeer skips a test whose peer is missing, or fails it when
// ONEONONE_REQUIRE_PEERS=1 (CI), as the other peer harnesses do.
func requirePeer(t *testing.T, installed bool, what string) {
	t.Helper()
	if installed {
		return
	}
	if os.Getenv("ONEONONE_REQUIRE_PEERS") == "1" {
		t.Fatalf("%s (ONEONONE_REQUIRE_PEERS=1)", what)
	}
	t.Skip(what)
}

// tlsFixture is setup on a TLS fake (MSAL accepts only https authorities)
// with its certificate written to a file for the subprocess.
func tlsFixture(t *testing.T) (*Server, string, string) {
	t.Helper()
	srv := NewTLS()
	t.Cleanup(srv.Close)
	srv.AddTenant(domain)
	srv.AddApp(domain, clientID, secret, CalendarsReadWrite)
	for _, a := range []string{ada, grace} {
		srv.AddMailbox(domain, a, a[:1])
	}
	loc := berlin(t)
	uid := srv.CreateMeeting(Meeting{Organizer: ada, Attendees: []string{grace}, Subject: "Ada / Grace",
		Body: "<p>Ada's notes</p>", Start: time.Date(2026, 12, 8, 10, 0, 0, 0, loc),
		Duration: 30 * time.Minute, TimeZone: "W. Europe Standard Time",
		Recurrence: &Recurrence{Pattern: "weekly", Interval: 1}})
	ca := filepath.Join(t.TempDir(), "fake.pem")
	if err := os.WriteFile(ca, srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, uid, ca
}

func runJSON(t *testing.T, cmd *exec.Cmd) map[string]any {
	t.Helper()
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s: %v\n%s\n%s", cmd.Args[0], err, out, stderr)
	}
	var res map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("%s printed %q", cmd.Args[0], out)
	}
	return res
}

func TestMSALPythonGetsTokenFromFake(t *testing.T) {
	err := exec.Command("/usr/bin/python3", "-c", "import msal").Run()
	requirePeer(t, err == nil, "python3-msal is not installed (apt-get install python3-msal)")
	srv, _, ca := tlsFixture(t)
	msal := func(tenantName, sec string) map[string]any {
		cmd := exec.Command("/usr/bin/python3", "testdata/msal_token.py",
			srv.LoginEndpoint()+"/"+tenantName, clientID, sec, ca)
		// requests lets these variables override MSAL's verify argument.
		cmd.Env = append(os.Environ(), "REQUESTS_CA_BUNDLE="+ca, "CURL_CA_BUNDLE="+ca)
		return runJSON(t, cmd)
	}
	res := msal(domain, secret)
	if res["token_type"] != "Bearer" || res["access_token"] == nil || res["cached_same_token"] != true {
		t.Fatalf("MSAL result %v", res)
	}
	if toks := srv.IssuedTokens(); len(toks) != 1 || toks[0].AccessToken != res["access_token"] {
		t.Errorf("MSAL asked for %d tokens (want 1, the second from its cache)", len(toks))
	}
	res = msal(domain, "wrong")
	if res["error"] != "invalid_client" || !strings.HasPrefix(res["error_description"].(string), "AADSTS7000215") {
		t.Errorf("wrong secret through MSAL: %v", res)
	}
	res = msal("fabrikam.onmicrosoft.com", secret)
	if !strings.Contains(res["exception"].(string), "Unable to get authority configuration") {
		t.Errorf("unknown tenant through MSAL: %v", res)
	}
}

func TestGraphSDKReadsDeltaAndPatchesWithIfMatch(t *testing.T) {
	_, errNode := exec.LookPath("node")
	_, errMods := os.Stat("testdata/sdk/node_modules/@microsoft/msgraph-sdk-users")
	requirePeer(t, errNode == nil && errMods == nil,
		"node or the Graph SDK is missing (install Node 20, then npm ci in calendars/microsoft365/graphtest/testdata/sdk)")
	srv, uid, ca := tlsFixture(t)
	cmd := exec.Command("node", "proof.mjs", srv.LoginEndpoint(), srv.GraphEndpoint(), domain, clientID, secret,
		grace, "2026-12-07T00:00:00Z", "2027-01-04T00:00:00Z")
	cmd.Dir = "testdata/sdk"
	cmd.Env = append(os.Environ(), "NODE_EXTRA_CA_CERTS="+ca)
	res := runJSON(t, cmd)
	if res["exception"] != nil {
		t.Fatalf("SDK run failed: %v", res)
	}
	if w, _ := res["wrongSecret"].(string); !strings.HasPrefix(w, "invalid_client") || !strings.Contains(w, "AADSTS7000215") {
		t.Errorf("a wrong secret through MSAL for Node: %q", w)
	}
	events, _ := res["events"].([]any)
	types := map[string]int{}
	for _, e := range events {
		ev := e.(map[string]any)
		types[ev["type"].(string)]++
		if ev["type"] == "occurrence" && (ev["seriesMasterId"] == nil || ev["subject"] != nil || ev["timeZone"] != "UTC") {
			t.Errorf("occurrence as the SDK read it: %v", ev)
		}
	}
	if types["seriesMaster"] != 1 || types["occurrence"] != 4 || res["pages"] != 3.0 || res["idleEvents"] != 0.0 {
		t.Errorf("delta through the SDK: %v in %v pages, idle poll %v events", types, res["pages"], res["idleEvents"])
	}
	if res["readSubject"] != "Ada / Grace" || res["readEtag"] == nil || res["patchedType"] != "exception" {
		t.Errorf("read/patch through the SDK: %v", res)
	}
	if res["staleStatus"] != 412.0 {
		t.Errorf("stale If-Match through the SDK: status %v code %v", res["staleStatus"], res["staleCode"])
	}
	e, ok := srv.Event(grace, res["patchedId"].(string))
	if !ok || !strings.Contains(e.BodyHTML, "Agenda written by the Graph SDK") || e.ICalUID != uid {
		t.Errorf("Grace's copy after the SDK's PATCH: %+v", e)
	}
	if n := srv.GraphNotifications(); n != 0 {
		t.Errorf("the SDK's write to an attendee copy sent %d notifications", n)
	}
}
