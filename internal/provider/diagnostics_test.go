package provider

import "testing"

func TestTitleGivesOneCaseStyle(t *testing.T) {
	for in, want := range map[string]string{
		"unknown backend":                  "Unknown Backend",
		"invalid nginx version":            "Invalid nginx Version",
		"load balancer given as a backend": "Load Balancer Given as a Backend",
		"idle timeout must be positive":    "Idle Timeout Must Be Positive",
		"no backends":                      "No Backends",
	} {
		if got := title(in); got != want {
			t.Errorf("title(%q) = %q, want %q", in, got, want)
		}
	}
}
