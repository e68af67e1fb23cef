package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
)

// TestRunReadyHealthMetricsAndStop starts the daemon in-process against
// Radicale, waits for systemd's READY=1, reads /healthz, /readyz and
// /metrics, and stops it with the context (what SIGTERM does).
func TestRunReadyHealthMetricsAndStop(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	col := srv.MakeCalendar(t, "test", "work")
	data, _ := os.ReadFile("testdata/weekly-1on1.ics")
	srv.Put(t, "test", col+"a.ics", data)
	dir := t.TempDir()
	sock := filepath.Join(dir, "notify.sock")
	notes, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer notes.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	file := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(filepath.Join(dir, "secrets.key"), bytes.Repeat([]byte("k"), 32), 0o400)
	os.WriteFile(file, []byte(fmt.Sprintf("state_dir = %q\nlisten = %q\npublic_url = \"http://%s\"\n[mail]\nfrom = \"o@example.com\"\nmaildir = %q\n[[calendar]]\nname = \"ada\"\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"testpass\"\n",
		dir, addr, addr, filepath.Join(dir, "mail"), col)), 0o600)
	vars := map[string]string{"NOTIFY_SOCKET": sock, "WATCHDOG_USEC": "200000"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var out bytes.Buffer
	errOut := &syncBuffer{}
	reload := make(chan struct{})
	go func() {
		e := &env{stdout: &out, stderr: errOut, now: time.Now, getenv: func(k string) string { return vars[k] }, reload: reload}
		done <- runArgs(ctx, e, []string{"run", "--config", file})
	}()
	got := readNotes(t, notes, "READY=1", "WATCHDOG=1")
	if got != "" {
		t.Fatalf("systemd notifications: %s\nlog: %s", got, errOut.String())
	}
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": `"database":"ok"`, "/metrics": "oneonone_mails"} {
		body := get(t, "http://"+addr+path)
		if !strings.Contains(body, want) {
			t.Errorf("%s: %q does not contain %q", path, body, want)
		}
	}
	// SIGHUP with a broken file keeps the running config; with a good one
	// the new calendar is synced.
	good, _ := os.ReadFile(file)
	os.WriteFile(file, []byte("this is = = not toml"), 0o600)
	reload <- struct{}{}
	waitFor(t, func() bool { return strings.Contains(errOut.String(), "keeping the running config") })
	col2 := srv.MakeCalendar(t, "test", "second")
	os.WriteFile(file, append(good, []byte(fmt.Sprintf("[[calendar]]\nname = \"second\"\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"testpass\"\n", col2))...), 0o600)
	reload <- struct{}{}
	waitFor(t, func() bool { return strings.Contains(get(t, "http://"+addr+"/readyz"), `"second":"ok"`) })
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d: %s", code, errOut.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the daemon did not stop within 15 s of SIGTERM")
	}
}

// readNotes waits for each notification in order; "" when all came.
func readNotes(t *testing.T, c *net.UnixConn, want ...string) string {
	buf := make([]byte, 256)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var seen []string
	for _, w := range want {
		for {
			n, err := c.Read(buf)
			if err != nil {
				return fmt.Sprintf("waiting for %s: %v (seen %v)", w, err, seen)
			}
			seen = append(seen, string(buf[:n]))
			if string(buf[:n]) == w {
				break
			}
		}
	}
	return ""
}

func get(t *testing.T, url string) string {
	t.Helper()
	for i := 0; ; i++ {
		resp, err := http.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return string(b)
		}
		if i > 50 {
			t.Fatalf("GET %s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("condition not reached in 10 s")
}

// syncBuffer is a bytes.Buffer safe for the daemon's logger and the test.
type syncBuffer struct {
	mu gosync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunRefusesToStartWithoutTheSecretsKey(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "oneonone.toml")
	os.WriteFile(file, []byte(fmt.Sprintf("state_dir = %q\nlisten = \"127.0.0.1:0\"\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"o@example.com\"\nmaildir = %q\n", dir, filepath.Join(dir, "mail"))), 0o600)
	_, errOut, code := runCmd(t, time.Now(), nil, "run", "--config", file)
	if code != 1 || !strings.Contains(errOut, "secrets key") || !strings.Contains(errOut, "head -c 32 /dev/urandom") {
		t.Errorf("exit %d, %q; want a refusal that says how to create the key", code, errOut)
	}
}
