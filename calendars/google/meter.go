package google

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
)

// meter counts the API requests and response bytes of one operation (a
// Changes call), whatever retries and pages it takes. Token requests do
// not go through it.
type meter struct {
	requests atomic.Int64
	bytes    atomic.Int64
}

type meterKey struct{}

func withMeter(ctx context.Context, m *meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

func meterFrom(ctx context.Context) *meter {
	m, _ := ctx.Value(meterKey{}).(*meter)
	return m
}

type meterTransport struct{ base http.RoundTripper }

func (t *meterTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	m := meterFrom(r.Context())
	if m == nil {
		return t.base.RoundTrip(r)
	}
	m.requests.Add(1)
	resp, err := t.base.RoundTrip(r)
	if err == nil && resp.Body != nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &m.bytes}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}
