#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are missing (as root; idempotent:
# no apt call when everything is there). Shared by setup.sh and ci-extra.sh.
#   scripts/install-packages.sh PKG...
set -euo pipefail
missing=()
for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then echo "install-packages: missing packages (${missing[*]}); run as root" >&2; exit 2; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
