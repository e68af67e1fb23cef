package config

import (
	"errors"
	"os"
	"reflect"
	"strings"
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

// TestEveryKeyDocumented keeps the contract readable without the source:
// every key the config accepts is named in deploy/config.example.toml and
// in the README.
func TestEveryKeyDocumented(t *testing.T) {
	for _, file := range []string{"../../../deploy/config.example.toml", "../../../README.md"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range tomlKeys(reflect.TypeFor[Config]()) {
			if !strings.Contains(string(data), key) {
				t.Errorf("%s does not name the config key %s", file, key)
			}
		}
	}
}

// tomlKeys lists the toml keys of a struct type and of the structs in it.
func tomlKeys(typ reflect.Type) []string {
	var keys []string
	for f := range typ.Fields() {
		key, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if key != "" && key != "-" {
			keys = append(keys, key)
		}
		ft := f.Type
		for ft.Kind() == reflect.Slice || ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Map {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft.PkgPath() == typ.PkgPath() {
			keys = append(keys, tomlKeys(ft)...)
		}
	}
	return keys
}
