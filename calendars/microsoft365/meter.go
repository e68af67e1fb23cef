package microsoft365

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
)

// meter counts the requests and response bytes of one feed read.
type meter struct {
	requests atomic.Int64
	bytes    atomic.Int64
}

type meterKey struct{}

func withMeter(ctx context.Context, m *meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

// maxBody bounds one response: a page of maxpagesize events with HTML
// bodies stays far below it.
const maxBody = 64 << 20

// meterTransport counts what goes through it and cuts a response that
// grows past maxBody.
type meterTransport struct{ base http.RoundTripper }

func (t *meterTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	m, _ := r.Context().Value(meterKey{}).(*meter)
	if m != nil {
		m.requests.Add(1)
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil || resp.Body == nil {
		return resp, err
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: maxBody, n: m}
	return resp, nil
}

type limitedBody struct {
	io.ReadCloser
	left int64
	n    *meter
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, err := b.ReadCloser.Read(one[:]); n == 0 {
			return 0, err
		}
		return 0, fmt.Errorf("microsoft365: response larger than %d bytes", maxBody)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.n != nil {
		b.n.bytes.Add(int64(n))
	}
	return n, err
}
