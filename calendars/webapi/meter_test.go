package webapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestResponseBodyIsBounded: a body longer than the limit fails the read
// once the limit is reached, naming the adapter, instead of being held
// whole.
func TestResponseBodyIsBounded(t *testing.T) {
	b := &limitedBody{ReadCloser: io.NopCloser(bytes.NewReader(make([]byte, 100))), max: 10, name: "google"}
	data, err := io.ReadAll(b)
	if len(data) != 10 || err == nil || !strings.Contains(err.Error(), "google: response larger than 10 bytes") {
		t.Errorf("read %d bytes, err %v; want 10 and an error naming the limit", len(data), err)
	}
	b = &limitedBody{ReadCloser: io.NopCloser(bytes.NewReader(make([]byte, 10))), max: 10, name: "google"}
	if data, err := io.ReadAll(b); len(data) != 10 || err != nil {
		t.Errorf("a body of exactly the limit: %d bytes, err %v; want all of it", len(data), err)
	}
}

// TestMeterCountsRequestsAndBytes: the requests sent with a metered
// context are counted with their body bytes; others are not.
func TestMeterCountsRequestsAndBytes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "twelve bytes")
	}))
	defer srv.Close()
	hc := &http.Client{Transport: &MeterTransport{Base: http.DefaultTransport, MaxBody: 1 << 20, Name: "test"}}
	m := &Meter{}
	get := func(ctx context.Context) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	get(WithMeter(t.Context(), m))
	get(WithMeter(t.Context(), m))
	get(t.Context())
	if m.Requests.Load() != 2 || m.Bytes.Load() != 24 {
		t.Errorf("counted %d requests, %d bytes; want 2 and 24", m.Requests.Load(), m.Bytes.Load())
	}
}
