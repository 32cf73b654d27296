// Package ngxtime parses and formats nginx time values exactly as nginx does for
// millisecond directives such as keepalive_timeout and keepalive_time
// (ngx_parse_time with is_sec = 0 in src/core/ngx_parse.c).
package ngxtime

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// maxInt is NGX_MAX_INT_T_VALUE on 64-bit platforms.
const maxInt = math.MaxInt64

// step mirrors nginx's parser states; each unit may appear once, in decreasing order.
type step int

const (
	stStart step = iota
	stYear
	stMonth
	stWeek
	stDay
	stHour
	stMin
	stSec
	stMsec
	stLast
)

// Error reports a value nginx would reject with "invalid value".
type Error struct {
	Value  string
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("invalid nginx time %q: %s (use a number with an optional unit ms, s, m, h, d or w, e.g. \"55s\" or \"1m30s\")", e.Value, e.Reason)
}

// ParseMillis returns the value of s in milliseconds, accepting exactly what nginx accepts
// for a millisecond directive: digits followed by units (ms, s, m, h, d, w), each unit at
// most once and in decreasing order, a bare trailing number meaning seconds. Years and
// months are rejected in this context, as nginx does.
func ParseMillis(s string) (int64, error) {
	fail := func(reason string) (int64, error) { return 0, &Error{Value: s, Reason: reason} }
	var (
		valid        bool
		value, total int64
		cur          = stMonth // is_sec = 0: nginx starts past year and month
	)
	const cutoff, cutlim = maxInt / 10, maxInt % 10
	for p := 0; p < len(s); {
		c := s[p]
		if c >= '0' && c <= '9' {
			if value >= cutoff && (value > cutoff || int64(c-'0') > cutlim) {
				return fail("number too large")
			}
			value = value*10 + int64(c-'0')
			valid = true
			p++
			continue
		}
		p++
		var next step
		var scale int64
		switch {
		case c == 'y':
			return fail("years are not allowed for millisecond values")
		case c == 'M':
			return fail("months are not allowed for millisecond values")
		case c == 'w':
			next, scale = stWeek, 7*24*3600*1000
		case c == 'd':
			next, scale = stDay, 24*3600*1000
		case c == 'h':
			next, scale = stHour, 3600*1000
		case c == 'm' && p < len(s) && s[p] == 's':
			p++
			next, scale = stMsec, 1
		case c == 'm':
			next, scale = stMin, 60*1000
		case c == 's':
			next, scale = stSec, 1000
		case c == ' ':
			if cur >= stSec {
				return fail("a space may only follow a unit larger than seconds")
			}
			next, scale = stLast, 1000
		default:
			return fail(fmt.Sprintf("unexpected character %q", c))
		}
		if next != stLast && cur >= next {
			return fail("units must appear once each, largest first")
		}
		cur = next
		if value > maxInt/scale {
			return fail("value too large")
		}
		value *= scale
		if total > maxInt-value {
			return fail("value too large")
		}
		total += value
		value = 0
		for p < len(s) && s[p] == ' ' {
			p++
		}
	}
	if !valid {
		return fail("no number")
	}
	if value > maxInt/1000 {
		return fail("value too large")
	}
	value *= 1000
	if total > maxInt-value {
		return fail("value too large")
	}
	return total + value, nil
}

// Parse is ParseMillis as a time.Duration; values beyond time.Duration's range
// (about 292 years) are rejected.
func Parse(s string) (time.Duration, error) {
	ms, err := ParseMillis(s)
	if err != nil {
		return 0, err
	}
	if ms > int64(math.MaxInt64/time.Millisecond) {
		return 0, &Error{Value: s, Reason: "value too large"}
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Format renders d in the largest single nginx unit that represents it exactly
// ("2h", "90s", "1500ms"), truncated to milliseconds. Negative values render as "0ms".
func Format(d time.Duration) string {
	ms := d.Milliseconds()
	switch {
	case ms <= 0:
		return "0ms"
	case ms%3600000 == 0:
		return strconv.FormatInt(ms/3600000, 10) + "h"
	case ms%60000 == 0 && ms >= 600000:
		return strconv.FormatInt(ms/60000, 10) + "m"
	case ms%1000 == 0:
		return strconv.FormatInt(ms/1000, 10) + "s"
	default:
		return strconv.FormatInt(ms, 10) + "ms"
	}
}
