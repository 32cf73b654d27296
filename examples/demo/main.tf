# make demo: what nginx must be set to in front of gunicorn, stock Tomcat and Node.js 20.
terraform {
  required_providers {
    nginxkeepalive = {
      source = "nginx-keepalive/nginxkeepalive"
    }
  }
}

provider "nginxkeepalive" {}

data "nginxkeepalive_recommendation" "api" {
  upstream_name = "api"
  servers       = ["127.0.0.1:8000", "127.0.0.1:8080", "127.0.0.1:3000"]
  nginx_version = "1.22.1"

  backends = [
    { type = "gunicorn", name = "orders" },
    { type = "tomcat", name = "billing", version = "10.1" },
    { type = "node", name = "web", version = "20" },
  ]
}

output "keepalive_timeout" {
  value = data.nginxkeepalive_recommendation.api.keepalive_timeout
}

output "keepalive_requests" {
  value = data.nginxkeepalive_recommendation.api.keepalive_requests
}

output "upstream_config" {
  value = data.nginxkeepalive_recommendation.api.upstream_config
}

output "proxy_config" {
  value = data.nginxkeepalive_recommendation.api.proxy_config
}

output "explanation" {
  value = data.nginxkeepalive_recommendation.api.explanation
}

# The same backends checked against nginx's settings: these are safe, so the plan passes.
resource "nginxkeepalive_validation" "api" {
  nginx = {
    keepalive_timeout  = data.nginxkeepalive_recommendation.api.keepalive_timeout
    keepalive_requests = data.nginxkeepalive_recommendation.api.keepalive_requests
    keepalive          = data.nginxkeepalive_recommendation.api.keepalive
    version            = "1.22.1"
  }
  backends = [
    { type = "gunicorn", name = "orders" },
    { type = "tomcat", name = "billing", version = "10.1" },
    { type = "node", name = "web", version = "20" },
  ]
}
