# One nginx upstream in front of three kinds of backend: the tightest one (gunicorn, 2s) decides.
data "nginxkeepalive_recommendation" "api" {
  upstream_name = "api"
  servers       = ["10.0.0.10:8000", "10.0.0.11:8080", "10.0.0.12:3000"]
  nginx_version = "1.30.4" # the default; the rendered text differs before 1.29.7

  backends = [
    { type = "gunicorn", name = "orders" },
    { type = "tomcat", name = "billing", version = "10.1" },
    { type = "node", name = "web", version = "20" },
  ]

  peak_concurrency = 64
  worker_processes = 2
}

output "keepalive_timeout" {
  value = data.nginxkeepalive_recommendation.api.keepalive_timeout # "1s"
}

# A ready `upstream api { ... }` block (`keepalive 32 local;` ... on nginx 1.30.4) and the location
# directives keep-alive needs (only `proxy_pass http://api;` there: HTTP/1.1 and no Connection
# header are nginx's defaults since 1.29.7).
output "nginx_upstream" {
  value = data.nginxkeepalive_recommendation.api.upstream_config
}

output "nginx_location" {
  value = data.nginxkeepalive_recommendation.api.proxy_config
}

# Why each value is what it is.
output "explanation" {
  value = data.nginxkeepalive_recommendation.api.explanation
}
