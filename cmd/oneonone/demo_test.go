package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoCompleteCycle runs `oneonone demo` and drives it as a newcomer
// would: both prep links are printed, both people answer, and the
// event's new description with their answers is printed.
func TestDemoCompleteCycle(t *testing.T) {
	out := &syncBuffer{}
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		e := &env{stdout: out, stderr: logs, now: time.Now, getenv: func(string) string { return "" }}
		done <- runArgs(ctx, e, []string{"demo", "--dir", t.TempDir(), "--listen", "127.0.0.1:0"})
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("demo exit %d\n%s", code, logs.String())
		}
	}()
	link := regexp.MustCompile(`open: (http://[^/]+)(/p/\S+)`)
	var links [][]string
	waitFor(t, func() bool { links = link.FindAllStringSubmatch(out.String(), -1); return len(links) >= 2 })
	for i, l := range links[:2] {
		answer(t, daemonUnderTest{public: l[1]}, l[1]+l[2], "a.topics", []string{"Ada's topic", "Grace's topic"}[i])
	}
	waitFor(t, func() bool {
		s := out.String()
		return strings.Contains(s, "description is now") && strings.Contains(s, "Ada's topic") && strings.Contains(s, "Grace's topic")
	})
	if s := out.String(); !strings.Contains(s, "Shared notes: https://docs.example.com/ada-grace") {
		t.Errorf("the organizer's own description text is missing from the printed description:\n%s", s)
	}
	t.Logf("demo output:\n%s", out.String())
}
