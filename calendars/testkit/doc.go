// Package testkit is what the tests of every part share: one fake clock
// and one way to say that a real peer (a server, a browser, the shared
// iCalendar corpus) is missing.
//
// It lives under calendars because that is the one package every part
// may import (the engine, prep, mailer and each adapter already do), and
// it imports nothing of the project, so any test may use it without
// bending the import rules or making a cycle. Only tests and test
// harnesses import it; the daemon does not.
package testkit
