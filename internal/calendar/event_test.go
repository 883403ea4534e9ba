package calendar

import "testing"

func TestBaseUID(t *testing.T) {
	for in, want := range map[string]string{
		"4k3h1bqn0pmn2qmvc7m0b6ip2q_R20250327T123000@google.com": "4k3h1bqn0pmn2qmvc7m0b6ip2q@google.com",
		"68k0p6ackplecqs9fuvbs1fju0_R20250326T123000":            "68k0p6ackplecqs9fuvbs1fju0",
		"abc_R20250326@google.com":                               "abc@google.com",
		"4k3h1bqn0pmn2qmvc7m0b6ip2q@google.com":                  "4k3h1bqn0pmn2qmvc7m0b6ip2q@google.com",
		"meeting_Review@acme.com":                                "meeting_Review@acme.com",
		"x_R2025@a.com":                                          "x_R2025@a.com",
	} {
		if got := BaseUID(in); got != want {
			t.Errorf("BaseUID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClip(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a longer text", 8, "a longer…"},
		{"Überweisung", 1, "…"}, // never half a rune
		{"ÜÜÜ", 3, "Ü…"},
	} {
		if got := Clip(c.in, c.n); got != c.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
