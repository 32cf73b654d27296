# Do not mock this provider (no mock_provider / override_data for nginxkeepalive): it is offline and
# deterministic, so the real one costs nothing, while a mocked data source returns placeholder values
# and provider functions are not mocked at all — the assertions would test the mock, not the rule.

run "gunicorn_sets_the_timeout" {
  command = plan

  variables {
    backends = [{ type = "gunicorn" }]
  }

  assert {
    condition     = output.keepalive_timeout_ms < 2000
    error_message = "nginx must close idle upstream connections before gunicorn's 2s: got ${output.keepalive_timeout_ms} ms"
  }

  assert {
    condition     = strcontains(output.upstream_directives, "keepalive_timeout 1s;")
    error_message = "unexpected directives:\n${output.upstream_directives}"
  }
}

run "the_tightest_backend_decides" {
  command = plan

  variables {
    backends = [{ type = "node", version = "20" }, { type = "gunicorn" }]
  }

  assert {
    condition     = output.keepalive_timeout_ms == 1000
    error_message = "adding Node.js 20 (5s) must not loosen gunicorn's limit: got ${output.keepalive_timeout_ms} ms"
  }
}
