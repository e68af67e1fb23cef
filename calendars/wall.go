package calendars

import "time"

// wall returns the instant a local wall-clock time names in loc, as RFC
// 5545 3.3.5 defines it: a time in a spring-forward gap is read with the
// offset in force before the gap, and a time that occurs twice in a
// fall-back overlap means the first of the two. time.Date leaves both
// cases unspecified (and answers differently east and west of UTC).
func wall(y int, mo time.Month, d, h, mi, s int, loc *time.Location) time.Time {
	t := time.Date(y, mo, d, h, mi, s, 0, loc)
	if loc == time.UTC {
		return t
	}
	ty, tm, td := t.Date()
	if ty == y && tm == mo && td == d && t.Hour() == h && t.Minute() == mi && t.Second() == s {
		return firstInstant(t)
	}
	// In a gap: take the offset of six hours earlier, safely before it.
	_, before := t.Add(-6 * time.Hour).Zone()
	naive := time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	return naive.Add(-time.Duration(before) * time.Second).In(loc)
}

// firstInstant returns the earlier of the two instants a repeated wall
// clock time names in a fall-back hour.
func firstInstant(t time.Time) time.Time {
	_, off := t.Zone()
	_, before := t.Add(-3 * time.Hour).Zone()
	if before <= off {
		return t
	}
	c := t.Add(-time.Duration(before-off) * time.Second)
	if sameWall(c, t) {
		return c
	}
	return t
}

func sameWall(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd && a.Hour() == b.Hour() && a.Minute() == b.Minute() && a.Second() == b.Second()
}
