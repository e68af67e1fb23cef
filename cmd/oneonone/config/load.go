package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Path picks the config file: the --config flag when given, else
// $ONEONONE_CONFIG, else DefaultPath.
func Path(flagValue string, getenv func(string) string) string {
	if flagValue != "" {
		return flagValue
	}
	if p := getenv("ONEONONE_CONFIG"); p != "" {
		return p
	}
	return DefaultPath
}

// LoadWith reads and validates the config file at path, taking
// $STATE_DIRECTORY and $CREDENTIALS_DIRECTORY from getenv.
func LoadWith(path string, getenv func(string) string) (*Config, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(data, filepath.Dir(abs), getenv)
	var errs *Errors
	if errors.As(err, &errs) {
		errs.File = abs
	}
	if err != nil {
		return nil, err
	}
	c.File = abs
	return c, nil
}

// Parse decodes and validates a config file's content. Relative paths in it
// resolve against dir (the file's directory; "" means the working
// directory). Like Load, it reads every *_file secret, so a reload can be
// validated in full before it replaces the running config. Every problem
// found comes back in one *Errors.
func Parse(data []byte, dir string, getenv func(string) string) (*Config, error) {
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return nil, syntaxError(err)
	}
	c := defaults()
	p := &problems{lines: keyLines(data), bad: map[string]bool{}}
	d := &decoder{p: p, set: map[string]bool{}, cfg: c}
	d.table("", raw, reflectValue(c))

	env := environment{dir: dir, getenv: getenv, set: d.set}
	env.resolvePaths(c)
	env.readSecrets(c, p)
	v := &validator{p: p, set: d.set, c: c}
	v.validate()
	c.Warnings = append(c.Warnings, env.warnings(c)...)
	if len(p.list) > 0 {
		// File order reads best; problems without a line come first.
		slices.SortStableFunc(p.list, func(a, b Error) int { return a.Line - b.Line })
		return nil, &Errors{List: p.list}
	}
	return c, nil
}

// syntaxError turns a TOML parse error into an *Errors with its line.
func syntaxError(err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Errors{List: []Error{{Msg: strings.TrimPrefix(err.Error(), "toml: ")}}}
	}
	return &Errors{List: []Error{{Line: pe.Position.Line, Msg: "not valid TOML: " + pe.Message}}}
}
