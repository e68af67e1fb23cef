package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"github.com/oneonone/oneonone/deploy/demo"
)

// The helpers of the tests that run the built binary as a real process
// (process_test.go, bench_daemon_test.go): build, start with a systemd
// notify socket, signal, kill, and read the mails that came out.

var (
	buildOnce gosync.Once
	buildBin  string
	buildErr  error
)

// buildPrefix names the directories the binary is built into; the pid
// after it tells a later run whether the test process that made one is
// gone (then the directory is removed).
const buildPrefix = "oneonone-proctest-"

// builtBinary builds this command once per test binary and returns the
// path of the executable. The directory stays until the test process
// ends (no TestMain removes it); the next run removes the directories
// of test processes that no longer exist.
func builtBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		removeStaleBuilds()
		dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", buildPrefix, os.Getpid()))
		if err != nil {
			buildErr = err
			return
		}
		bin := filepath.Join(dir, "oneonone")
		cmd := exec.Command("go", "build", "-o", bin, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		buildBin = bin
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

func removeStaleBuilds() {
	entries, _ := os.ReadDir(os.TempDir())
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), buildPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pid, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, '-'), 0)])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); errors.Is(err, os.ErrNotExist) {
			os.RemoveAll(filepath.Join(os.TempDir(), e.Name()))
		}
	}
}

// freeLoopback returns a 127.0.0.1 address nobody listens on right now.
func freeLoopback(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// note is one systemd notification and when it arrived.
type note struct {
	msg string
	at  time.Time
}

// notifySocket is the test's side of $NOTIFY_SOCKET: it receives the
// daemon's datagrams and stamps each with its arrival time.
type notifySocket struct {
	path string
	conn *net.UnixConn

	mu      gosync.Mutex
	notes   []note
	changed chan struct{} // closed and replaced at every note
}

func listenNotify(t testing.TB, path string) *notifySocket {
	t.Helper()
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	n := &notifySocket{path: path, conn: c, changed: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			k, err := c.Read(buf)
			if err != nil {
				return
			}
			at := time.Now()
			n.mu.Lock()
			n.notes = append(n.notes, note{msg: string(buf[:k]), at: at})
			close(n.changed)
			n.changed = make(chan struct{})
			n.mu.Unlock()
		}
	}()
	t.Cleanup(func() { n.close() })
	return n
}

func (n *notifySocket) close() {
	n.conn.Close()
	os.Remove(n.path)
}

// wait returns when msg arrived, waiting up to timeout for it.
func (n *notifySocket) wait(msg string, timeout time.Duration) (time.Time, bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		n.mu.Lock()
		for _, x := range n.notes {
			if x.msg == msg {
				n.mu.Unlock()
				return x.at, true
			}
		}
		ch := n.changed
		n.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			return time.Time{}, false
		}
	}
}

func (n *notifySocket) all() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for _, x := range n.notes {
		out = append(out, x.msg)
	}
	return out
}

// proc is one run of the built binary.
type proc struct {
	t       testing.TB
	cmd     *exec.Cmd
	logs    *syncBuffer // stdout and stderr
	started time.Time   // just before exec
	notify  *notifySocket

	done  chan struct{} // closed when the process has been waited for
	state *os.ProcessState
}

// startProc execs bin with args; with a notify socket path it sets
// $NOTIFY_SOCKET (and the extra environment). A process still running
// when the test ends is killed.
func startProc(t testing.TB, bin string, notifyPath string, extraEnv []string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, logs: &syncBuffer{}, done: make(chan struct{})}
	if notifyPath != "" {
		p.notify = listenNotify(t, notifyPath)
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	p.cmd.Env = append(os.Environ(), extraEnv...)
	if notifyPath != "" {
		p.cmd.Env = append(p.cmd.Env, "NOTIFY_SOCKET="+notifyPath)
	}
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		p.state = p.cmd.ProcessState
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// ready waits for READY=1 and returns the time from exec to it.
func (p *proc) ready(timeout time.Duration) time.Duration {
	p.t.Helper()
	at, ok := p.notify.wait("READY=1", timeout)
	if !ok {
		p.t.Fatalf("no READY=1 within %s (got %q)\n%s", timeout, p.notify.all(), p.logs.String())
	}
	return at.Sub(p.started)
}

func (p *proc) signal(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("signal %v: %v", sig, err)
	}
}

// exited waits up to timeout for the process to end and returns its exit
// code (-1 for a signal) and how long it took.
func (p *proc) exited(timeout time.Duration) (int, time.Duration, bool) {
	start := time.Now()
	select {
	case <-p.done:
		return p.state.ExitCode(), time.Since(start), true
	case <-time.After(timeout):
		return 0, time.Since(start), false
	}
}

func (p *proc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop sends SIGTERM and fails the test unless the process exits 0
// within 10 s.
func (p *proc) stop() {
	p.t.Helper()
	p.signal(syscall.SIGTERM)
	code, took, ok := p.exited(10 * time.Second)
	if !ok {
		p.kill()
		p.t.Fatalf("the daemon did not exit within 10 s of SIGTERM\n%s", p.logs.String())
	}
	if code != 0 {
		p.t.Fatalf("exit %d %.1fs after SIGTERM\n%s", code, took.Seconds(), p.logs.String())
	}
}

// cpuTicks is the process's user plus system time in clock ticks
// (/proc/PID/stat fields 14 and 15; USER_HZ is 100 on Linux).
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces: count from its ')'.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return u + s, nil
}

// statusKB reads one "<key>: N kB" line of /proc/PID/status (VmRSS, VmHWM).
func statusKB(pid int, key string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", key, pid)
}

// processConfig writes a config file for a daemon at addr with its state
// in stateDir (and the secrets key there); mail and calendars are TOML
// fragments ([mail] keys, then whole [[calendar]] tables).
func processConfig(t testing.TB, file, stateDir, addr, mailKeys, rest string) {
	t.Helper()
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(stateDir, "secrets.key")
	if _, err := os.Stat(key); err != nil {
		if err := os.WriteFile(key, bytes.Repeat([]byte("p"), 32), 0o400); err != nil {
			t.Fatal(err)
		}
	}
	// Debug level: the tests read "synced" lines, which idle polls log
	// only at debug level.
	// The agenda's timing (quiet period, cut-off) is tested in prep with a
	// clock; here it is delivered as soon as one person has answered.
	cfg := fmt.Sprintf("state_dir = %q\nlisten = %q\npublic_url = \"http://%s\"\nlog_level = \"debug\"\n[mail]\nfrom = \"1:1 prep <prep@example.com>\"\n%s\n%s\n%s",
		stateDir, addr, addr, mailKeys, agendaAtOnce, rest)
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// agendaAtOnce is the [prep] table of daemons under test: no quiet
// period, and a cut-off beyond the meetings of the tests (3 hours away).
const agendaAtOnce = "[prep]\nagenda_quiet = \"0s\"\nagenda_cutoff = \"4h\"\n"

// caldavCalendar is a [[calendar]] table for a Radicale collection of the
// default user.
func caldavCalendar(name, url, email string) string {
	return fmt.Sprintf("[[calendar]]\nname = %q\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"testpass\"\nemail = %q\n", name, url, email)
}

// smtpKeys are the [mail] keys for a plain SMTP server on loopback.
func smtpKeys(host string, port int) string {
	return fmt.Sprintf("smtp_host = %q\nsmtp_port = %d\nsmtp_tls = \"none\"\n", host, port)
}

// sentMail is one message as the SMTP server stored it.
type sentMail struct {
	to        string // the address alone
	kind      string // invite, reminder, agenda (from the subject)
	subject   string
	messageID string
	link      string // the form link in it, "" when none
	text      string // the text part
}

// purpose is what a mail is for: its kind and recipient (a person has one
// request per series within reach in these tests), and for an agenda
// mail also the agenda (one mail per person per distinct agenda).
func (m sentMail) purpose() string {
	if m.kind == "agenda" {
		sum := sha256.Sum256([]byte(m.text))
		return m.kind + " " + m.to + " " + hex.EncodeToString(sum[:4])
	}
	return m.kind + " " + m.to
}

// agendaMails are the agenda mails of ms.
func agendaMails(ms []sentMail) []sentMail {
	var out []sentMail
	for _, m := range ms {
		if m.kind == "agenda" {
			out = append(out, m)
		}
	}
	return out
}

// token is the link token in the mail.
func (m sentMail) token() string { return m.link[strings.LastIndex(m.link, "/")+1:] }

// parseMails reads raw messages; links are those under public.
func parseMails(raws [][]byte, public string) []sentMail {
	link := regexp.MustCompile(regexp.QuoteMeta(public) + `/p/[A-Za-z0-9_-]+`)
	var out []sentMail
	for _, raw := range raws {
		to, subject, text := demo.ReadMail(raw)
		if a, err := mail.ParseAddress(to); err == nil {
			to = a.Address
		}
		m := sentMail{to: to, subject: subject, link: link.FindString(text), text: text}
		if msg, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
			m.messageID = msg.Header.Get("Message-Id")
		}
		switch {
		case strings.HasPrefix(subject, "Prep for"):
			m.kind = "invite"
		case strings.HasPrefix(subject, "Reminder:"):
			m.kind = "reminder"
		case strings.HasPrefix(subject, "Agenda for"):
			m.kind = "agenda"
		default:
			m.kind = "other"
		}
		out = append(out, m)
	}
	return out
}

// invitesTo maps each address to the link of its first invite.
func invitesTo(ms []sentMail) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		if m.kind == "invite" && out[m.to] == "" && m.link != "" {
			out[m.to] = m.link
		}
	}
	return out
}

// postForm posts answers to a form link as the browser does (Origin is
// the public URL) and returns the status; a redirect is not followed.
func postForm(client *http.Client, public, link string, answers url.Values) (int, error) {
	req, err := http.NewRequest("POST", link, strings.NewReader(answers.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", public)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// noRedirect is a client for form posts: the 303 is the answer.
func noRedirect() *http.Client {
	return &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// textareaValue is the (HTML-escaped) content of the named textarea.
func textareaValue(page, name string) (string, bool) {
	re := regexp.MustCompile(`(?s)<textarea[^>]*name="` + regexp.QuoteMeta(name) + `"[^>]*>(.*?)</textarea>`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// metricValue sums the samples of a Prometheus metric whose labels
// contain every given label="value" pair.
func metricValue(body, name string, labels ...string) (float64, bool) {
	var sum float64
	found := false
	for _, line := range strings.Split(body, "\n") {
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		ok := true
		for _, l := range labels {
			if !strings.Contains(line, l) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err == nil {
			sum += v
			found = true
		}
	}
	return sum, found
}

// poll calls ok every 50 ms until it returns true or the timeout passes;
// it fails the test with what on timeout.
func poll(t testing.TB, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// eventually calls ok every 50 ms until it returns true (true) or the
// timeout passes (false).
func eventually(timeout time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}

// quietGet returns the body and status of a GET, or an error; it never
// fails the test (the daemon may be down on purpose).
func quietGet(u string) (string, int, error) {
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode, err
}
