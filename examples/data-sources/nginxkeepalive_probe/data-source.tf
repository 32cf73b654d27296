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

# A measurement varies by a few milliseconds from read to read (idle_timeout: "2004ms", then "2007ms"), so an
# output of it changes on every plan; the advice rounds it to 100ms and stays put.
output "how_it_closes" {
  value = data.nginxkeepalive_probe.api.close # fin, rst, connection_close or open
}

output "request_cap" {
  value = data.nginxkeepalive_probe.api.max_requests_per_connection # null: no cap within 150 requests
}

output "keepalive_timeout" {
  value = data.nginxkeepalive_recommendation.api.keepalive_timeout
}
