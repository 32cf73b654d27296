# In a module's variable validation: reject settings that race the declared backends.
variable "nginx_upstream" {
  type = object({
    keepalive_timeout  = optional(string)
    keepalive_requests = optional(number)
  })
  default = { keepalive_timeout = "1s" }

  validation {
    condition = length(provider::nginxkeepalive::violations(var.nginx_upstream, [
      { type = "gunicorn" },
    ])) == 0
    error_message = "nginx would outlive gunicorn's 2s idle timeout: set keepalive_timeout to 1s or less."
  }
}

# As a check block: reported on every plan and apply without blocking.
locals {
  edge_nginx    = { keepalive_timeout = "4s", version = "1.22.1" }
  edge_backends = [{ type = "node", version = "20" }, { type = "tomcat" }]
}

check "nginx_closes_first" {
  assert {
    condition     = length(provider::nginxkeepalive::violations(local.edge_nginx, local.edge_backends)) == 0
    error_message = join("\n", provider::nginxkeepalive::violations(local.edge_nginx, local.edge_backends))
  }
}
