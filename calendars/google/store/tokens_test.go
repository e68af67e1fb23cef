package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneonone/oneonone/calendars/google"
	"github.com/oneonone/oneonone/sync/db"
	"github.com/oneonone/oneonone/sync/db/dbtest"
)

const (
	grace    = "grace@example.com"
	secretRT = "1//refresh-token-that-must-never-be-stored-in-clear"
)

func openDB(t *testing.T) (*TokenStore, string) {
	t.Helper()
	dir := t.TempDir()
	d, err := db.Open(context.Background(), filepath.Join(dir, "oneonone.db"), Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return tokenStore(t, d), dir
}

func tokenStore(t *testing.T, d *sql.DB) *TokenStore {
	t.Helper()
	store, err := NewTokenStore(d, []byte(strings.Repeat("k", KeySize)), nil)
	if err != nil {
		t.Fatal(err)
	}
	return store
}

func TestTokensAreStoredEncrypted(t *testing.T) {
	store, dir := openDB(t)
	if err := store.Save(t.Context(), "Grace@Example.com", secretRT); err != nil {
		t.Fatal(err)
	}
	got, err := store.Load(t.Context(), grace)
	if err != nil || got != secretRT {
		t.Fatalf("load: %q, %v", got, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "oneonone.db*")) // with the WAL
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("must-never-be-stored")) || bytes.Contains(data, []byte(base64.StdEncoding.EncodeToString([]byte(secretRT))[:20])) {
			t.Errorf("%s holds the refresh token in clear", filepath.Base(f))
		}
	}
	checkTokenStore(t, store)
}

// The same store on both dialects: saved tokens come back only with their
// key and their account, and delete removes them.
func TestTokenStoreOnBothDialects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, open dbtest.Opener) {
		store := tokenStore(t, open(t, Schema))
		if err := store.Save(t.Context(), "Grace@Example.com", secretRT); err != nil {
			t.Fatal(err)
		}
		if err := store.Save(t.Context(), grace, secretRT+"-2"); err != nil {
			t.Fatal(err)
		}
		if got, err := store.Load(t.Context(), grace); err != nil || got != secretRT+"-2" {
			t.Fatalf("load after the second save: %q, %v", got, err)
		}
		var clear int
		if err := store.db.QueryRow(`SELECT count(*) FROM google_tokens WHERE sealed = ?`, []byte(secretRT)).Scan(&clear); err != nil || clear != 0 {
			t.Fatalf("%d rows hold the token in clear (%v)", clear, err)
		}
		checkTokenStore(t, store)
	})
}

func checkTokenStore(t *testing.T, store *TokenStore) {
	t.Helper()
	if accts, err := store.Accounts(t.Context()); err != nil || len(accts) != 1 || accts[0].Email != grace {
		t.Errorf("accounts %+v, %v", accts, err)
	}

	// Another key cannot read it, and a row cannot be moved to another account.
	other, _ := NewTokenStore(store.db, bytes.Repeat([]byte{7}, KeySize), nil)
	if _, err := other.Load(t.Context(), grace); !errors.Is(err, google.ErrNoToken) {
		t.Errorf("another key: %v", err)
	}
	store.db.Exec(`INSERT INTO google_tokens (account, sealed, key_id, updated_at) SELECT 'eve@example.com', sealed, key_id, updated_at FROM google_tokens`)
	if _, err := store.Load(t.Context(), "eve@example.com"); !errors.Is(err, google.ErrNoToken) {
		t.Errorf("a copied row was readable: %v", err)
	}
	if _, err := NewTokenStore(store.db, []byte("short"), nil); err == nil {
		t.Error("a short key was accepted")
	}
	if err := store.Delete(t.Context(), grace); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Load(t.Context(), grace); !errors.Is(err, google.ErrNoToken) {
		t.Errorf("after delete: %v", err)
	}
}

// TestTokenSealedBeforeStillLoads: a refresh token sealed by the store's
// own AES-256-GCM of before calendars/seal, with the secrets key 0x42
// repeated, still loads, and its recorded key id still matches.
func TestTokenSealedBeforeStillLoads(t *testing.T) {
	store, _ := openDB(t)
	other, err := NewTokenStore(store.db, bytes.Repeat([]byte{0x42}, KeySize), nil)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := hex.DecodeString("504250c5083efd3574ab5124dc9e4d362a3b613398a899af2ed10955f490e7af154a15e0b556df2696f012e54e")
	if _, err := store.db.Exec(`INSERT INTO google_tokens (account, sealed, key_id, updated_at) VALUES (?, ?, ?, ?)`,
		"ada@example.com", sealed, "cac04d20284c", "2026-11-23T08:00:00Z"); err != nil {
		t.Fatal(err)
	}
	if got, err := other.Load(t.Context(), "ada@example.com"); err != nil || got != "1//0refresh-token" {
		t.Errorf("token sealed before: %q, %v", got, err)
	}
}
