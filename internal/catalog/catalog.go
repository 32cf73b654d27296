// Package catalog holds the backend servers' keep-alive defaults as data: idle timeout,
// requests per connection, connection age, the server's own knob names and the primary
// source of every value. It has no Terraform types; the engine and the provider read it.
package catalog

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// LimitKind says whether a server bounds a value, never bounds it, or has no default we know.
type LimitKind int

const (
	// Unknown: no confirmed default; the user must give the value.
	Unknown LimitKind = iota
	// Unlimited: the server never closes for this reason.
	Unlimited
	// Bounded: the server closes at Value.
	Bounded
)

func (k LimitKind) String() string {
	switch k {
	case Unlimited:
		return "unlimited"
	case Bounded:
		return "bounded"
	default:
		return "unknown"
	}
}

// DurationLimit is a time limit a server applies to a connection.
type DurationLimit struct {
	Kind  LimitKind
	Value time.Duration
}

// CountLimit is a count limit a server applies to a connection.
type CountLimit struct {
	Kind  LimitKind
	Value int64
}

// Seconds is a bounded duration limit of s seconds; it keeps the profile table readable.
func Seconds(s float64) DurationLimit {
	return DurationLimit{Kind: Bounded, Value: time.Duration(s * float64(time.Second))}
}

// Requests is a bounded per-connection request cap.
func Requests(n int64) CountLimit { return CountLimit{Kind: Bounded, Value: n} }

var (
	// NoIdleLimit marks a server that keeps idle connections forever by default.
	NoIdleLimit = DurationLimit{Kind: Unlimited}
	// NoRequestCap marks a server without a per-connection request cap.
	NoRequestCap = CountLimit{Kind: Unlimited}
	// NoAgeLimit marks a server without a maximum connection age.
	NoAgeLimit = DurationLimit{Kind: Unlimited}
	// UnknownIdle marks a server whose idle default is not confirmed from a primary source.
	UnknownIdle = DurationLimit{Kind: Unknown}
	// UnknownRequests marks a server whose request cap is not confirmed from a primary source.
	UnknownRequests = CountLimit{Kind: Unknown}
)

// Knobs are the names of the server's own settings, so messages can say what to raise.
type Knobs struct {
	IdleTimeout      string
	MaxRequests      string
	MaxConnectionAge string
}

// Defaults are one server's defaults for a range of its versions.
type Defaults struct {
	// MinVersion (inclusive) and MaxVersion (exclusive) bound the versions these defaults
	// apply to; empty means unbounded. Versions compare numerically per dotted component.
	MinVersion, MaxVersion string
	KeepAliveSupported     bool
	IdleTimeout            DurationLimit
	MaxRequests            CountLimit
	MaxConnectionAge       DurationLimit
	// ObservedIdleClose is when a real server of this range was measured to close an idle
	// connection, where that differs from IdleTimeout (timer granularity, sweeps, buffers).
	// The rule always uses IdleTimeout when it is the shorter; the lab compares against this.
	ObservedIdleClose time.Duration
	// ObservedStillOpen is how long an idle connection was measured to stay open without the
	// server closing it at all, where the documented IdleTimeout was not honoured. The rule
	// still uses IdleTimeout (the safe side); the lab treats a longer survival as expected.
	ObservedStillOpen time.Duration
	// Source is the primary source: an official doc URL or owner/repo path@ref Lnn.
	Source string
	Notes  string
}

// Profile is one backend type.
type Profile struct {
	Type string
	// Name is a human name for messages ("gunicorn (gthread/gevent/ASGI workers)").
	Name string
	// VersionOf says what a version means for this type ("Node.js major version").
	VersionOf string
	Knobs     Knobs
	// Defaults are ordered oldest first; their version ranges must not overlap.
	Defaults []Defaults
	// Custom profiles have no defaults at all: every value comes from the user.
	Custom bool
	// IsLoadBalancer marks front load balancers (aws-alb, gcp-alb) rather than backends.
	IsLoadBalancer bool
}

// Resolved is a profile's defaults for one requested version.
type Resolved struct {
	Profile  *Profile
	Version  string
	Defaults Defaults
	// Conservative is set when no version was given and versions differ: the tightest
	// limits across all known versions are used, so the advice is safe for any of them.
	Conservative bool
}

// UnknownTypeError is returned for a type id the catalogue does not know.
type UnknownTypeError struct {
	Type       string
	Suggestion string
}

func (e *UnknownTypeError) Error() string {
	msg := fmt.Sprintf("unknown backend type %q", e.Type)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return msg + "; known types: " + strings.Join(Types(), ", ") + `; use "custom" with explicit limits for anything else`
}

// VersionError is returned for a version that is not a dotted number.
type VersionError struct {
	Type, Version string
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("invalid version %q for backend type %q: want a dotted number such as \"20\" or \"10.1.60\"", e.Version, e.Type)
}

// Types lists every known type id, sorted.
func Types() []string {
	ids := make([]string, 0, len(profiles))
	for i := range profiles {
		ids = append(ids, profiles[i].Type)
	}
	sort.Strings(ids)
	return ids
}

// Get returns the profile for a type id.
func Get(typ string) (*Profile, error) {
	key := strings.ToLower(strings.TrimSpace(typ))
	for i := range profiles {
		if profiles[i].Type == key {
			return &profiles[i], nil
		}
	}
	return nil, &UnknownTypeError{Type: typ, Suggestion: Suggest(key)}
}

// Lookup resolves a type and an optional version to the defaults that apply.
func Lookup(typ, version string) (Resolved, error) {
	p, err := Get(typ)
	if err != nil {
		return Resolved{}, err
	}
	given := strings.TrimSpace(version)
	version = strings.TrimPrefix(given, "v")
	if given != "" && version == "" {
		return Resolved{}, &VersionError{Type: p.Type, Version: given}
	}
	if p.Custom || len(p.Defaults) == 0 {
		return Resolved{Profile: p, Version: version, Defaults: Defaults{KeepAliveSupported: true,
			IdleTimeout: UnknownIdle, MaxRequests: UnknownRequests, MaxConnectionAge: NoAgeLimit}}, nil
	}
	if version == "" {
		d, conservative := tightest(p.Defaults)
		return Resolved{Profile: p, Defaults: d, Conservative: conservative}, nil
	}
	if _, err := parseVersion(version); err != nil {
		return Resolved{}, &VersionError{Type: p.Type, Version: version}
	}
	for _, d := range p.Defaults {
		if inRange(version, d.MinVersion, d.MaxVersion) {
			return Resolved{Profile: p, Version: version, Defaults: d}, nil
		}
	}
	// A version outside every known range: stay safe rather than guess.
	d, _ := tightest(p.Defaults)
	return Resolved{Profile: p, Version: version, Defaults: d, Conservative: true}, nil
}

// tightest merges version ranges into the safest single set of defaults.
func tightest(all []Defaults) (Defaults, bool) {
	if len(all) == 1 {
		return all[0], false
	}
	out := all[0]
	sources := []string{all[0].Source}
	for _, d := range all[1:] {
		out.KeepAliveSupported = out.KeepAliveSupported && d.KeepAliveSupported
		out.IdleTimeout = minDuration(out.IdleTimeout, d.IdleTimeout)
		out.MaxConnectionAge = minDuration(out.MaxConnectionAge, d.MaxConnectionAge)
		out.MaxRequests = minCount(out.MaxRequests, d.MaxRequests)
		if d.ObservedIdleClose != 0 && (out.ObservedIdleClose == 0 || d.ObservedIdleClose < out.ObservedIdleClose) {
			out.ObservedIdleClose = d.ObservedIdleClose
		}
		if !slices.Contains(sources, d.Source) {
			sources = append(sources, d.Source)
		}
	}
	conservative := false
	for _, d := range all[1:] {
		conservative = conservative || !sameLimits(all[0], d)
	}
	out.MinVersion, out.MaxVersion = "", ""
	out.ObservedStillOpen = 0 // a measurement of one range says nothing about the others
	out.Source = strings.Join(sources, "; ")
	out.Notes = "No version given: the tightest defaults across all known versions are used; give the version for its exact defaults."
	if !conservative {
		out.Notes = "No version given: all known versions share these defaults."
	}
	return out, conservative
}

// sameLimits reports whether two ranges give the rule the same inputs.
func sameLimits(a, b Defaults) bool {
	return a.KeepAliveSupported == b.KeepAliveSupported && a.IdleTimeout == b.IdleTimeout &&
		a.MaxRequests == b.MaxRequests && a.MaxConnectionAge == b.MaxConnectionAge
}

// tighter picks the stricter of two limits: Unknown wins (nothing safe can be claimed), then
// any bound over Unlimited, then the smaller bound.
func tighter[V time.Duration | int64](aKind LimitKind, aValue V, bKind LimitKind, bValue V) (LimitKind, V) {
	switch {
	case aKind == Unknown || bKind == Unknown:
		return Unknown, 0
	case aKind == Unlimited:
		return bKind, bValue
	case bKind == Unlimited, aValue <= bValue:
		return aKind, aValue
	default:
		return bKind, bValue
	}
}

func minDuration(a, b DurationLimit) DurationLimit {
	kind, value := tighter(a.Kind, a.Value, b.Kind, b.Value)
	return DurationLimit{Kind: kind, Value: value}
}

func minCount(a, b CountLimit) CountLimit {
	kind, value := tighter(a.Kind, a.Value, b.Kind, b.Value)
	return CountLimit{Kind: kind, Value: value}
}

func parseVersion(v string) ([]int, error) {
	parts := strings.Split(v, ".")
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("not a dotted number: %q", v)
		}
		out[i] = n
	}
	return out, nil
}

// compareVersions compares dotted numbers component by component; missing components are 0.
func compareVersions(a, b string) int {
	va, _ := parseVersion(a)
	vb, _ := parseVersion(b)
	for i := 0; i < len(va) || i < len(vb); i++ {
		var x, y int
		if i < len(va) {
			x = va[i]
		}
		if i < len(vb) {
			y = vb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func inRange(v, lo, hi string) bool {
	if lo != "" && compareVersions(v, lo) < 0 {
		return false
	}
	return hi == "" || compareVersions(v, hi) < 0
}

// aliases are names people use for a known type; they are suggested, never silently accepted,
// so a typo can never select the wrong server's defaults.
var aliases = map[string]string{
	"apache": "apache-httpd", "apache2": "apache-httpd", "httpd": "apache-httpd",
	"nodejs": "node", "node.js": "node",
	"spring-boot": "spring-boot-tomcat", "springboot": "spring-boot-tomcat", "spring": "spring-boot-tomcat",
	"go": "go-net-http", "golang": "go-net-http", "net/http": "go-net-http",
	"aspnetcore": "kestrel", "asp.net": "kestrel", "dotnet": "kestrel",
	"alb": "aws-alb", "elb": "aws-alb", "gclb": "gcp-alb",
	"php": "php-fpm", "ruby": "puma", "netty": "reactor-netty", "webflux": "spring-boot-netty",
}

// Suggest returns the known type id nearest to typ, or "" when nothing is close.
func Suggest(typ string) string {
	typ = strings.ToLower(strings.TrimSpace(typ))
	if typ == "" {
		return ""
	}
	if id, ok := aliases[typ]; ok {
		return id
	}
	best, bestDist := "", 1<<30
	for _, id := range Types() {
		d := levenshtein(typ, id)
		if strings.HasPrefix(id, typ) || strings.HasPrefix(typ, id) {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = id, d
		}
	}
	if bestDist > max(2, len(typ)/3) {
		return ""
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
