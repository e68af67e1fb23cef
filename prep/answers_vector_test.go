package prep

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// Values sealed by the AnswerCipher of before calendars/seal (its own
// AES-256-GCM), with the secrets key 0x42 repeated: what databases hold
// today must still open, and their recorded key check must still match.
const (
	vectorCheck  = "a78dae8405748c1210855b8af34e8f8198f120a6f085199611c6a5ef12dec7c1"
	vectorAnswer = "v1:8EbOa92f8HQxYNUfmCzHTqbSOB3kSb8G6YK7Uy/00ZqnG1IDKGfxsLbO40AZLilHUwhG234" // answer q1 of request 7
	vectorSteps  = "v1:q+WCN4pW1r1KGP81ryXpDMnNPqk4H5gGSV9wQyenqEeZCznQch4dg+6rzJA"             // next steps of follow-up 12
)

func TestAnswersSealedBeforeStillOpen(t *testing.T) {
	c, err := NewAnswerCipher(AnswerKey(bytes.Repeat([]byte{0x42}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if c.check != vectorCheck {
		t.Errorf("key check %s, databases recorded %s: every start would refuse the key", c.check, vectorCheck)
	}
	if got, err := c.open(answerRow, 7, "q1", vectorAnswer); err != nil || got != "Ship the <migration> plan" {
		t.Errorf("stored answer opens as %q, %v", got, err)
	}
	if got, err := c.openSteps(12, vectorSteps); err != nil || got != "Book the offsite" {
		t.Errorf("stored next steps open as %q, %v", got, err)
	}
	if _, err := c.open(answerRow, 8, "q1", vectorAnswer); err == nil {
		t.Error("the answer opened as another request's")
	}
}

// The keys derived from the secrets key are what they were (HMAC-SHA256
// of a label), so issued links and sealed answers keep working.
func TestKeysDerivedAsBefore(t *testing.T) {
	secrets := bytes.Repeat([]byte{0x42}, 32)
	for name, c := range map[string]struct{ got, want string }{
		"link key":   {hex.EncodeToString(LinkKey(secrets)), "e8ed02d95c0dc6d7f6933d92c0b50b44e68c2a4ad9112336a2817e2ec962536e"},
		"answer key": {hex.EncodeToString(AnswerKey(secrets)), "4af51530904f2bd3559641163398bcb5e5f3d6b05a08a5e796088e417e27a5c0"},
	} {
		if c.got != c.want {
			t.Errorf("%s %s, want %s", name, c.got, c.want)
		}
	}
}
