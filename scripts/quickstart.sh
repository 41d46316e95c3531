#!/usr/bin/env bash
# Quick start, command 1: set up, build, and run the main job on the bundled Fedora 43 host
# (firewalld + Docker 29 docker-bridges + libvirt libvirt_network, from the seed article).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
seed=corpora/fedora43-seed
echo "== nft-coexist graph $seed (IPv4 forward and input) =="
build/nft-coexist graph "$seed"
echo "== nft-coexist lint $seed =="
build/nft-coexist lint "$seed" || rc=$?
exit "${rc:-0}"
