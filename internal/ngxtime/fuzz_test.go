package ngxtime

import (
	"math"
	"testing"
	"time"
)

// ngxMaxIntT is NGX_MAX_INT_T_VALUE on 64-bit platforms (ngx_int_t is 64 bits there).
const ngxMaxIntT = math.MaxInt64

// Steps of nginx's parser, in the order of its enum.
const (
	refStart = iota
	refYear
	refMonth
	refWeek
	refDay
	refHour
	refMin
	refSec
	refMsec
	refLast
)

// referenceParseTime is nginx's ngx_parse_time() transcribed statement by statement, as an
// oracle written independently of ParseMillis. Source: nginx/nginx src/core/ngx_parse.c,
// ngx_parse_time(ngx_str_t *line, ngx_uint_t is_sec), in the form it has had since the
// overflow checks against NGX_MAX_INT_T_VALUE (read from the stable-1.18 copy at
// Kenta-Yamasawa/nginx-branches-stable-1.18@5043bb25, src/core/ngx_parse.c; older revisions
// capped at NGX_MAX_INT32_VALUE). Checked by hand against Debian's nginx 1.22.1 with
// `nginx -t` on `keepalive_timeout "<value>"` in an upstream: 25d, 4w, 2147484s, "1s 2",
// 1ms5, " 5" and 3000000 are accepted; 18446744073709551616s and 99999999999999999999 are
// "invalid value". ok=false is nginx's NGX_ERROR ("invalid value").
func referenceParseTime(line []byte, isSec bool) (result int64, ok bool) {
	var value, total, scale, maxv int64
	cutoff := int64(ngxMaxIntT / 10)
	cutlim := int64(ngxMaxIntT % 10)
	valid := false
	step := refMonth
	if isSec {
		step = refStart
	}
	p, last := 0, len(line)
	for p < last {
		if line[p] >= '0' && line[p] <= '9' {
			d := int64(line[p] - '0')
			if value >= cutoff && (value > cutoff || d > cutlim) {
				return 0, false
			}
			value = value*10 + d
			p++
			valid = true
			continue
		}
		c := line[p]
		p++
		switch c {
		case 'y':
			if step > refStart {
				return 0, false
			}
			step, maxv, scale = refYear, ngxMaxIntT/(60*60*24*365), 60*60*24*365
		case 'M':
			if step >= refMonth {
				return 0, false
			}
			step, maxv, scale = refMonth, ngxMaxIntT/(60*60*24*30), 60*60*24*30
		case 'w':
			if step >= refWeek {
				return 0, false
			}
			step, maxv, scale = refWeek, ngxMaxIntT/(60*60*24*7), 60*60*24*7
		case 'd':
			if step >= refDay {
				return 0, false
			}
			step, maxv, scale = refDay, ngxMaxIntT/(60*60*24), 60*60*24
		case 'h':
			if step >= refHour {
				return 0, false
			}
			step, maxv, scale = refHour, ngxMaxIntT/(60*60), 60*60
		case 'm':
			if p < last && line[p] == 's' {
				if isSec || step >= refMsec {
					return 0, false
				}
				p++
				step, maxv, scale = refMsec, ngxMaxIntT, 1
				break
			}
			if step >= refMin {
				return 0, false
			}
			step, maxv, scale = refMin, ngxMaxIntT/60, 60
		case 's':
			if step >= refSec {
				return 0, false
			}
			step, maxv, scale = refSec, ngxMaxIntT, 1
		case ' ':
			if step >= refSec {
				return 0, false
			}
			step, maxv, scale = refLast, ngxMaxIntT, 1
		default:
			return 0, false
		}
		if step != refMsec && !isSec {
			scale *= 1000
			maxv /= 1000
		}
		if value > maxv {
			return 0, false
		}
		value *= scale
		if total > ngxMaxIntT-value {
			return 0, false
		}
		total += value
		value = 0
		for p < last && line[p] == ' ' {
			p++
		}
	}
	if !valid {
		return 0, false
	}
	if !isSec {
		if value > ngxMaxIntT/1000 {
			return 0, false
		}
		value *= 1000
	}
	if total > ngxMaxIntT-value {
		return 0, false
	}
	return total + value, true
}

// TestReferenceParseTimeMatchesNginx pins the oracle itself to what nginx 1.22.1 did with
// these values (see referenceParseTime), so a broken oracle cannot bless a broken parser.
func TestReferenceParseTimeMatchesNginx(t *testing.T) {
	accepted := map[string]int64{
		"25d": 25 * 86400000, "4w": 4 * 604800000, "2147484s": 2147484000, "1s 2": 3000,
		"1ms5": 5001, " 5": 5000, "3000000": 3000000000, "1h 30m": 5400000, "0": 0,
	}
	for in, want := range accepted {
		if got, ok := referenceParseTime([]byte(in), false); !ok || got != want {
			t.Errorf("reference(%q) = %d, %v; nginx accepts it as %d ms", in, got, ok, want)
		}
	}
	for _, in := range []string{"18446744073709551616s", "99999999999999999999", "", " ", "s", "1y", "1M", "1s1m", "5 sec", "1.5s", "-1s", "1 2 3"} {
		if got, ok := referenceParseTime([]byte(in), false); ok {
			t.Errorf("reference(%q) = %d; nginx rejects it", in, got)
		}
	}
}

// FuzzParseMillis: ParseMillis accepts exactly what nginx accepts, with the same value.
func FuzzParseMillis(f *testing.F) {
	for _, s := range []string{"60", "1m30s", "500ms", "1h 30m", "9223372036854775s", "1y", "", " 5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, wantOK := referenceParseTime([]byte(s), false)
		got, err := ParseMillis(s)
		switch {
		case wantOK && err != nil:
			t.Fatalf("ParseMillis(%q) rejected a value nginx accepts as %d ms: %v", s, want, err)
		case !wantOK && err == nil:
			t.Fatalf("ParseMillis(%q) = %d, but nginx rejects it", s, got)
		case wantOK && got != want:
			t.Fatalf("ParseMillis(%q) = %d ms, nginx: %d ms", s, got, want)
		}
		if err != nil {
			if _, isParseErr := err.(*Error); !isParseErr {
				t.Fatalf("ParseMillis(%q) error has type %T, want *ngxtime.Error", s, err)
			}
			return
		}
		// Parse agrees with ParseMillis wherever time.Duration can hold the value.
		d, perr := Parse(s)
		if got <= math.MaxInt64/int64(time.Millisecond) {
			if perr != nil || d != time.Duration(got)*time.Millisecond {
				t.Fatalf("Parse(%q) = %v, %v; ParseMillis = %d ms", s, d, perr, got)
			}
		} else if perr == nil {
			t.Fatalf("Parse(%q) = %v, want an out-of-range error for %d ms", s, d, got)
		}
		// Format's output parses back to the same duration (truncated to ms).
		if perr == nil {
			back, err := ParseMillis(Format(d))
			if err != nil || back != got {
				t.Fatalf("ParseMillis(Format(%v)) = %d, %v; want %d", d, back, err, got)
			}
		}
	})
}
