#!/bin/bash
# Writes <capture>/kernel-record.jsonl for every project capture that takes part in the
# kernel differential (corpora/*/ and tests/kernel/cases/*/ with a packets.jsonl or a
# kernel-diff marker), from the outputs a differential run kept:
#
#   flock /tmp/nftc-kernel.lock env NFTC_KERNEL_DIFF=1 NFTC_DIFF_SEED=1 NFTC_DIFF_COUNT=8 \
#     NFTC_DIFF_KEEP=/tmp/keep bash tests/root/kernel_differential.sh build/nft-coexist .
#   bash tests/kernel/record_corpora.sh /tmp/keep
#
# The records are what the kernel did (steps with the capture's handles, delivery, fate),
# replayed without root by tests/unit/sim_kernel_record_test.cc.
set -euo pipefail
KEEP=${1:?usage: record_corpora.sh KEEP_DIR}
PROJ=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
HOW="tests/root/kernel_differential.sh (NFTC_DIFF_SEED=${NFTC_DIFF_SEED:-1} NFTC_DIFF_COUNT=${NFTC_DIFF_COUNT:-8}: the capture's packets.jsonl + seeded packets), then tests/kernel/record_corpora.sh"
n=0
for d in "$PROJ"/corpora/*/ "$PROJ"/tests/kernel/cases/*/; do
  [ -f "$d/packets.jsonl" ] || [ -e "$d/kernel-diff" ] || continue
  name=$(basename "$d")
  k="$KEEP/$name.kernel.jsonl"; p="$KEEP/$name.packets.jsonl"
  [ -f "$k" ] && [ -f "$p" ] || { echo "record_corpora: no kernel run of $name in $KEEP" >&2; exit 1; }
  "$PY" "$PROJ/tests/kernel/run.py" record "$k" --packets "$p" --out "$d/kernel-record.jsonl" --how "$HOW"
  echo "$name: $(($(wc -l < "$d/kernel-record.jsonl") - 1)) packets recorded"
  n=$((n + 1))
done
[ $n -gt 0 ] || { echo "record_corpora: nothing recorded" >&2; exit 1; }
