# Recipe: a check block that warns. A violation is reported as a warning on every plan and apply and
# blocks neither — for a fleet you are still fixing, where a hard failure would hold up unrelated changes.
terraform {
  required_providers {
    nginxkeepalive = { source = "nginx-keepalive/nginxkeepalive" }
  }
}

variable "nginx_upstream" {
  description = "The upstream keep-alive settings your nginx runs with."
  type = object({
    keepalive_timeout  = optional(string)
    keepalive_requests = optional(number)
  })
  default = { keepalive_timeout = "1s" }
}

locals {
  backends = [{ type = "gunicorn", name = "orders" }] # gunicorn closes idle connections after 2s
}

check "nginx_closes_first" {
  assert {
    condition     = length(provider::nginxkeepalive::violations(var.nginx_upstream, local.backends)) == 0
    error_message = join("\n", provider::nginxkeepalive::violations(var.nginx_upstream, local.backends))
  }
}
