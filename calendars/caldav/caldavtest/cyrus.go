package caldavtest

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/testkit"
)

// cyrusMaster is where Debian's cyrus-imapd installs the process manager.
const cyrusMaster = "/usr/lib/cyrus/bin/master"

// CyrusDomain is the mail domain of every Cyrus user: ada's calendar user
// address is mailto:ada@example.test. An attendee on another domain is
// external, and the server schedules them by iMIP.
const CyrusDomain = "example.test"

// StartCyrus starts Debian's Cyrus IMAP (packages cyrus-imapd and
// cyrus-caldav) as a CalDAV server with RFC 6638 server-side scheduling, on
// a free port, with the given users. This is the server Fastmail runs.
// Scheduling messages it sends are kept countable: iMIP for an external
// attendee goes to a program that stores each message as a file
// (IMIPMessages), and an internal attendee's copy is updated in their own
// calendar (see CalendarURL). It needs root (Cyrus drops to its own user)
// and skips the test when Cyrus is missing, unless ONEONONE_REQUIRE_PEERS=1.
func StartCyrus(t testing.TB, users ...User) *Server {
	t.Helper()
	_, err := os.Stat(cyrusMaster)
	testkit.NeedPeer(t, "Cyrus is not installed: apt-get install cyrus-imapd cyrus-caldav sasl2-bin", err)
	if uid := os.Geteuid(); uid != 0 {
		testkit.NeedPeer(t, "Cyrus needs root to start (it then runs as the cyrus user)", fmt.Errorf("running as uid %d", uid))
	}
	// Not t.TempDir: the cyrus user must reach the directory, and the
	// test's temporary parent is private to root.
	dir, err := os.MkdirTemp("", "oneonone-cyrus-")
	if err != nil {
		t.Fatalf("caldavtest: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &Server{Dir: dir, Kind: "cyrus", users: map[string]string{DefaultUser: DefaultPassword}}
	for _, u := range users {
		s.users[u.Name] = u.Password
	}
	imapAddr := freeAddr(t)
	if err := s.writeCyrusFiles(imapAddr); err != nil {
		t.Fatalf("caldavtest: cyrus setup: %v", err)
	}
	s.command = func(addr string) (*exec.Cmd, error) {
		conf := filepath.Join(dir, "cyrus.conf")
		err := os.WriteFile(conf, []byte(cyrusServices(dir, addr, imapAddr)), 0o644)
		if err == nil {
			err = chownCyrus(dir)
		}
		return exec.Command(cyrusMaster, "-C", filepath.Join(dir, "imapd.conf"), "-M", conf,
			"-p", filepath.Join(dir, "master.pid"), "-D"), err
	}
	s.start(t)
	for name, pw := range s.users {
		if err := imapLogin(imapAddr, name, pw); err != nil {
			t.Fatalf("caldavtest: cyrus: create %s: %v\n%s", name, err, s.logTail())
		}
		// The first CalDAV request provisions the user's calendars; until
		// then the server mails them like an external attendee.
		s.do(t, name, "PROPFIND", s.CalendarURL(name, "Default"), "application/xml", nil, http.StatusMultiStatus)
	}
	return s
}

// IMIPMessages returns the iMIP messages the server has sent so far, oldest
// first (each a JSON document naming the recipient and holding the iTIP
// body). The server sends them asynchronously, a moment after the request
// that caused them.
func (s *Server) IMIPMessages(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(s.Dir, "imip"))
	if err != nil {
		t.Fatalf("caldavtest: %v", err)
	}
	var msgs []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".msg") {
			continue // still being written
		}
		b, err := os.ReadFile(filepath.Join(s.Dir, "imip", e.Name()))
		if err != nil {
			t.Fatalf("caldavtest: %v", err)
		}
		msgs = append(msgs, string(b))
	}
	return msgs
}

func (s *Server) writeCyrusFiles(imapAddr string) error {
	for _, d := range []string{"conf", "spool", "sock", "imip"} {
		if err := os.MkdirAll(filepath.Join(s.Dir, d), 0o755); err != nil {
			return err
		}
	}
	// notifyd runs this for every iMIP message, the message on stdin. A
	// message appears whole (renamed into place), under a name that sorts
	// in the order the messages were sent.
	imip := filepath.Join(s.Dir, "imip")
	sendmail := fmt.Sprintf("#!/bin/sh\nt=\"%[1]s/.part.$$\"\ncat > \"$t\" && mv \"$t\" \"%[1]s/$(date +%%s%%N).msg\"\n", imip)
	if err := os.WriteFile(filepath.Join(s.Dir, "imip-out"), []byte(sendmail), 0o755); err != nil {
		return err
	}
	conf := fmt.Sprintf(`configdirectory: %[1]s/conf
partition-default: %[1]s/spool
servername: localhost
admins: cyrusadmin
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: %[1]s/sasldb2
sasl_mech_list: PLAIN
allowplaintext: yes
autocreate_quota: 0
unixhierarchysep: yes
httpmodules: caldav
caldav_allowscheduling: on
calendar_user_address_set: %[2]s
imipnotifier: external
notify_external: %[1]s/imip-out
notifysocket: %[1]s/sock/notify
idlesocket: %[1]s/sock/idle
lmtpsocket: %[1]s/sock/lmtp
`, s.Dir, CyrusDomain)
	if err := os.WriteFile(filepath.Join(s.Dir, "imapd.conf"), []byte(conf), 0o644); err != nil {
		return err
	}
	for name, pw := range s.users {
		cmd := exec.Command("saslpasswd2", "-p", "-c", "-f", filepath.Join(s.Dir, "sasldb2"), "-u", "localhost", name)
		cmd.Stdin = strings.NewReader(pw)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("saslpasswd2 %s: %v: %s", name, err, out)
		}
	}
	return nil
}

func cyrusServices(dir, httpAddr, imapAddr string) string {
	conf := filepath.Join(dir, "imapd.conf")
	return fmt.Sprintf(`START {
  recover cmd="ctl_cyrusdb -r -C %[1]s"
}
SERVICES {
  imap cmd="imapd -C %[1]s" listen="%[3]s" prefork=0
  http cmd="httpd -C %[1]s" listen="%[2]s" prefork=0
  notify cmd="notifyd -C %[1]s" listen="%[4]s/sock/notify" proto="udp" prefork=1
}
EVENTS {
}
`, conf, httpAddr, imapAddr, dir)
}

// chownCyrus gives the data directory to the user Cyrus runs as.
func chownCyrus(dir string) error {
	u, err := user.Lookup("cyrus")
	if err != nil {
		return err
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

// imapLogin logs in once over IMAP: with autocreate_quota set, that
// creates the user's mailbox, which the CalDAV side needs before it
// provisions their calendars.
func imapLogin(addr, name, pw string) error {
	deadline := time.Now().Add(10 * time.Second)
	var c net.Conn
	var err error
	for {
		c, err = net.DialTimeout("tcp", addr, time.Second)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	if _, err := r.ReadString('\n'); err != nil {
		return err
	}
	fmt.Fprintf(c, "a1 LOGIN %s %s\r\n", name, pw)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		if strings.HasPrefix(line, "a1 ") {
			if !strings.HasPrefix(line, "a1 OK") {
				return fmt.Errorf("login refused: %s", strings.TrimSpace(line))
			}
			fmt.Fprintf(c, "a2 LOGOUT\r\n")
			return nil
		}
	}
}
