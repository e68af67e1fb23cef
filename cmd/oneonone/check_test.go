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
