# In a module's variable validation: reject settings that race the declared backends.
variable "nginx_upstream" {
  type = object({
    keepalive_timeout  = optional(string)
    keepalive_requests = optional(number)
  })

  validation {
    condition = length(provider::nginxkeepalive::violations(var.nginx_upstream, [
      { type = "gunicorn" },
    ])) == 0
    error_message = "nginx would outlive gunicorn's 2s idle timeout: set keepalive_timeout to 1s or less."
  }
}

# As a check block: reported on every plan and apply without blocking.
check "nginx_closes_first" {
  assert {
    condition = length(provider::nginxkeepalive::violations(
      { keepalive_timeout = "4s", version = "1.22.1" },
      [{ type = "node", version = "20" }, { type = "tomcat" }]
    )) == 0
    error_message = "nginx keep-alive outlives a backend."
  }
}
