package smtptest

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
)

// Server is a running external SMTP server: aiosmtpd with its Mailbox
// handler, which stores every message it accepts in Maildir.
type Server struct {
	Addr    string // 127.0.0.1:port
	Host    string
	Port    int
	Maildir string
}

// python is Debian's interpreter: a python3 earlier on PATH (pyenv, a
// virtualenv) does not see Debian's python3-aiosmtpd.
func python() string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}

// StartAiosmtpd starts aiosmtpd on a free port of 127.0.0.1 and stops it at
// the end of the test. Without aiosmtpd the test is skipped, or fails when
// ONEONONE_REQUIRE_PEERS=1 (CI, where a skipped peer test would hide a gap).
func StartAiosmtpd(t testing.TB) *Server {
	t.Helper()
	err := exec.Command(python(), "-c", "import aiosmtpd").Run()
	testkit.NeedPeer(t, "aiosmtpd is not installed (apt-get install python3-aiosmtpd)", err)
	var last string
	for range 3 { // a free port can be taken between our probe and aiosmtpd's bind
		s, out, ok := tryAiosmtpd(t)
		if ok {
			return s
		}
		last = out
	}
	t.Fatalf("smtptest: aiosmtpd did not start: %s", last)
	return nil
}

func tryAiosmtpd(t testing.TB) (*Server, string, bool) {
	port := freePort(t)
	s := &Server{Host: "127.0.0.1", Port: port, Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Maildir: filepath.Join(t.TempDir(), "Maildir")}
	cmd := exec.Command(python(), "-m", "aiosmtpd", "-n", "-l", s.Addr,
		"-c", "aiosmtpd.handlers.Mailbox", s.Maildir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("smtptest: start aiosmtpd: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	if !waitGreeting(s.Addr, exited) {
		stop()
		return nil, out.String(), false
	}
	t.Cleanup(stop)
	return s, "", true
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitGreeting waits up to 10 s for a 220 greeting, or for the process to
// exit.
func waitGreeting(addr string, exited <-chan struct{}) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.SetDeadline(time.Now().Add(2 * time.Second))
			line, _ := bufio.NewReader(c).ReadString('\n')
			c.Write([]byte("QUIT\r\n"))
			c.Close()
			if strings.HasPrefix(line, "220") {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// Messages returns the raw messages in the Maildir (new and cur), in the
// order they were delivered.
func (s *Server) Messages(t testing.TB) [][]byte {
	t.Helper()
	var names []string
	for _, sub := range []string{"new", "cur"} {
		entries, err := os.ReadDir(filepath.Join(s.Maildir, sub))
		if err != nil && !os.IsNotExist(err) {
			t.Fatalf("smtptest: read maildir: %v", err)
		}
		for _, e := range entries {
			names = append(names, filepath.Join(s.Maildir, sub, e.Name()))
		}
	}
	sort.SliceStable(names, func(i, j int) bool { return deliveredBefore(names[i], names[j]) })
	var msgs [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatalf("smtptest: read maildir: %v", err)
		}
		msgs = append(msgs, b)
	}
	return msgs
}

// deliveredBefore orders Python's Maildir file names,
// "SECONDS.MMICROS" + "PPID" + "QCOUNT.HOST": by the counter the one aiosmtpd
// process increments per message, since the microseconds are not zero
// padded and sort wrongly as text within one second.
func deliveredBefore(a, b string) bool {
	ca, oka := deliveryCount(filepath.Base(a))
	cb, okb := deliveryCount(filepath.Base(b))
	if oka && okb && ca != cb {
		return ca < cb
	}
	return filepath.Base(a) < filepath.Base(b)
}

func deliveryCount(name string) (int, bool) {
	_, rest, ok := strings.Cut(name, "Q")
	if !ok {
		return 0, false
	}
	digits, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(digits)
	return n, err == nil
}
