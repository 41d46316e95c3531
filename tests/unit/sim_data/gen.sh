#!/bin/bash
# Regenerates the nft JSON of each .nft here (as `nft -j list ruleset` prints it), in a
# private network namespace. Run as root: bash tests/unit/sim_data/gen.sh
set -euo pipefail
cd "$(dirname "$0")"
for f in *.nft; do
  unshare -n bash -c "nft -f '$f' && nft -j list ruleset" > "${f%.nft}.json"
done
