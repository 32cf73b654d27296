# The provider has no settings: it computes and checks, it calls no API.
provider "nginxkeepalive" {}
