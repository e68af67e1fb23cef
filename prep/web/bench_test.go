package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/prep"
)

// staticService answers every call from one form without locks or
// records, so that benchmarks measure the pages and not the fake.
type staticService struct{ form prep.Form }

func (s staticService) Open(ctx context.Context, token string) (prep.Form, error) {
	if token != testToken {
		return prep.Form{}, prep.ErrUnknownLink
	}
	return s.form, nil
}

func (s staticService) Save(ctx context.Context, token string, answers map[string]string) (prep.Form, error) {
	return s.Open(ctx, token)
}

func (s staticService) Pause(ctx context.Context, token string) error  { return nil }
func (s staticService) Resume(ctx context.Context, token string) error { return nil }

func benchHandler(b *testing.B) http.Handler {
	s, err := newServer(staticService{form: sampleForm()}, Options{PublicURL: testPublic})
	if err != nil {
		b.Fatal(err)
	}
	return s.handler()
}

var benchAnswers = url.Values{
	"a.topics":   {"The release plan\r\nand hiring, and what we do about the on-call rota"},
	"a.blockers": {"A reviewer for the migration doc"},
	"a.mood":     {"4"},
}.Encode()

// BenchmarkFormGET renders the form: in the handler alone, and through a
// loopback connection with a real client.
func BenchmarkFormGET(b *testing.B) {
	h := benchHandler(b)
	b.Run("handler", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if w := do(h, "GET", "/p/"+testToken, ""); w.Code != http.StatusOK {
					b.Fatalf("GET: %d", w.Code)
				}
			}
		})
	})
	b.Run("loopback", func(b *testing.B) {
		srv, client := loopback(b, h)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := getForm(client, srv.URL); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkFormPOST saves a form of three answers and gets the redirect.
func BenchmarkFormPOST(b *testing.B) {
	h := benchHandler(b)
	b.Run("handler", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if w := do(h, "POST", "/p/"+testToken, benchAnswers); w.Code != http.StatusSeeOther {
					b.Fatalf("POST: %d", w.Code)
				}
			}
		})
	})
	b.Run("loopback", func(b *testing.B) {
		srv, client := loopback(b, h)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := postForm(client, srv.URL); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// loopback serves h on 127.0.0.1 and returns a client that keeps
// connections and does not follow redirects.
func loopback(tb testing.TB, h http.Handler) (*httptest.Server, *http.Client) {
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConns: 1000, MaxIdleConnsPerHost: 1000}
	tb.Cleanup(tr.CloseIdleConnections)
	return srv, &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

func getForm(c *http.Client, base string) error {
	return expect(c, mustRequest("GET", base+"/p/"+testToken, ""), http.StatusOK)
}

func postForm(c *http.Client, base string) error {
	return expect(c, mustRequest("POST", base+"/p/"+testToken, benchAnswers), http.StatusSeeOther)
}

func mustRequest(method, target, body string) *http.Request {
	r, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	return r
}

func expect(c *http.Client, r *http.Request, code int) error {
	resp, err := c.Do(r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != code {
		return &statusError{got: resp.StatusCode, want: code}
	}
	return nil
}

type statusError struct{ got, want int }

func (e *statusError) Error() string {
	return "status " + http.StatusText(e.got) + ", want " + http.StatusText(e.want)
}
