package ngxtime

import (
	"strings"
	"testing"
	"time"
)

func TestParseMillis(t *testing.T) {
	valid := map[string]int64{
		"60":      60000,
		"60s":     60000,
		"1m":      60000,
		"1m30s":   90000,
		"1m30":    90000,
		"1h 30m":  5400000,
		"500ms":   500,
		"1s500ms": 1500,
		"2d":      172800000,
		"1w":      604800000,
		"0":       0,
		"75s":     75000,
		"1h":      3600000,
		"1m 5":    65000,
		"5 5":     10000, // nginx reads a bare number before a space as seconds
		"10s ":    10000,
		"0010":    10000,
	}
	for in, want := range valid {
		got, err := ParseMillis(in)
		if err != nil || got != want {
			t.Errorf("ParseMillis(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	invalid := []string{"", "s", "-1", "1.5s", "1y", "1M", "30s1m", "1s1s", "1 s", "5 5 5", "1msms",
		"abc", "10x", "9223372036854775808", "9999999999999999w", "1ms1s", "\x00"}
	for _, in := range invalid {
		if got, err := ParseMillis(in); err == nil {
			t.Errorf("ParseMillis(%q) = %d, want an error", in, got)
		}
	}
}

func TestErrorNamesValue(t *testing.T) {
	_, err := Parse("10x")
	if err == nil || !strings.Contains(err.Error(), `"10x"`) {
		t.Fatalf("error %v does not name the value", err)
	}
}

func TestFormatRoundTrips(t *testing.T) {
	cases := map[time.Duration]string{
		59 * time.Second:        "59s",
		time.Hour:               "1h",
		1500 * time.Millisecond: "1500ms",
		90 * time.Second:        "90s",
		20 * time.Minute:        "20m",
		0:                       "0ms",
	}
	for d, want := range cases {
		got := Format(d)
		if got != want {
			t.Errorf("Format(%v) = %q, want %q", d, got, want)
		}
		back, err := Parse(got)
		if err != nil || back != d {
			t.Errorf("Parse(Format(%v)) = %v, %v", d, back, err)
		}
	}
}
