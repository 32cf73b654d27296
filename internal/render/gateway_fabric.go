package render

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

// GatewayFabricDurationPattern is the validation pattern of NGINX Gateway Fabric's Duration
// type: up to four digits and an optional unit (no unit = seconds). Sources:
// nginx/nginx-gateway-fabric apis/v1alpha1/shared_types.go @1acac97e020affe0040d9b740650e8b5eb27f499
// ("+kubebuilder:validation:Pattern=`^[0-9]{1,4}(ms|s|m|h)?$`"), the generated CRD
// config/crd/bases/gateway.nginx.org_upstreamsettingspolicies.yaml @62eb8afae83e8e2dad8fccec5595d534989bc5ce
// (keepAlive.time and keepAlive.timeout), and the controller's own check
// internal/controller/nginx/config/validation/generic.go @310e28cd5f335cfa8d6a249c3bbb9971e27b2994.
const GatewayFabricDurationPattern = `^[0-9]{1,4}(ms|s|m|h)?$`

var gatewayFabricDurationRe = compile(GatewayFabricDurationPattern)

// ParseGatewayFabricDuration reads an NGF Duration (e.g. from an existing policy's spec): it
// must match GatewayFabricDurationPattern, and NGF writes it verbatim into nginx, so its value
// is what nginx reads (a bare number is seconds in both).
func ParseGatewayFabricDuration(s string) (time.Duration, error) {
	if !gatewayFabricDurationRe().MatchString(s) {
		return 0, fmt.Errorf("invalid NGINX Gateway Fabric duration %q: it must match %s, e.g. \"55s\", \"1500ms\" or \"1h\"", s, GatewayFabricDurationPattern)
	}
	return ngxtime.Parse(s)
}

// Older NGF controllers checked durations against `\d{1,4}(ms|s)?` only
// (nginxinc/nginx-gateway-fabric internal/mode/static/nginx/config/validation/generic.go
// @10bae0bc9f00d45da246b42b5e7ad264997b4a78), so "s" and "ms" are preferred and "m"/"h" are
// used only for values beyond 9999s.
const ngfMaxDigits = 9999

// GatewayFabricKeepAlive mirrors UpstreamSettingsPolicy spec.keepAlive (nginx/nginx-gateway-fabric
// apis/v1alpha1/upstreamsettingspolicy_types.go @04be5d04691533174906e10c86b0e3936a67dcbc,
// type UpstreamKeepAlive). NGF copies each field verbatim into the upstream block
// (internal/controller/nginx/config/upstreams_template.go @0367f79cd0edd04f676293a23174ce126e8e8039).
type GatewayFabricKeepAlive struct {
	// Connections is keepalive (int32, minimum 0). 0 disables upstream keep-alive, and NGF then
	// drops requests/time/timeout (processKeepAliveSettings in
	// internal/controller/nginx/config/upstreams.go @02845c7dd11521839243e77a49b8c1964f2db370).
	Connections int32
	Requests    int32  // keepalive_requests; 0 = omit the field
	Time        string // keepalive_time as an NGF Duration; "" = omit the field
	Timeout     string // keepalive_timeout as an NGF Duration; "" = omit the field
}

// GatewayFabricClientKeepAlive mirrors the part of ClientSettingsPolicy spec.keepAlive this
// provider sets: timeout.server, nginx's client-side keepalive_timeout (nginx/nginx-gateway-fabric
// apis/v1alpha1/clientsettingspolicy_types.go @575b123684d3ebd40b022bee42e97d07296f0839, types
// ClientKeepAlive and ClientKeepAliveTimeout).
type GatewayFabricClientKeepAlive struct {
	TimeoutServer string // spec.keepAlive.timeout.server as an NGF Duration
}

// GatewayFabricUpstreamSettings returns UpstreamSettingsPolicy spec.keepAlive for rec, plus
// warnings. Durations that NGF's pattern cannot hold exactly are rounded DOWN (a shorter
// nginx timeout is always safe) and reported; numbers above int32 are lowered to its maximum.
// With keep-alive off, Connections is 0 and nothing else is set.
//
// For nginx >= 1.29.7 (NGF 2.4 and later ship nginx 1.31.x) the warnings also say what NGF does
// without the policy, and that connections 0 must reach nginx as "keepalive 0;".
func GatewayFabricUpstreamSettings(rec engine.Recommendation) (GatewayFabricKeepAlive, []string) {
	nd, verr := defaultsOf(rec)
	newNginx := verr == nil && nd.KeepaliveOnByDefault
	off := func(first ...string) (GatewayFabricKeepAlive, []string) {
		w := append(first, ngfOffNote)
		if newNginx {
			w = append(w, ngfZeroOnNewNginx(nd))
		}
		return GatewayFabricKeepAlive{}, w
	}
	if !rec.KeepaliveEnabled {
		return off()
	}
	if err := checkEnabled(rec); err != nil {
		return off(fmt.Sprintf("NGINX Gateway Fabric: upstream keep-alive turned off because the recommendation cannot be rendered: %v", err))
	}
	var warnings []string
	timeout, note, ok := ngfDuration(rec.KeepaliveTimeout, false)
	if !ok {
		return off(fmt.Sprintf(
			"NGINX Gateway Fabric: the recommended keepalive_timeout %s cannot be written as an NGF duration; upstream keep-alive turned off (connections 0)",
			ngxtime.Format(rec.KeepaliveTimeout)))
	}
	if newNginx && defaultsRace(rec, nd) {
		warnings = append(warnings, ngfWithoutPolicy(nd))
	}
	warnings = appendNote(warnings, "keepAlive.timeout", note)
	ka := GatewayFabricKeepAlive{
		Connections: clampInt32(rec.Pool, "keepAlive.connections", &warnings),
		Requests:    clampInt32(rec.KeepaliveRequests, "keepAlive.requests", &warnings),
		Timeout:     timeout,
	}
	if rec.KeepaliveTime > 0 {
		t, note, ok := ngfDuration(rec.KeepaliveTime, false)
		if ok {
			ka.Time = t
			warnings = appendNote(warnings, "keepAlive.time", note)
		} else {
			warnings = append(warnings, fmt.Sprintf(
				"NGINX Gateway Fabric: keepAlive.time %s cannot be written as an NGF duration and is left out", ngxtime.Format(rec.KeepaliveTime)))
		}
	}
	return ka, warnings
}

// GatewayFabricClientSettings returns ClientSettingsPolicy spec.keepAlive for rec when a front
// load balancer was declared (rec.ClientKeepaliveTimeout > 0), else nil. Here the safe
// direction is longer (nginx must outlive the balancer's idle timeout), so values are rounded UP.
func GatewayFabricClientSettings(rec engine.Recommendation) (*GatewayFabricClientKeepAlive, []string) {
	if rec.ClientKeepaliveTimeout <= 0 {
		return nil, nil
	}
	server, note, ok := ngfDuration(rec.ClientKeepaliveTimeout, true)
	if !ok {
		return nil, []string{fmt.Sprintf(
			"NGINX Gateway Fabric: the client keepalive_timeout %s is longer than an NGF duration can express (9999h); set it with a snippet instead",
			ngxtime.Format(rec.ClientKeepaliveTimeout))}
	}
	var warnings []string
	warnings = appendNote(warnings, "keepAlive.timeout.server", note)
	return &GatewayFabricClientKeepAlive{TimeoutServer: server}, warnings
}

const ngfOffNote = "NGINX Gateway Fabric: keepAlive.connections 0 disables upstream keep-alive " +
	"(apis/v1alpha1/upstreamsettingspolicy_types.go @04be5d04); NGF releases whose CRD still requires connections >= 1 " +
	"(config/crd/bases/gateway.nginx.org_upstreamsettingspolicies.yaml @62eb8afa) reject 0 — those releases did not " +
	"enable upstream keep-alive by default (nginx/nginx-gateway-fabric issue #4291), so leave spec.keepAlive out there"

// ngfWithoutPolicy says what a Service gets without the policy: NGF 2.4-2.6 write "keepalive
// 16;" into every upstream (nginx/nginx-gateway-fabric pull 4524; removed by pull 5592), later
// releases leave nginx's own default pool; either way nginx's timeouts stay.
func ngfWithoutPolicy(nd nginxver.Defaults) string {
	return fmt.Sprintf("NGINX Gateway Fabric: a Service without this UpstreamSettingsPolicy is not safe: NGF 2.4 to 2.6 write "+
		"\"keepalive 16;\" into every upstream block (later releases leave nginx %s's default, keepalive %d local), and both keep "+
		"nginx's keepalive_timeout %s and keepalive_time %s, which these backends do not outlive; attach the policy to every Service behind them",
		nd.Version, nd.UpstreamKeepalivePool, ngxtime.Format(nd.UpstreamKeepaliveTimeout), ngxtime.Format(nd.UpstreamKeepaliveTime))
}

// ngfZeroOnNewNginx: nginx >= 1.29.7 pools by default, so 0 only helps if NGF writes it out.
func ngfZeroOnNewNginx(nd nginxver.Defaults) string {
	return fmt.Sprintf("NGINX Gateway Fabric: nginx %s pools %d connections per upstream by default, so keepAlive.connections 0 "+
		"turns the pool off only where NGF writes \"keepalive 0;\" into the upstream block (NGF 2.4 to 2.6 leave the line out for 0, "+
		"nginx/nginx-gateway-fabric pull 5592); check the generated upstream with nginx -T in the NGINX pod",
		nd.Version, nd.UpstreamKeepalivePool)
}

// defaultsRace reports whether nginx's own upstream timeouts for nd would outlive the
// backends rec was computed for (rec asks for a shorter keepalive_timeout or keepalive_time).
func defaultsRace(rec engine.Recommendation, nd nginxver.Defaults) bool {
	return rec.KeepaliveTimeout < nd.UpstreamKeepaliveTimeout ||
		(nd.SupportsKeepaliveTime && rec.KeepaliveTime > 0 && rec.KeepaliveTime < nd.UpstreamKeepaliveTime)
}

// ngfUnit is one unit NGF's Duration accepts, in order of preference.
type ngfUnit struct {
	suffix string
	ms     int64
}

var (
	ngfExactUnits = []ngfUnit{{"s", 1000}, {"ms", 1}, {"m", 60000}, {"h", 3600000}}
	ngfFineFirst  = []ngfUnit{{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}}
)

// ngfDuration writes d as an NGF Duration. It prefers an exact value (in s or ms, then m or h);
// otherwise it rounds in the safe direction (down, or up when roundUp) in the finest unit that
// fits four digits and returns a note saying so. ok is false when no positive value fits.
func ngfDuration(d time.Duration, roundUp bool) (value, note string, ok bool) {
	ms := d.Milliseconds()
	if roundUp && d%time.Millisecond != 0 {
		ms++
	}
	if ms <= 0 {
		return "", "", false
	}
	for _, u := range ngfExactUnits {
		if ms%u.ms == 0 && ms/u.ms <= ngfMaxDigits {
			return strconv.FormatInt(ms/u.ms, 10) + u.suffix, ngfUnitNote(u.suffix), true
		}
	}
	for _, u := range ngfFineFirst {
		q := ms / u.ms
		if roundUp && ms%u.ms != 0 {
			q++
		}
		if q <= ngfMaxDigits {
			v := strconv.FormatInt(q, 10) + u.suffix
			direction := "down"
			if roundUp {
				direction = "up"
			}
			n := fmt.Sprintf("%s cannot be written exactly in NGF's duration format (%s), rounded %s to %s",
				ngxtime.Format(d), GatewayFabricDurationPattern, direction, v)
			if un := ngfUnitNote(u.suffix); un != "" {
				n += "; " + un
			}
			return v, n, true
		}
	}
	if roundUp {
		return "", "", false
	}
	return "9999h", fmt.Sprintf("%s is beyond NGF's largest duration, lowered to 9999h", ngxtime.Format(d)), true
}

func ngfUnitNote(suffix string) string {
	if suffix == "m" || suffix == "h" {
		return "uses unit " + suffix + ", which older NGF controllers (duration check `\\d{1,4}(ms|s)?`) reject"
	}
	return ""
}

func appendNote(warnings []string, field, note string) []string {
	if note == "" {
		return warnings
	}
	return append(warnings, "NGINX Gateway Fabric: "+field+": "+note)
}

// clampInt32 lowers n to the int32 range NGF's fields use, noting it (lower is the safe side
// for pool size and requests per connection).
func clampInt32(n int64, field string, warnings *[]string) int32 {
	if n > math.MaxInt32 {
		*warnings = append(*warnings, fmt.Sprintf("NGINX Gateway Fabric: %s %d exceeds int32, lowered to %d", field, n, math.MaxInt32))
		return math.MaxInt32
	}
	return int32(n)
}
