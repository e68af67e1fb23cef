package webapi

import (
	"errors"
	"testing"
)

type cursor struct {
	Token string `json:"token"`
}

// TestFeedChangesKeepsTheCursorOnError: the adapter reads from the
// cursor it gave last; an unreadable cursor is a full read; a failed read
// leaves the cursor as it was, with what was read counted.
func TestFeedChangesKeepsTheCursorOnError(t *testing.T) {
	var from []string
	read := func(fail error) func(cursor) (Changes, cursor, error) {
		return func(cur cursor) (Changes, cursor, error) {
			from = append(from, cur.Token)
			ch := Changes{Updated: []Object{{Href: "e1", ETag: `"1"`, Data: []byte("BEGIN:VCALENDAR")}}, Requests: 2, Bytes: 15}
			return ch, cursor{Token: "next"}, fail
		}
	}
	d, next, err := FeedChanges("test feed", `{"token":"t1"}`, read(nil))
	if err != nil || next != `{"token":"next"}` || len(d.Updated) != 1 || d.Updated[0].Href != "e1" || d.Requests != 2 || d.Bytes != 15 {
		t.Errorf("read: %+v %q %v", d, next, err)
	}
	boom := errors.New("boom")
	d, next, err = FeedChanges("test feed", "not json", read(boom))
	if !errors.Is(err, boom) || next != "not json" || d.Requests != 2 {
		t.Errorf("failed read: next %q, err %v, %d requests; want the cursor given back and the requests counted", next, err, d.Requests)
	}
	if want := []string{"t1", ""}; from[0] != want[0] || from[1] != want[1] {
		t.Errorf("read from %q, want %q", from, want)
	}
}
