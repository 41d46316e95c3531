#!/bin/bash
# Consistent live reads (issue 8, item 5). While a loop in the same network namespace keeps
# adding and deleting tables, chains, jumps, rules and set elements (as Docker does when
# containers start), `capture --netns`, `lint --netns` and `dump --netns` run ITER times
# (default 100). Every capture must load and be internally consistent: every jump/goto
# names a chain of the same table (a half-read dump would show a jump to a chain that is
# not listed); `dump` counts them from the loaded model. Every `lint --netns` must analyse
# (exit 0 or 1, never 2) and report no jump to a missing chain (NC5002) and no reference
# to a missing set (NC5004): the writer never leaves either behind, so such a finding can
# only come from a half-read dump. The generation id (meta.txt read-attempts) shows how
# often a read saw a change and was retried.
# Args: <nft-coexist binary> <project dir>. Exit 77 (skipped) when not root.
set -u
BIN=$1
ITER=${NFTC_CONSISTENCY_ITER:-100}
if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root"; exit 77; fi
for p in ip nft; do
  command -v $p >/dev/null || { echo "SKIP: $p not installed"; exit 77; }
done
NS=nftc-live-churn-$$
TMP=$(mktemp -d /tmp/nftc-churn.XXXXXX)
CHURN_PID=
cleanup() {
  rm -f "$TMP/run"
  [ -n "$CHURN_PID" ] && kill "$CHURN_PID" 2>/dev/null && wait "$CHURN_PID" 2>/dev/null
  ip netns del $NS 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

ip netns add $NS || fail "ip netns add"
ip netns exec $NS nft -f - <<'NFT' || fail "base ruleset"
table inet churn {
  set blocked { type ipv4_addr; }
  chain forward_c { type filter hook forward priority 5; policy accept; }
}
NFT

# The writer: bounded (at most 20000 rounds, and only while $TMP/run exists).
touch "$TMP/run"
ip netns exec $NS bash -c '
  i=0
  while [ $i -lt 20000 ] && [ -e "'"$TMP"'/run" ]; do
    nft -f - <<NFT 2>/dev/null
add chain inet churn c$i
add rule inet churn c$i ip saddr @blocked drop
add rule inet churn forward_c jump c$i
add element inet churn blocked { 10.$((i % 250)).0.1 }
add table ip tmp$((i % 3))
add chain ip tmp$((i % 3)) x
add chain ip tmp$((i % 3)) y
add rule ip tmp$((i % 3)) x goto y
NFT
    nft -f - <<NFT 2>/dev/null
flush chain inet churn forward_c
delete chain inet churn c$i
delete element inet churn blocked { 10.$((i % 250)).0.1 }
delete table ip tmp$((i % 3))
NFT
    i=$((i + 1))
    sleep 0.01  # leave the 2 cores some room; still several changes per read
  done' &
CHURN_PID=$!


retried=0
linted=0
for n in $(seq 1 "$ITER"); do
  out="$TMP/cap$n"
  "$BIN" capture --netns $NS -o "$out" 2>"$TMP/err" || { cat "$TMP/err"; fail "capture #$n"; }
  "$BIN" dump --no-host "$out" >"$TMP/dump" 2>"$TMP/err" || { cat "$TMP/err"; fail "capture #$n does not load"; }
  grep -q '^jumps: [0-9]* dangling 0$' "$TMP/dump" || { grep '^jumps' "$TMP/dump"; fail "capture #$n has dangling jumps"; }
  a=$(sed -n 's/^read-attempts: //p' "$out/meta.txt")
  [ "${a:-1}" -gt 1 ] && retried=$((retried + 1))
  "$BIN" dump --netns $NS >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; fail "dump --netns #$n"; }
  "$BIN" lint --netns $NS --no-config --format json >"$TMP/lint" 2>"$TMP/err"
  rc=$?
  [ $rc = 0 ] || [ $rc = 1 ] || { cat "$TMP/err"; fail "lint --netns #$n exit $rc"; }
  grep -q '"schema_version"' "$TMP/lint" || fail "lint --netns #$n printed no report"
  if grep -qE '"id": "(NC5002|NC5004)"' "$TMP/lint"; then
    grep -E -A3 '"id": "(NC5002|NC5004)"' "$TMP/lint" | head -20; fail "lint --netns #$n saw a half-read ruleset"
  fi
  linted=$((linted + 1))
  rm -rf "$out"
done
kill -0 "$CHURN_PID" 2>/dev/null || fail "the writer loop stopped early: the test did not race"
echo "PASS: $ITER consistent captures and $linted lint --netns runs under churn ($retried captures needed a re-read after a generation change)"
