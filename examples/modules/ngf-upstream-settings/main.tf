# Creates an NGINX Gateway Fabric UpstreamSettingsPolicy for one Service, with keep-alive values that
# always close before the declared backends do. NGF pools upstream connections by default but keeps
# nginx's 60s keepalive_timeout, which races gunicorn (2s), Node.js (5s) or stock Tomcat (20s).
terraform {
  required_providers {
    nginxkeepalive = {
      source = "nginx-keepalive/nginxkeepalive"
    }
    kubernetes = {
      source = "hashicorp/kubernetes"
    }
  }
}

data "nginxkeepalive_recommendation" "this" {
  backends         = var.backends
  peak_concurrency = var.peak_concurrency
}

locals {
  # NGF's CRD rejects nulls: keep only the fields the recommendation sets.
  keep_alive = {
    for field, value in data.nginxkeepalive_recommendation.this.gateway_fabric_upstream_settings : field => value
    if value != null
  }
}

resource "kubernetes_manifest" "upstream_settings" {
  manifest = {
    apiVersion = "gateway.nginx.org/v1alpha1"
    kind       = "UpstreamSettingsPolicy"
    metadata = {
      name      = "${var.service_name}-keepalive"
      namespace = var.namespace
    }
    spec = {
      targetRefs = [{ group = "core", kind = "Service", name = var.service_name }]
      keepAlive  = local.keep_alive
    }
  }
}

# Belt and braces: the same rule checked against what is applied.
resource "nginxkeepalive_validation" "policy" {
  gateway_fabric_upstream_settings = data.nginxkeepalive_recommendation.this.gateway_fabric_upstream_settings
  backends                         = var.backends
}
