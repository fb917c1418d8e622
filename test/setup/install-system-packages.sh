#!/usr/bin/env bash
# Installs the Debian packages the tests use (openssl for the test CA). Later test servers (nginx,
# coturn, prosody, slapd, PostgreSQL) are added here. Nothing starts at install time: Debian images
# may lack /usr/sbin/policy-rc.d, so we create one that forbids starting services during apt-get.
set -euo pipefail
need=()
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "missing packages: ${need[*]} (run as root, or install them: apt-get install ${need[*]})" >&2
  exit 1
fi
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
