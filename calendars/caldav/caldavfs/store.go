package caldavfs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Errors of the store; the HTTP side maps them to status codes.
var (
	// ErrNotFound: no such calendar or object.
	ErrNotFound = errors.New("caldavfs: not found")
	// ErrPreconditionFailed: an If-Match / If-None-Match condition did not hold.
	ErrPreconditionFailed = errors.New("caldavfs: precondition failed")
	errExists             = errors.New("caldavfs: already exists")
	errUIDConflict        = errors.New("caldavfs: another object of the calendar has this UID")
)

// meta is what the store keeps in memory about one object.
type meta struct {
	etag string // unquoted content hash
	uid  string
	size int64
	mod  time.Time
}

// store keeps calendar objects as files dir/<calendar>/<name>.ics, with an
// index of their ETags and UIDs. All access goes through it, so the index
// stays true; the directory must not be changed behind its back.
type store struct {
	dir  string
	mu   sync.RWMutex
	cals map[string]map[string]meta // calendar → name (without .ics) → meta
}

func openStore(dir string) (*store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	s := &store{dir: dir, cals: map[string]map[string]meta{}}
	dirs, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		if !d.IsDir() || !validName(d.Name()) {
			continue
		}
		objs := map[string]meta{}
		files, err := os.ReadDir(filepath.Join(dir, d.Name()))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			name, ok := strings.CutSuffix(f.Name(), ".ics")
			if f.IsDir() || !ok || !validName(name) {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, d.Name(), f.Name()))
			if err != nil {
				return nil, err
			}
			info, err := f.Info()
			if err != nil {
				return nil, err
			}
			uid := ""
			if cal, err := parseICS(data); err == nil {
				uid = uidOf(cal)
			}
			objs[name] = meta{etag: etagOf(data), uid: uid, size: int64(len(data)), mod: info.ModTime()}
		}
		s.cals[d.Name()] = objs
	}
	return s, nil
}

// validName accepts a calendar or object name that is safe as one file name.
func validName(s string) bool {
	if s == "" || len(s) > 200 || strings.HasPrefix(s, ".") || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return r == '/' || r == '\\' || unicode.IsControl(r)
	})
}

// etagOf derives the (unquoted) ETag from the content.
func etagOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

func (s *store) makeCalendar(cal string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cals[cal]; ok {
		return errExists
	}
	if err := os.Mkdir(filepath.Join(s.dir, cal), 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	s.cals[cal] = map[string]meta{}
	return nil
}

func (s *store) calendars() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Sorted(func(yield func(string) bool) {
		for c := range s.cals {
			if !yield(c) {
				return
			}
		}
	})
}

func (s *store) hasCalendar(cal string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.cals[cal]
	return ok
}

// entry is one object of a listing.
type entry struct {
	name string
	meta
}

// list returns the objects of a calendar sorted by name, and its ctag: a
// hash over their names and ETags.
func (s *store) list(cal string) ([]entry, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	objs, ok := s.cals[cal]
	if !ok {
		return nil, "", ErrNotFound
	}
	var out []entry
	for name, m := range objs {
		out = append(out, entry{name, m})
	}
	slices.SortFunc(out, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	h := sha256.New()
	for _, e := range out {
		fmt.Fprintf(h, "%s\x00%s\n", e.name, e.etag)
	}
	return out, hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// get reads one object.
func (s *store) get(cal, name string) ([]byte, meta, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.cals[cal][name]
	if !ok {
		return nil, meta{}, ErrNotFound
	}
	data, err := os.ReadFile(s.file(cal, name))
	return data, m, err
}

// stat returns an object's meta.
func (s *store) stat(cal, name string) (meta, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.cals[cal][name]
	return m, ok
}

// put writes an object if the conditions hold (raw If-Match / If-None-Match
// header values; "" = no condition). It reports whether it was created.
func (s *store) put(cal, name string, data []byte, uid, ifMatch, ifNoneMatch string) (meta, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	objs, ok := s.cals[cal]
	if !ok {
		return meta{}, false, ErrNotFound
	}
	old, exists := objs[name]
	if !conditionsHold(exists, old.etag, ifMatch, ifNoneMatch) {
		return meta{}, false, ErrPreconditionFailed
	}
	for other, m := range objs {
		if uid != "" && other != name && m.uid == uid {
			return meta{}, false, errUIDConflict
		}
	}
	if err := writeAtomic(s.file(cal, name), data); err != nil {
		return meta{}, false, err
	}
	m := meta{etag: etagOf(data), uid: uid, size: int64(len(data)), mod: time.Now()}
	objs[name] = m
	return m, !exists, nil
}

// remove deletes an object if ifMatch ("" = no condition) holds.
func (s *store) remove(cal, name, ifMatch string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.cals[cal][name]
	if !ok {
		return ErrNotFound
	}
	if !conditionsHold(true, m.etag, ifMatch, "") {
		return ErrPreconditionFailed
	}
	if err := os.Remove(s.file(cal, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	delete(s.cals[cal], name)
	return nil
}

func (s *store) file(cal, name string) string {
	return filepath.Join(s.dir, cal, name+".ics")
}

// writeAtomic writes through a temporary file in the same directory and a
// rename, so a reader sees the old or the new content, never a part.
func writeAtomic(file string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(file), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), file)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	return syncDir(filepath.Dir(file))
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
