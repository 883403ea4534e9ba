package apperr

import "testing"

// TestFieldsErrorText: an error's text names each field problem once.
func TestFieldsErrorText(t *testing.T) {
	var one Fields
	one.Add("url", "points at a loopback address")
	if got, want := one.Err().Error(), "invalid input: url points at a loopback address"; got != want {
		t.Errorf("one field: %q, want %q", got, want)
	}
	var two Fields
	two.Add("from", "is not a date")
	two.Add("to", "is before from")
	if got, want := two.Err().Error(), "invalid input in 2 fields; from: is not a date; to: is before from"; got != want {
		t.Errorf("two fields: %q, want %q", got, want)
	}
}
