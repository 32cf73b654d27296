#!/usr/bin/env bash
# Installs the lab's Debian packages (real nginx and real backend servers) when missing.
# Idempotent and fast when everything is present; runs `apt-get update` at most once, and only
# when a package has no install candidate. Leaves no system nginx/apache2/tomcat/jetty service running:
# the lab starts its own instances on free loopback ports.
set -euo pipefail

packages=(
  nginx
  gunicorn python3-uvicorn python3-hypercorn python3-waitress python3-aiohttp
  uwsgi-core uwsgi-plugin-python3
  apache2 tomcat10 jetty9 puma ruby-rack
  caddy haproxy
  iproute2 procps
)
services=(nginx apache2 tomcat10 jetty9 haproxy caddy uwsgi)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "lab-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "lab-deps: missing ${missing[*]}; run as root (apt-get install) or install them yourself" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# apt-get update only when some missing package has no candidate (the lists are stale or absent).
for p in "${missing[@]}"; do
  if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    echo "lab-deps: no candidate for $p; running apt-get update"
    apt-get update -q
    break
  fi
done

# Keep the packages' maintainer scripts from starting system services (policy-rc.d 101 = deny).
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  created_policy=true
fi
cleanup() { if $created_policy; then rm -f "$policy"; fi; }
trap cleanup EXIT

echo "lab-deps: installing ${missing[*]}"
apt-get install -y -q --no-install-recommends "${missing[@]}"

# Belt and braces: stop and disable anything that started anyway (ports 80/8080 stay free).
for s in "${services[@]}"; do
  if [ -e "/etc/init.d/$s" ]; then
    service "$s" stop >/dev/null 2>&1 || true
    update-rc.d "$s" disable >/dev/null 2>&1 || true
  fi
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now "$s" >/dev/null 2>&1 || true
  fi
done
echo "lab-deps: done"
