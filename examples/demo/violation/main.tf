# make demo, part two: nginx's defaults in front of gunicorn. This plan is meant to fail.
terraform {
  required_providers {
    nginxkeepalive = {
      source = "nginx-keepalive/nginxkeepalive"
    }
  }
}

resource "nginxkeepalive_validation" "defaults" {
  nginx = {
    keepalive = 16 # a pool, but nginx's default 60s keepalive_timeout
    version   = "1.22.1"
  }
  backends = [{ type = "gunicorn", name = "orders" }]
}
