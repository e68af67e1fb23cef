package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneonone/oneonone/calendars/caldav/caldavtest"
	"github.com/oneonone/oneonone/mailer/smtptest"
)

func TestCheck(t *testing.T) {
	srv := caldavtest.StartRadicale(t)
	col := srv.MakeCalendar(t, "test", "work")
	smtp := smtptest.StartFake(t, smtptest.FakeOptions{})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "secrets.key"), bytes.Repeat([]byte("k"), 32), 0o400)
	write := func(name, calendars string) string {
		f := filepath.Join(dir, name)
		os.WriteFile(f, []byte(fmt.Sprintf("state_dir = %q\npublic_url = \"http://127.0.0.1:8080\"\n[mail]\nfrom = \"o@example.com\"\nsmtp_host = %q\nsmtp_port = %d\nsmtp_tls = \"none\"\n%s",
			dir, smtp.Host, smtp.Port, calendars)), 0o600)
		return f
	}
	good := fmt.Sprintf("[[calendar]]\nname = \"ada\"\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"testpass\"\n", col)
	out, errOut, code := runCmd(t, time.Now(), nil, "check", "--config", write("good.toml", good))
	if code != 0 || !strings.Contains(out, "calendar ada") || !strings.Contains(out, "mail: ok") {
		t.Errorf("good config: exit %d\n%s%s", code, out, errOut)
	}
	bad := good + fmt.Sprintf("[[calendar]]\nname = \"grace\"\ntype = \"caldav\"\nurl = %q\nusername = \"test\"\npassword = \"wrong\"\n", col)
	out, _, code = runCmd(t, time.Now(), nil, "check", "--config", write("bad.toml", bad))
	if code != 1 || !strings.Contains(out, "calendar grace:") || !strings.Contains(out, "check the username") {
		t.Errorf("wrong password: exit %d\n%s", code, out)
	}
	out, _, code = runCmd(t, time.Now(), nil, "check", "--config", write("typo.toml", strings.Replace(good, "username", "usrname", 1)))
	if code != 1 || !strings.Contains(out, "calendar[0].usrname") {
		t.Errorf("typo: exit %d\n%s", code, out)
	}
	os.Remove(filepath.Join(dir, "secrets.key"))
	out, _, code = runCmd(t, time.Now(), nil, "check", "--config", write("nokey.toml", good))
	if code != 1 || !strings.Contains(out, "secrets key") || !strings.Contains(out, "head -c 32 /dev/urandom") {
		t.Errorf("missing secrets key: exit %d\n%s", code, out)
	}
}

// Behind a reverse proxy (what an https public_url means: the daemon
// serves plain HTTP) without trusted_proxies, every client would share
// one rate-limit bucket: check says so, and stops saying it once the
// proxy is named.
func TestCheckWarnsHTTPSWithoutTrustedProxies(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "secrets.key"), bytes.Repeat([]byte("k"), 32), 0o400)
	file := filepath.Join(dir, "oneonone.toml")
	for _, tc := range []struct {
		proxies string
		warns   bool
	}{{"", true}, {"trusted_proxies = [\"127.0.0.1\"]\n", false}} {
		os.WriteFile(file, []byte(fmt.Sprintf("state_dir = %q\npublic_url = \"https://1on1.example.com\"\n%s[mail]\nfrom = \"o@example.com\"\nmaildir = %q\n",
			dir, tc.proxies, filepath.Join(dir, "mail"))), 0o600)
		out, errOut, code := runCmd(t, time.Now(), nil, "check", "--config", file)
		warned := strings.Contains(out, "warning: public_url is https but trusted_proxies is empty") && strings.Contains(out, "set trusted_proxies")
		if warned != tc.warns || code != 0 {
			t.Errorf("%q: exit %d, warned %v, want %v\n%s%s", tc.proxies, code, warned, tc.warns, out, errOut)
		}
	}
}
