package nginxconf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ingressStyleConfig writes a configuration shaped like ingress-nginx's generated one
// (rootfs/etc/nginx/template/nginx.tmpl): the $connection_upgrade map, one upstream per
// service with keep-alive settings, ten hosts per server group, and the controller's long
// list of proxy_set_header in every location. With lua, it adds the controller's Lua blocks
// (which stock nginx cannot load, so nginx -t runs on the variant without them).
func ingressStyleConfig(upstreams int, lua bool) string {
	var b strings.Builder
	b.Grow(upstreams * 560)
	b.WriteString("# Generated in the shape of ingress-nginx's nginx.tmpl\n")
	b.WriteString("worker_processes 2;\nworker_rlimit_nofile 130048;\nevents {\n    multi_accept on;\n    worker_connections 16384;\n}\n\n")
	b.WriteString("http {\n    keepalive_timeout 75s;\n    keepalive_requests 1000;\n")
	if lua {
		b.WriteString("    lua_package_path \"/etc/nginx/lua/?.lua;;\";\n    init_by_lua_block {\n        local ok, res = pcall(require, \"lua_ingress\")\n        if not ok then error(\"require failed: \" .. tostring(res)) end\n        lua_ingress.set_config({ listen_ports = { ssl_proxy = \"442\", https = \"443\" } })\n    }\n")
	}
	b.WriteString("    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        # https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive\n        '' '';\n    }\n\n")
	for i := 0; i < upstreams; i++ {
		fmt.Fprintf(&b, "    upstream default-svc-%d-80 {\n        server 10.%d.%d.%d:8080 max_fails=0 fail_timeout=0;\n", i, i>>16&255, i>>8&255, i&255)
		if lua && i%100 == 0 {
			b.WriteString("        balancer_by_lua_block { balancer.balance() }\n")
		}
		b.WriteString("        keepalive 320;\n        keepalive_time 1h;\n        keepalive_timeout 60s;\n        keepalive_requests 10000;\n    }\n")
	}
	for i := 0; i < upstreams; i++ {
		if i%10 == 0 {
			fmt.Fprintf(&b, "\n    ## start server host-%d.example.com\n    server {\n        server_name host-%d.example.com;\n        listen 80;\n", i/10, i/10)
			if lua {
				b.WriteString("        rewrite_by_lua_block { lua_ingress.rewrite({ force_ssl_redirect = false }) balancer.rewrite() }\n")
			}
		}
		fmt.Fprintf(&b, "        location /svc-%d/ {\n", i)
		b.WriteString("            proxy_set_header Host $host;\n            proxy_set_header X-Real-IP $remote_addr;\n" +
			"            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n" +
			"            proxy_http_version 1.1;\n")
		fmt.Fprintf(&b, "            proxy_pass http://default-svc-%d-80;\n        }\n", i)
		if i%10 == 9 || i == upstreams-1 {
			b.WriteString("    }\n")
		}
	}
	b.WriteString("}\n")
	return b.String()
}

func TestIngressStyleGenerated(t *testing.T) {
	for _, lua := range []bool{false, true} {
		conf := ingressStyleConfig(250, lua)
		a, err := AnalyzeContent(conf, Options{NginxVersion: "1.22.1"})
		if err != nil {
			t.Fatalf("lua=%v: %v", lua, err)
		}
		if len(a.Upstreams) != 250 || len(a.Proxies) != 250 {
			t.Fatalf("lua=%v: %d upstreams, %d proxies; want 250 each", lua, len(a.Upstreams), len(a.Proxies))
		}
		for _, p := range a.Proxies {
			if !p.KeepaliveEffective || !p.ClearsConnectionHeader || p.ProxyHTTPVersion != "1.1" {
				t.Fatalf("lua=%v: %+v", lua, p)
			}
		}
		u := a.Upstreams["default-svc-137-80"]
		if *u.Keepalive != 320 || u.KeepaliveRequests != 10000 || u.KeepaliveTimeout.Seconds() != 60 || len(u.Explicit) != 4 {
			t.Errorf("lua=%v: %+v", lua, u)
		}
		if p := a.Proxies[137]; p.ServerName != "host-13.example.com" || p.Location != "/svc-137/" || p.Upstream != "default-svc-137-80" {
			t.Errorf("lua=%v: %+v", lua, p)
		}
		// The upstreams set their own keepalive_timeout, so the client-side one is not flagged.
		if len(a.Findings) != 0 {
			t.Errorf("lua=%v: unexpected findings %+v", lua, a.Findings[:1])
		}
	}
}

// writeGenerated puts a generated configuration into a file for tests that need a path.
func writeGenerated(t *testing.T, upstreams int, lua bool) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(p, []byte(ingressStyleConfig(upstreams, lua)), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
