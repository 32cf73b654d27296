# Recipe: a variable validation that fails the plan. A module that takes nginx settings from its
# caller rejects values that would race the backends it fronts, before anything is applied.
terraform {
  required_providers {
    nginxkeepalive = { source = "nginx-keepalive/nginxkeepalive" }
  }
}

variable "nginx_upstream" {
  description = "Upstream keep-alive settings for the nginx in front of gunicorn."
  type = object({
    keepalive_timeout  = optional(string)
    keepalive_requests = optional(number)
  })
  default = { keepalive_timeout = "1s" }

  validation {
    condition     = length(provider::nginxkeepalive::violations(var.nginx_upstream, [{ type = "gunicorn" }])) == 0
    error_message = join("\n", provider::nginxkeepalive::violations(var.nginx_upstream, [{ type = "gunicorn" }]))
  }
}

output "nginx_upstream" {
  value = var.nginx_upstream
}
