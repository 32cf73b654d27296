# Fails `terraform plan` when nginx would keep idle upstream connections longer than a backend.
resource "nginxkeepalive_validation" "api" {
  nginx = {
    keepalive_timeout  = "15s"
    keepalive_requests = 99
    keepalive          = 32
    version            = "1.22.1"
  }

  backends = [
    { type = "tomcat", name = "billing" }, # 20s idle, 100 requests
    { type = "custom", name = "legacy", idle_timeout = "30s", max_requests_per_connection = 0 },
  ]

  # Near misses (margin below max(1s, 10%)) fail too.
  warnings_as_errors = true
}

# Checking a whole nginx.conf at once: each named upstream against its own backends.
resource "nginxkeepalive_validation" "edge" {
  nginx_config = <<-EOT
    http {
      upstream api {
        server 10.0.0.10:8000;
        keepalive 16;
        keepalive_timeout 1s;
      }
    }
  EOT
  upstreams = {
    api = [{ type = "gunicorn" }]
  }
}
