package config

import (
	"fmt"
	"os"
)

// CheckStateDir makes dir when it is missing and proves the service user
// can write there, for `oneonone check`; the error says what to change.
func CheckStateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%w (create it and give the service user write access, or change state_dir)", err)
	}
	f, err := os.CreateTemp(dir, ".check-*")
	if err != nil {
		return fmt.Errorf("not writable: %w (give the service user write access, or change state_dir)", err)
	}
	f.Close()
	return os.Remove(f.Name())
}
