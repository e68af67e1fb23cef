package webapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
)

// Meter counts the API requests and response bytes of one operation (a
// feed read), whatever retries and pages it takes.
type Meter struct {
	Requests atomic.Int64
	Bytes    atomic.Int64
}

type meterKey struct{}

// WithMeter makes the requests sent with ctx through a MeterTransport
// count in m.
func WithMeter(ctx context.Context, m *Meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

// MeterTransport counts each request and its response bytes in the
// Meter of its context, if any, and fails a response body that grows
// past MaxBody instead of holding whatever a server sends.
type MeterTransport struct {
	Base    http.RoundTripper
	MaxBody int64
	Name    string // the adapter, first word of the error
}

// Metered is hc (nil: http.DefaultClient) with its transport (nil:
// http.DefaultTransport) wrapped in a MeterTransport: same timeout.
func Metered(hc *http.Client, maxBody int64, name string) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{Transport: &MeterTransport{Base: base, MaxBody: maxBody, Name: name}, Timeout: hc.Timeout}
}

// RoundTrip sends r through Base.
func (t *MeterTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	m, _ := r.Context().Value(meterKey{}).(*Meter)
	if m != nil {
		m.Requests.Add(1)
	}
	resp, err := t.Base.RoundTrip(r)
	if err != nil || resp.Body == nil {
		return resp, err
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, max: t.MaxBody, name: t.Name}
	if m != nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &m.Bytes}
	}
	return resp, err
}

// limitedBody fails a read past max bytes.
type limitedBody struct {
	io.ReadCloser
	max, read int64
	name      string
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.read >= b.max {
		var one [1]byte
		switch n, err := b.ReadCloser.Read(one[:]); {
		case n == 0 && err != nil:
			return 0, err // exactly at the limit: the end, or the transport's error
		case n == 0:
			return 0, nil
		}
		return 0, fmt.Errorf("%s: response larger than %d bytes", b.name, b.max)
	}
	if int64(len(p)) > b.max-b.read {
		p = p[:b.max-b.read]
	}
	n, err := b.ReadCloser.Read(p)
	b.read += int64(n)
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
