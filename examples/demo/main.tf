# make demo: the provider loads and plans with no configuration.
terraform {
  required_providers {
    nginxkeepalive = {
      source = "nginx-keepalive/nginxkeepalive"
    }
  }
}

provider "nginxkeepalive" {}
