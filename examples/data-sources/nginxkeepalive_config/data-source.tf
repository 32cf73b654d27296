# Analyse the nginx.conf a team already has (includes are followed inside its directory).
data "nginxkeepalive_config" "edge" {
  path          = "${path.module}/nginx/nginx.conf"
  nginx_version = "1.22.1"
  # An include that cannot be read here (e.g. /etc/nginx/mime.types on a CI runner) is skipped with a
  # warning finding; set strict_includes = true to fail instead.
  strict_includes = false
}

# Locations whose upstream pool is silently unused (proxy_http_version 1.0, Connection not cleared).
output "keepalive_not_effective" {
  value = [for p in data.nginxkeepalive_config.edge.proxies : "${p.file}:${p.line} ${p.location} (${p.kind})" if !p.keepalive_effective]
}

output "findings" {
  value = data.nginxkeepalive_config.edge.findings
}

# Fail the plan when the upstream "api" would outlive the gunicorn behind it.
resource "nginxkeepalive_validation" "api" {
  nginx    = data.nginxkeepalive_config.edge.upstreams["api"]
  backends = [{ type = "gunicorn" }]
}
