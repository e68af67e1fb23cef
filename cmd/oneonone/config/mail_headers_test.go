package config

import (
	"os"
	"path/filepath"
	"testing"
)

// The documented from, whose display name holds a colon, is quoted in
// the header; an unset reply_to stays empty.
func TestMailHeadersQuoteDisplayNames(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(file, []byte("state_dir = \""+dir+"\"\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"1:1 prep <oneonone@example.com>\"\nmaildir = \""+dir+"\"\n"), 0o600)
	cfg, err := LoadWith(file, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Mail.FromHeader(), `"1:1 prep" <oneonone@example.com>`; got != want {
		t.Errorf("FromHeader = %q, want %q", got, want)
	}
	if got := cfg.Mail.ReplyToHeader(); got != "" {
		t.Errorf("ReplyToHeader = %q, want empty", got)
	}
}
