#!/usr/bin/env bash
# Installs the Debian packages the tests use: openssl (test CA and certificates), and the real servers
# the harness runs on loopback with private configs: nginx, coturn, prosody (+ lua-unbound), OpenLDAP
# slapd (+ ldap-utils) and PostgreSQL. Nothing
# may start at install time: Debian images may lack /usr/sbin/policy-rc.d, so we create one that
# forbids starting services during apt-get (otherwise nginx would start on port 80).
set -euo pipefail
need=()
command -v openssl >/dev/null || need+=(openssl)
[ -x /usr/sbin/nginx ] || need+=(nginx)
command -v turnserver >/dev/null || need+=(coturn)
command -v prosody >/dev/null || need+=(prosody lua-unbound)
[ -x /usr/sbin/slapd ] || need+=(slapd)
command -v ldapadd >/dev/null || need+=(ldap-utils)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v promtool >/dev/null || need+=(prometheus)       # promtool checks the Prometheus output and alert rules
command -v xmllint >/dev/null || need+=(libxml2-utils)    # xmllint checks the JUnit XML
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
