package seal

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealOpens(t *testing.T) {
	s, err := New(bytes.Repeat([]byte{1}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Seal([]byte("refresh token"), []byte("row 1"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Seal([]byte("refresh token"), []byte("row 1"))
	if bytes.Equal(a, b) || bytes.Contains(a, []byte("refresh")) {
		t.Errorf("two seals of one text: %x, %x; want different and unreadable", a, b)
	}
	if got, err := s.Open(a, []byte("row 1")); err != nil || string(got) != "refresh token" {
		t.Errorf("open: %q, %v", got, err)
	}
}

func TestOpenRefuses(t *testing.T) {
	s, _ := New(bytes.Repeat([]byte{1}, KeySize))
	other, _ := New(bytes.Repeat([]byte{2}, KeySize))
	sealed, _ := s.Seal([]byte("text"), []byte("row 1"))
	altered := append([]byte(nil), sealed...)
	altered[len(altered)-1] ^= 1
	for name, c := range map[string]struct {
		s      *Sealer
		sealed []byte
		ad     string
		want   error
	}{
		"another row": {s, sealed, "row 2", ErrOpen},
		"another key": {other, sealed, "row 1", ErrOpen},
		"altered":     {s, altered, "row 1", ErrOpen},
		"truncated":   {s, sealed[:10], "row 1", ErrShort},
	} {
		if got, err := c.s.Open(c.sealed, []byte(c.ad)); !errors.Is(err, c.want) || got != nil {
			t.Errorf("%s: %q, %v; want %v", name, got, err, c.want)
		}
	}
}

func TestKeyMustBe32Bytes(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("a %d-byte key was accepted", n)
		}
	}
}

func TestKeyCheckNamesTheKey(t *testing.T) {
	a, _ := New(bytes.Repeat([]byte{1}, KeySize))
	b, _ := New(bytes.Repeat([]byte{2}, KeySize))
	if a.KeyCheck("label") == b.KeyCheck("label") || a.KeyCheck("label") == a.KeyCheck("other") {
		t.Error("key checks do not tell keys or labels apart")
	}
}
