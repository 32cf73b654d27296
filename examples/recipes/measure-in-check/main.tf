# Recipe: measure, don't trust. A check block probes a staging instance of the backend on every plan and
# warns when the nginx setting you deploy is not safely below the idle timeout the probe measured. The
# probe is a scoped data source: when staging is down, the plan warns about that too, and blocks nothing.
terraform {
  required_providers {
    nginxkeepalive = { source = "nginx-keepalive/nginxkeepalive" }
  }
}

variable "staging_backend" {
  description = "host:port of a staging instance of the backend, reachable from where the plan runs."
  type        = string
}

variable "nginx_upstream" {
  description = "The upstream keep-alive settings your nginx runs with."
  type = object({
    keepalive_timeout  = optional(string)
    keepalive_requests = optional(number)
  })
  default = { keepalive_timeout = "1s" }
}

check "nginx_closes_before_the_measured_backend" {
  data "nginxkeepalive_probe" "staging" {
    address           = var.staging_backend
    max_wait          = "75s" # beyond nginx's default keepalive_timeout (60s)
    request_cap_probe = 0     # idle timeout only: a plan should not send hundreds of requests
  }

  # Without a `type`, the probe supplies the limits. It does not look for a request cap here, so the
  # cap is declared (0 = none); give the server's `type` instead to take it from the catalogue.

  assert {
    condition = length(provider::nginxkeepalive::violations(var.nginx_upstream, [
      { name = "staging", probe = data.nginxkeepalive_probe.staging, max_requests_per_connection = 0 },
    ])) == 0
    error_message = join("\n", provider::nginxkeepalive::violations(var.nginx_upstream, [
      { name = "staging", probe = data.nginxkeepalive_probe.staging, max_requests_per_connection = 0 },
    ]))
  }
}
