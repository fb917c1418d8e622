#!/usr/bin/env bash
# Installs the Debian packages the tests use: openssl (test CA and certificates) and nginx (the real
# reverse proxy of the test deployment, run by the harness with a private prefix on loopback). Nothing
# may start at install time: Debian images may lack /usr/sbin/policy-rc.d, so we create one that
# forbids starting services during apt-get (otherwise nginx would start on port 80).
set -euo pipefail
need=()
command -v openssl >/dev/null || need+=(openssl)
[ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "missing packages: ${need[*]} (run as root, or install them: apt-get install ${need[*]})" >&2
  exit 1
fi
if [ ! -e /usr/sbin/policy-rc.d ]; then
  # Only for the duration of this install: removed again so the machine's own services behave as before.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
