#!/usr/bin/env bash
# Renders the hook graph of a ruleset as a PNG with Graphviz (apt-get install graphviz).
# usage: scripts/render-graph.sh [INPUT] [OUT.png]   (defaults: the bundled seed host)
set -euo pipefail
cd "$(dirname "$0")/.."
in=${1:-corpora/fedora43-seed}
out=${2:-doc/fedora43-seed-graph.png}
bin=${NFT_COEXIST:-build/nft-coexist}
"$bin" graph "$in" --format dot | dot -Tpng -o "$out"
echo "wrote $out"
