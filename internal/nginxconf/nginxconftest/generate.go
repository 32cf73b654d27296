// Package nginxconftest generates nginx configurations for nginxconf's tests, benchmarks and
// the crossplane comparison (tools/benchcmp), so all of them measure the same input.
package nginxconftest

import (
	"fmt"
	"strings"
)

// IngressStyleConfig is a configuration shaped like ingress-nginx's generated one: its
// $connection_upgrade map, one upstream per service, ten hosts per server and, with lua, its
// Lua blocks. nginxconf's tests and benchmarks and the crossplane comparison share it.
func IngressStyleConfig(upstreams int, lua bool) string {
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
