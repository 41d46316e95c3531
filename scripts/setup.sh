#!/usr/bin/env bash
# Installs what nft-coexist needs on Debian 12 (as root) and builds it into ./build.
# Idempotent: skips apt when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS=(build-essential cmake pkg-config libnftables-dev nlohmann-json3-dev libre2-dev libcli11-dev catch2
      nftables iptables iproute2 conntrack python3 python3-scapy graphviz jq)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "setup: missing packages (${missing[*]}); run as root" >&2; exit 2; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
