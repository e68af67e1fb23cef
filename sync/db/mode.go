package db

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// fileMode is the database files' mode: they hold every answer and
// history of the people watched.
const fileMode = 0o600

// Protect makes the database file and its WAL and shared-memory files
// readable by their owner only, creating an empty database file with
// that mode when there is none (SQLite gives the -wal and -shm files it
// creates the mode of the database file). It returns the files whose
// mode it had to tighten, for the caller to log.
func Protect(file string) ([]string, error) {
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return nil, fmt.Errorf("db: %s: %w", file, err)
	}
	f.Close()
	var tightened []string
	for _, p := range []string{file, file + "-wal", file + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return tightened, fmt.Errorf("db: %s: %w", p, err)
		}
		if fi.Mode().Perm()&^fileMode == 0 {
			continue
		}
		if err := os.Chmod(p, fileMode); err != nil {
			return tightened, fmt.Errorf("db: %s has mode %04o and cannot be made 0600: %w (run 'chmod 600 %s')", p, fi.Mode().Perm(), err, p)
		}
		tightened = append(tightened, fmt.Sprintf("%s (was %04o)", p, fi.Mode().Perm()))
	}
	return tightened, nil
}
