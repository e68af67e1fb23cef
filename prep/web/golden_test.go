package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the pages as rendered now")

// The pages, status line and headers included, as golden files. The clock
// is fixed and the stylesheet is allowed by its hash, so every byte is
// reproducible. Run `go test ./prep/web -run Golden -update` after a
// deliberate change and read the diff.
func TestGoldenPages(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(*fakeService)
		method string
		path   string
		body   string
	}{
		{"form", nil, "GET", "/p/" + testToken + "?n=saved", ""},
		{"form-refused", nil, "POST", "/p/" + testToken, "a.topics=Roadmap&a.blockers=&a.mood=7"},
		{"readonly", func(f *fakeService) {
			f.setReadOnly("Grace Hopper:\n- The release plan\n  and hiring\n\nAda Lovelace:\n- Conference talk <draft>")
			f.form.Answers["mood"] = "4"
		}, "GET", "/p/" + testToken, ""},
		{"pause", nil, "GET", "/p/" + testToken + "/pause", ""},
		{"pause-done", func(f *fakeService) { f.form.Paused = true }, "GET", "/p/" + testToken + "/pause?n=paused", ""},
		{"pause-expired", nil, "GET", "/p/" + expiredToken + "/pause", ""},
		{"resume", func(f *fakeService) { f.form.Paused = true }, "GET", "/p/" + testToken + "/resume", ""},
		{"unsubscribe", nil, "POST", "/p/" + testToken + "/unsubscribe", "List-Unsubscribe=One-Click"},
		{"error-unknown", nil, "GET", "/p/no-such-link", ""},
		{"error-expired", nil, "GET", "/p/" + expiredToken, ""},
		{"error-locked", func(f *fakeService) { f.form.Editable = false }, "POST", "/p/" + testToken, "a.topics=Too+late%0D%0Afor+this&a.mood=2"},
		{"error-cross-origin", nil, "POST", "/p/" + testToken + "|cross", "a.topics=x"},
		{"error-rate-limited", nil, "GET", "/p/guess|limited", ""},
		{"error-internal", func(f *fakeService) { f.openErr = errTest }, "GET", "/p/" + testToken, ""},
		{"error-not-found", nil, "GET", "/favicon.ico", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newFake()
			if c.setup != nil {
				c.setup(fake)
			}
			h := newTestServer(t, fake, func(o *Options) { o.RateLimit = RateLimit{PerMinute: 1, Burst: 1} })
			path, mode, _ := strings.Cut(c.path, "|")
			var w *httptest.ResponseRecorder
			switch mode {
			case "cross":
				w = do(h, c.method, path, c.body, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
			case "limited":
				do(h, c.method, path, c.body)
				w = do(h, c.method, path, c.body)
			default:
				w = do(h, c.method, path, c.body)
			}
			checkGolden(t, filepath.Join("testdata", c.name+".golden"), dump(w))
		})
	}
}

// dump is a response as a golden file holds it: status, headers sorted,
// then the body.
func dump(w *httptest.ResponseRecorder) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP %d %s\n", w.Code, http.StatusText(w.Code))
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range w.Header() {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		for _, v := range w.Header()[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(w.Body.Bytes())
	return b.Bytes()
}

func checkGolden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update and read the diff); got:\n%s", file, got)
	}
}

// The CSP's hash must be that of the <style> the pages carry, byte for
// byte, or browsers drop the stylesheet.
func TestStyleHashMatchesThePage(t *testing.T) {
	w := do(newTestServer(t, newFake()), "GET", "/p/"+testToken, "")
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatal("no <style>")
	}
	sum := sha256.Sum256([]byte(m[1]))
	want := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "style-src "+want) {
		t.Errorf("CSP %q, want style-src %s", csp, want)
	}
}
