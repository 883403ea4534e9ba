package seal

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealOpen(t *testing.T) {
	s := New([]byte("a secret of at least thirty-two bytes"), "test v1")
	sealed := s.Seal([]byte("token"))
	if bytes.Contains(sealed, []byte("token")) {
		t.Fatal("sealed value holds the plain text")
	}
	got, err := s.Open(sealed)
	if err != nil || string(got) != "token" {
		t.Fatalf("open: %q %v", got, err)
	}
	if bytes.Equal(sealed, s.Seal([]byte("token"))) {
		t.Error("two seals of one value are equal (nonce reused)")
	}
	for name, other := range map[string]Sealer{
		"another secret":  New([]byte("another secret of thirty-two bytes!!"), "test v1"),
		"another purpose": New([]byte("a secret of at least thirty-two bytes"), "test v2"),
	} {
		if _, err := other.Open(sealed); !errors.Is(err, ErrOpen) {
			t.Errorf("%s opened it: %v", name, err)
		}
	}
	if _, err := s.Open([]byte("short")); !errors.Is(err, ErrOpen) {
		t.Errorf("short value: %v", err)
	}
}
