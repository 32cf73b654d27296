package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxver"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

// F5 NGINX Ingress Controller (nginx/kubernetes-ingress) exposes one upstream keep-alive
// setting, the pool size:
//   - ConfigMap key "keepalive" (internal/configs/configmaps.go @af0aba146017fc2aa2a864af44554967181697b9,
//     GetMapKeyAsInt(cfgm.Data, "keepalive", ...); default 0 in internal/configs/config_params.go
//     @003d5228f055e753e6cb8a7aed9939a3b2607bc2, where Keepalive is absent from NewDefaultConfigParams),
//   - Ingress annotation "nginx.org/keepalive" (internal/configs/annotations.go @c0c14c0b611ec57f0d652b997f3181bbd8d85ac9),
//   - VirtualServer spec.upstreams[].keepalive (pkg/apis/configuration/v1/types.go
//     @8cb99cc7d13473b4a791453bd8cd7f24e3a8eba2, Upstream.Keepalive `json:"keepalive"`).
//
// Its templates render only "keepalive N;" inside upstream{} and only when N > 0
// (internal/configs/version1/nginx.ingress.tmpl @041d39c0a0d0616d1c8fa7f80e63f96e72c1ccbb,
// internal/configs/version2/nginx.virtualserver.tmpl @024c35d95ee2040e6c1152afe44e76cb1ad84b1b);
// there is no key for the upstream keepalive_timeout, keepalive_requests or keepalive_time, so
// nginx's defaults apply. Snippets cannot reach upstream{}: http-snippets, server-snippets and
// location-snippets land in http, server and location, where "keepalive_timeout" means the
// CLIENT-side timeout. Only a custom template (ConfigMap keys "ingress-template" /
// "virtualserver-template", internal/configs/configmaps.go) can add them.
const (
	// NginxIngressConfigMapKeepalive is the ConfigMap key for the upstream pool.
	NginxIngressConfigMapKeepalive = "keepalive"
	// NginxIngressAnnotationKeepalive is the per-Ingress annotation for the upstream pool.
	NginxIngressAnnotationKeepalive = "nginx.org/keepalive"
	// NginxIngressAnnotationLocationSnippets adds directives to every location of the Ingress
	// (internal/configs/version1/nginx.ingress.tmpl: LocationSnippets, after proxy_http_version).
	NginxIngressAnnotationLocationSnippets = "nginx.org/location-snippets"
	// NginxIngressCloseSnippet is what turns upstream keep-alive off for an Ingress on nginx >=
	// 1.29.7, where a pool of 0 leaves nginx's default pool in place: every request asks the
	// backend to close, so no connection is ever cached. It is safe inside the location because
	// the template sets no Connection header there when keepalive is 0, and the location's
	// other proxy_set_header lines are its own, so none is lost.
	NginxIngressCloseSnippet = `proxy_set_header Connection "close";`
)

// NginxIngressKeepAlive holds the F5 NGINX Ingress Controller settings for rec.
type NginxIngressKeepAlive struct {
	ConfigMap map[string]string // ConfigMap data: "keepalive"
	// Annotations for Ingress resources: "nginx.org/keepalive", and on nginx >= 1.29.7 with a
	// pool of 0 also "nginx.org/location-snippets" = NginxIngressCloseSnippet.
	Annotations map[string]string
	// VirtualServerKeepalive is spec.upstreams[].keepalive for VirtualServer resources.
	VirtualServerKeepalive int64
}

// NginxIngressController returns the pool size F5 NGINX Ingress Controller should use, plus
// warnings. Because the controller cannot set the upstream timeouts, nginx's defaults for
// rec.NginxVersion stay in force; when the recommendation needs a shorter keepalive_timeout or
// keepalive_time than those defaults, a pool would race the backend, so the pool is 0 (off)
// and the warnings say how to get keep-alive back safely.
func NginxIngressController(rec engine.Recommendation) (NginxIngressKeepAlive, []string) {
	var warnings []string
	pool := int64(0)
	nd, err := defaultsOf(rec)
	if err == nil && rec.KeepaliveEnabled {
		err = checkEnabled(rec)
	}
	switch {
	case err != nil:
		warnings = append(warnings, fmt.Sprintf("NGINX Ingress Controller: upstream keep-alive set to 0 (off): %v", err))
	case rec.KeepaliveEnabled:
		unsafe, notes := nicLimits(rec, nd)
		if len(unsafe) == 0 {
			pool = rec.Pool
			warnings = append(warnings, notes...)
		} else {
			warnings = append(warnings, nicOffAdvice(rec, nd, unsafe))
		}
	}
	value := strconv.FormatInt(pool, 10)
	out := NginxIngressKeepAlive{
		ConfigMap:              map[string]string{NginxIngressConfigMapKeepalive: value},
		Annotations:            map[string]string{NginxIngressAnnotationKeepalive: value},
		VirtualServerKeepalive: pool,
	}
	if pool == 0 && err == nil && nd.KeepaliveOnByDefault {
		out.Annotations[NginxIngressAnnotationLocationSnippets] = NginxIngressCloseSnippet
		warnings = append(warnings, nicZeroOnNewNginx(nd))
	}
	return out, warnings
}

// nicLimits compares rec with the nginx defaults the controller leaves in place. It returns
// the settings that would race the backend (unsafe) and notes on the harmless differences,
// which matter only while the pool is on.
func nicLimits(rec engine.Recommendation, nd nginxver.Defaults) (unsafe, notes []string) {
	if !nd.SupportsUpstreamTimeouts {
		unsafe = append(unsafe, fmt.Sprintf("nginx %s has no upstream keepalive_timeout (needs %s), so cached connections never time out", nd.Version, nginxver.UpstreamKeepaliveTimeout))
		return unsafe, nil
	}
	if rec.KeepaliveTimeout < nd.UpstreamKeepaliveTimeout {
		unsafe = append(unsafe, fmt.Sprintf("keepalive_timeout must be %s but stays at nginx's default %s",
			ngxtime.Format(rec.KeepaliveTimeout), ngxtime.Format(nd.UpstreamKeepaliveTimeout)))
	}
	if nd.SupportsKeepaliveTime && rec.KeepaliveTime > 0 && rec.KeepaliveTime < nd.UpstreamKeepaliveTime {
		unsafe = append(unsafe, fmt.Sprintf("keepalive_time must be %s but stays at nginx's default %s",
			ngxtime.Format(rec.KeepaliveTime), ngxtime.Format(nd.UpstreamKeepaliveTime)))
	}
	if rec.KeepaliveRequests < nd.UpstreamKeepaliveRequests {
		notes = append(notes, fmt.Sprintf(
			"NGINX Ingress Controller cannot set the upstream keepalive_requests (recommended %d, nginx's default %d stays): "+
				"backends that announce their last response with \"Connection: close\" only cost a reconnect, but add "+
				"\"keepalive_requests %d;\" to the upstream block of a custom template to avoid it",
			rec.KeepaliveRequests, nd.UpstreamKeepaliveRequests, rec.KeepaliveRequests))
	}
	return unsafe, notes
}

func nicOffAdvice(rec engine.Recommendation, nd nginxver.Defaults, unsafe []string) string {
	off := "0 (off)"
	if nd.KeepaliveOnByDefault {
		off = "0 (with the location snippet below, which nginx " + nd.Version.String() + " needs to really turn it off)"
	}
	msg := fmt.Sprintf("NGINX Ingress Controller: upstream keep-alive set to "+off+" because the controller cannot set "+
		"the upstream timeouts and %s. To keep upstream keep-alive safely, either raise the backends' idle timeout "+
		"(and connection age limit) above nginx's defaults (%s / %s) with some margin and then set %q / %q to %d, or use a "+
		"custom template (ConfigMap keys \"ingress-template\" / \"virtualserver-template\") whose upstream block adds",
		strings.Join(unsafe, "; "), ngxtime.Format(nd.UpstreamKeepaliveTimeout), ngxtime.Format(nd.UpstreamKeepaliveTime),
		NginxIngressConfigMapKeepalive, NginxIngressAnnotationKeepalive, rec.Pool)
	msg += fmt.Sprintf(" \"keepalive_timeout %s; keepalive_requests %d;\"", ngxtime.Format(rec.KeepaliveTimeout), rec.KeepaliveRequests)
	if nd.SupportsKeepaliveTime && rec.KeepaliveTime > 0 {
		msg += fmt.Sprintf(" and \"keepalive_time %s;\"", ngxtime.Format(rec.KeepaliveTime))
	}
	return msg + ". Snippets cannot do this: they never reach the upstream block, and keepalive_timeout in http-snippets or server-snippets sets the client-side timeout"
}

func nicZeroOnNewNginx(nd nginxver.Defaults) string {
	return fmt.Sprintf("NGINX Ingress Controller: its templates never write \"keepalive 0;\" (a value of 0 leaves the line out), and nginx %s (>= %s) then "+
		"caches %d connections per worker by default with keepalive_timeout %s. VirtualServer locations already send \"Connection: close\" without "+
		"keepalive ($default_connection_header in nginx.virtualserver.tmpl). For Ingress resources, `annotations` adds %s: %s, which makes the backend "+
		"close every connection after its response so none is cached; it needs snippets enabled (-enable-snippets), merge it with the Ingress's own "+
		"location snippets, or set the ConfigMap key \"location-snippets\" to it for every Ingress, or add \"keepalive 0;\" to the upstream block of a custom \"ingress-template\"",
		nd.Version, nginxver.KeepaliveByDefault, nd.UpstreamKeepalivePool, ngxtime.Format(nd.UpstreamKeepaliveTimeout),
		NginxIngressAnnotationLocationSnippets, NginxIngressCloseSnippet)
}
