package config

import (
	"errors"
	"os"
	"testing"
)

// TestDeployExampleParses keeps deploy/config.example.toml true: it must
// load with nothing wrong but the secret file it points at, which only
// exists on a real server.
func TestDeployExampleParses(t *testing.T) {
	data, err := os.ReadFile("../../../deploy/config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data, t.TempDir(), func(string) string { return "" })
	var errs *Errors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v, want only the missing password file", err)
	}
	for _, e := range errs.List {
		if e.Key != "calendar[0].password_file" {
			t.Errorf("unexpected problem in the example: %s", e.Error())
		}
	}
}
