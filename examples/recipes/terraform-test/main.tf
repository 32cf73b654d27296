# Recipe: a small module that renders nginx's upstream keep-alive settings from the recommendation,
# tested with `terraform test` / `tofu test` (tests/render.tftest.hcl).
terraform {
  required_providers {
    nginxkeepalive = { source = "nginx-keepalive/nginxkeepalive" }
  }
}

variable "backends" {
  description = "What serves behind the upstream, e.g. [{ type = \"gunicorn\" }]."
  type = list(object({
    type    = string
    version = optional(string)
  }))
}

variable "peak_concurrency" {
  description = "Peak concurrent requests to the upstream; sizes the keepalive pool."
  type        = number
  default     = 32
}

data "nginxkeepalive_recommendation" "this" {
  backends         = var.backends
  peak_concurrency = var.peak_concurrency
}

locals {
  rec = data.nginxkeepalive_recommendation.this
}

# The directives this module writes into its nginx template.
output "upstream_directives" {
  value = join("\n", [
    "keepalive ${local.rec.keepalive};",
    "keepalive_timeout ${local.rec.keepalive_timeout};",
    "keepalive_requests ${local.rec.keepalive_requests};",
  ])
}

output "keepalive_timeout_ms" {
  value = local.rec.keepalive_timeout_ms
}
