# Measure what a running backend really does with idle keep-alive connections, and feed the
# measurement to the advice. 127.0.0.1:8000 is a gunicorn in staging (or on your machine).
data "nginxkeepalive_probe" "api" {
  address           = "127.0.0.1:8000"
  path              = "/healthz" # a cheap path that answers below 500
  max_wait          = "75s"      # longer than nginx's keepalive_timeout: learn whether the server outlives it
  request_cap_probe = 150        # more than the cap you expect
}

# The tighter of the catalogue's gunicorn defaults and the measurement wins.
data "nginxkeepalive_recommendation" "api" {
  backends = [{ type = "gunicorn", probe = data.nginxkeepalive_probe.api }]
}

output "measured_idle_timeout" {
  value = data.nginxkeepalive_probe.api.idle_timeout # e.g. "2004ms"; null when the server outlived max_wait
}

output "how_it_closes" {
  value = data.nginxkeepalive_probe.api.close # fin, rst, connection_close or open
}

output "request_cap" {
  value = data.nginxkeepalive_probe.api.max_requests_per_connection # null: no cap within 150 requests
}

output "keepalive_timeout" {
  value = data.nginxkeepalive_recommendation.api.keepalive_timeout
}
