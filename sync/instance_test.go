package sync

import (
	"strings"
	"testing"
)

// A restarted instance is the same one; two on one host (another
// state_dir or port) are not.
func TestInstanceIDStableAndDistinct(t *testing.T) {
	a := InstanceID("state/a", "127.0.0.1:8080")
	if again := InstanceID("state/a", "127.0.0.1:8080"); again != a {
		t.Fatalf("the same instance got %q then %q", a, again)
	}
	for _, other := range []string{InstanceID("state/b", "127.0.0.1:8080"), InstanceID("state/a", "127.0.0.1:8081")} {
		if other == a {
			t.Fatalf("two instances share the id %q", a)
		}
	}
	if i := strings.LastIndex(a, "-"); i < 1 || len(a)-i-1 != 8 {
		t.Fatalf("id %q is not host-hash", a)
	}
}
