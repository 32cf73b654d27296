# Compare nginx time values numerically, exactly as nginx reads them.
locals {
  nginx_timeout_ms   = provider::nginxkeepalive::duration_ms("1m30s") # 90000
  backend_timeout_ms = provider::nginxkeepalive::duration_ms("120")   # bare numbers are seconds: 120000
}

resource "terraform_data" "upstream" {
  input = local.nginx_timeout_ms

  lifecycle {
    precondition {
      condition     = local.nginx_timeout_ms < local.backend_timeout_ms
      error_message = "nginx's keepalive_timeout must be shorter than the backend's idle timeout."
    }
  }
}
