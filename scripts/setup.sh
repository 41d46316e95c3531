#!/usr/bin/env bash
# Installs what nft-coexist needs on Debian 12 (as root) and builds it into ./build.
# Idempotent: skips apt when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS=(build-essential cmake pkg-config libnftables-dev nlohmann-json3-dev libre2-dev libcli11-dev catch2
      nftables iptables iproute2 conntrack python3 python3-scapy graphviz jq)
scripts/install-packages.sh "${PKGS[@]}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
