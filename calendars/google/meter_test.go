package google

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestResponseBodyIsBounded: a body longer than maxBody fails the read
// once the limit is reached, instead of being held whole.
func TestResponseBodyIsBounded(t *testing.T) {
	b := &limitedBody{ReadCloser: io.NopCloser(bytes.NewReader(make([]byte, 100))), left: 10}
	data, err := io.ReadAll(b)
	if len(data) != 10 || err == nil || !strings.Contains(err.Error(), "response larger than") {
		t.Errorf("read %d bytes, err %v; want 10 and an error naming the limit", len(data), err)
	}
	b = &limitedBody{ReadCloser: io.NopCloser(bytes.NewReader(make([]byte, 10))), left: 10}
	if data, err := io.ReadAll(b); len(data) != 10 || err != nil {
		t.Errorf("a body of exactly the limit: %d bytes, err %v; want all of it", len(data), err)
	}
}
