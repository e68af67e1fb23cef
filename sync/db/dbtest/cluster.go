// Package dbtest gives tests a database of either dialect: a SQLite file
// in the test's temporary directory, or a fresh database in a throwaway
// PostgreSQL cluster that the test binary starts once (Debian's
// `postgresql` package; about 1.6 s) and that stops with the binary.
//
// Without PostgreSQL installed a PostgreSQL test skips with a message,
// or fails when ONEONONE_REQUIRE_PEERS=1 (CI): testkit.NeedPeer.
package dbtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// cluster is the test binary's PostgreSQL server.
type cluster struct {
	dir  string
	port int
	n    int // databases made so far
	mu   sync.Mutex
}

var (
	once     sync.Once
	shared   *cluster
	startErr error
)

// running starts the cluster on first use.
func running() (*cluster, error) {
	once.Do(func() { shared, startErr = start() })
	return shared, startErr
}

// errMissing says PostgreSQL is not installed, as opposed to failing.
var errMissing = errors.New("PostgreSQL is not installed (apt-get install postgresql)")

func start() (*cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	removeStale()
	dir, err := os.MkdirTemp("", fmt.Sprintf("oneonone-pgtest-%d-", os.Getpid()))
	if err != nil {
		return nil, err
	}
	cred, err := serverUser(dir)
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "oneonone",
		"--encoding=UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	// postgres itself, not pg_ctl, so that it is our child and stops when
	// the test binary exits (SIGINT: fast shutdown).
	srv := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200")
	srv.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGINT, Setpgid: true}
	log, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		return nil, err
	}
	srv.Stdout, srv.Stderr = log, log
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	c := &cluster{dir: dir, port: port}
	if err := c.ready(srv); err != nil {
		srv.Process.Kill()
		out, _ := os.ReadFile(filepath.Join(dir, "log"))
		return nil, fmt.Errorf("%w; server log:\n%s", err, out)
	}
	return c, nil
}

// binDir finds initdb and postgres: Debian keeps them per major version.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errMissing
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// serverUser is who runs the server: initdb refuses root, so root tests
// run it as the postgres user the package creates, which gets dir.
func serverUser(dir string) (*syscall.Credential, error) {
	if os.Getuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs the postgres user to run the server: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c *cluster) url(database string) string {
	return fmt.Sprintf("postgres://oneonone@127.0.0.1:%d/%s?sslmode=disable", c.port, database)
}

func (c *cluster) ready(srv *exec.Cmd) error {
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("postgres exited: %v", err)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := pgx.Connect(ctx, c.url("postgres"))
		cancel()
		if err == nil {
			conn.Close(context.Background())
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("postgres did not accept connections within 20 s")
}

// createDatabase makes a database with byte-order collation (as SQLite
// compares text) as a copy of template ("" for an empty one) and
// returns its URL.
func (c *cluster) createDatabase(ctx context.Context, template string) (string, func(), error) {
	c.mu.Lock()
	c.n++
	name := fmt.Sprintf("t%d", c.n)
	c.mu.Unlock()
	admin, err := pgx.Connect(ctx, c.url("postgres"))
	if err != nil {
		return "", nil, err
	}
	defer admin.Close(ctx)
	from := "template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
	if template != "" {
		from = template
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE `+from); err != nil {
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, c.url("postgres")); err == nil {
			conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
			conn.Close(ctx)
		}
	}
	return c.url(name), drop, nil
}

// removeStale deletes the directories of test binaries that are gone
// (their server stopped with them).
func removeStale() {
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), "oneonone-pgtest-*"))
	for _, d := range old {
		parts := strings.Split(filepath.Base(d), "-")
		if len(parts) < 3 {
			continue
		}
		pid, err := strconv.Atoi(parts[2])
		if err != nil || pid == os.Getpid() || syscall.Kill(pid, 0) == nil {
			continue
		}
		os.RemoveAll(d)
	}
}
