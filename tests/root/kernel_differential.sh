#!/bin/bash
# Kernel-differential test of `nft-coexist trace` (issue 3).
# usage: kernel_differential.sh <nft-coexist binary> <project dir>
#
# Always (as root): unit tests of the harness, then the harness self-check: it rebuilds three
# captures in network namespaces, replays /work/shared/kernel-results/*.packets.jsonl and must
# reproduce *.kernel.jsonl step by step (fails otherwise).
#
#   NFTC_KERNEL_DIFF=1          also run the differential (ctest sets it, with the seed and
#                               count of tests/CMakeLists.txt): every capture in
#                               <project>/corpora/*/ and <project>/tests/kernel/cases/*/ with
#                               packets.jsonl or a kernel-diff marker, plus ../shared/captures/*/,
#                               hand-picked packets (the capture's packets.jsonl,
#                               tests/kernel/packets/<name>.jsonl,
#                               ../shared/kernel-results/<name>.packets.jsonl) + seeded ones,
#                               compared with `<binary> trace ... --format json` (batch:
#                               `trace --packets`); fails on any disagreement and prints
#                               "N/M agree" per capture and in total.
#   NFTC_KERNEL_DIFF=kernel     the same run without the simulator (kernel side only).
# Knobs: NFTC_DIFF_SEED (default 1), NFTC_DIFF_COUNT (packets per capture, default 30),
#        NFTC_SHARED_DIR (default <project>/../shared), NFTC_DIFF_KEEP=DIR (keep outputs;
#        tests/kernel/record_corpora.sh DIR then refreshes the project's kernel records).
set -u

. "$(dirname "$0")/../kernel/root_prologue.sh" kernel_differential "${1:-}" "${2:-}" \
  nft ip conntrack iptables-nft-restore iptables-legacy-restore
[ -n "$PROJ" ] && [ -f "$PROJ/tests/kernel/run.py" ] || fail "usage: $0 <binary> <project dir>"

H="$PROJ/tests/kernel/run.py"
SEED=${NFTC_DIFF_SEED:-1}
COUNT=${NFTC_DIFF_COUNT:-30}
MODE=${NFTC_KERNEL_DIFF:-0}
SHARED=${NFTC_SHARED_DIR:-$PROJ/../shared}
WORK=${NFTC_DIFF_KEEP:-$(mktemp -d /tmp/nftck-diff.XXXXXX)}
mkdir -p "$WORK"
ruleset_before=$(nft list ruleset 2>/dev/null | md5sum)

finish() {
  rc=$?
  left=$(ip netns list 2>/dev/null | awk '{print $1}' | grep '^nftck-' || true)
  [ -n "$left" ] && { echo "kernel_differential: namespaces left behind: $left" >&2; rc=1; }
  [ "$(nft list ruleset 2>/dev/null | md5sum)" = "$ruleset_before" ] || {
    echo "kernel_differential: the ruleset of the test's own namespace changed!" >&2; rc=1; }
  if [ "$rc" = 0 ] && [ -z "${NFTC_DIFF_KEEP:-}" ]; then rm -rf "$WORK"; else
    echo "kernel_differential: outputs kept in $WORK" >&2; fi
  exit $rc
}
trap finish EXIT
trap 'exit 130' INT TERM

echo "== unit tests of the harness"
"$PY" -m unittest discover -s "$PROJ/tests/kernel" -p 'test_*.py' || fail "harness unit tests"

if [ -d "$SHARED/captures" ] && [ -d "$SHARED/kernel-results" ]; then
  echo "== self-check against $SHARED/kernel-results"
  "$PY" "$H" selfcheck --results "$SHARED/kernel-results" --captures "$SHARED/captures" \
    --keep "$WORK" || fail "the harness disagrees with kernel-results"
else
  echo "skipped: ../shared absent (self-check and shared captures)"
fi

if [ "$MODE" = 0 ]; then
  echo "differential run not enabled (set NFTC_KERNEL_DIFF=1; ctest sets it)"
  exit 0
fi
if [ "$MODE" != kernel ]; then
  [ -x "$BIN" ] || fail "simulator binary $BIN not executable"
fi

caps=()
for d in "$PROJ"/corpora/*/ "$PROJ"/tests/kernel/cases/*/; do
  [ -f "$d/packets.jsonl" ] || [ -e "$d/kernel-diff" ] || continue
  caps+=("${d%/}")
done
if [ -d "$SHARED/captures" ]; then
  for d in "$SHARED"/captures/*/; do caps+=("${d%/}"); done
fi
[ ${#caps[@]} -gt 0 ] || fail "no captures to run"

bad=0; total_agree=0; total=0
for c in "${caps[@]}"; do
  name=$(basename "$c")
  pk="$WORK/$name.packets.jsonl"
  : > "$pk"
  # hand-picked: the capture's own packets.jsonl, tests/kernel/packets/<name>.jsonl, and the
  # packets of ../shared/kernel-results; then the seeded ones
  for h in "$c/packets.jsonl" "$PROJ/tests/kernel/packets/$name.jsonl" \
           "$SHARED/kernel-results/$name.packets.jsonl"; do
    [ -f "$h" ] && cat "$h" >> "$pk"
  done
  "$PY" "$H" gen "$c" --seed "$SEED" --count "$COUNT" >> "$pk" || fail "$name: generator"
  echo "== $name: $(wc -l < "$pk") packets"
  if [ "$MODE" = kernel ]; then
    "$PY" "$H" kernel "$c" --packets "$pk" --out "$WORK/$name.kernel.jsonl" || fail "$name: harness"
    grep -q '"error"' "$WORK/$name.kernel.jsonl" && { echo "$name: harness errors"; bad=1; }
    continue
  fi
  out=$("$PY" "$H" diff "$c" --binary "$BIN" --packets "$pk" --workdir "$WORK")
  rc=$?
  echo "$out" | grep -v '^agree '
  line=$(echo "$out" | tail -n1)
  if [[ "$line" =~ ^([0-9]+)/([0-9]+)\ agree$ ]]; then
    total_agree=$((total_agree + BASH_REMATCH[1])); total=$((total + BASH_REMATCH[2]))
  fi
  [ $rc = 0 ] || bad=1
done
if [ "$MODE" != kernel ]; then
  echo "kernel differential: $total_agree/$total agree over ${#caps[@]} captures (seed $SEED)"
fi
[ $bad = 0 ] || fail "disagreements (see above)"
exit 0
