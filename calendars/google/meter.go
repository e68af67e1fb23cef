package google

import (
	"context"
	"fmt"
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

// maxBody bounds one response: a page of events.list holds at most 2,500
// events, each bounded by Google; anything longer is not Google's.
const maxBody = 256 << 20

func (t *meterTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	m := meterFrom(r.Context())
	if m != nil {
		m.requests.Add(1)
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil || resp.Body == nil {
		return resp, err
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: maxBody}
	if m != nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &m.bytes}
	}
	return resp, err
}

// limitedBody fails a read past its limit instead of holding whatever a
// server sends.
type limitedBody struct {
	io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		switch n, err := b.ReadCloser.Read(one[:]); {
		case n == 0 && err != nil:
			return 0, err // exactly at the limit: the end, or the transport's error
		case n == 0:
			return 0, nil
		}
		return 0, fmt.Errorf("google: response larger than %d bytes", maxBody)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
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
