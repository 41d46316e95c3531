#!/bin/bash
# Live read is read-only and gives the same model as the file path.
#
# In a fresh network namespace: load a capture's nft ruleset plus iptables-legacy rules,
# then run `dump --netns`, `capture --netns`, `dump` of the capture and every other
# command that reads the live kernel (lint, graph, owners, trace, verify, audit). The namespace's
# ruleset (`nft -s list ruleset`: counters are packet state, not configuration) and
# /proc/net/*_tables_names (+ the legacy tables' rules) must be byte-identical before and
# after every command, and the live model must equal the model loaded from files.
# Args: <nft-coexist binary> <project dir>. Exit 77 (skipped) when not root.
set -u
BIN=$1
PROJ=$2
if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root"; exit 77; fi
for p in ip nft iptables-legacy-restore ip6tables-legacy-restore iptables-legacy-save; do
  command -v $p >/dev/null || { echo "SKIP: $p not installed"; exit 77; }
done
CAPS=$PROJ/../shared/captures
NFT_SRC=$CAPS/firewalld-docker29-nft/ruleset.nft
LEGACY=$CAPS/combined-firewalld-fail2ban-iptnft-legacy
if [ ! -f "$NFT_SRC" ] || [ ! -f "$LEGACY/iptables-legacy-save.txt" ]; then
  echo "SKIP: shared captures not found"; exit 77
fi

NS=nftc-live-$$
NS2=nftc-live2-$$
TMP=$(mktemp -d /tmp/nftc-live.XXXXXX)
cleanup() { ip netns del $NS 2>/dev/null; ip netns del $NS2 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
inns() { ip netns exec $NS "$@"; }

ip netns add $NS || fail "ip netns add"
ip netns add $NS2 || fail "ip netns add"
# the addresses of the shared captures (README)
inns ip link set lo up
inns ip link add eth0 type veth peer name eth0-peer
inns ip addr add 198.51.100.10/24 dev eth0
inns ip addr add 2001:db8:100::10/64 dev eth0 nodad
inns ip link set eth0 up
inns ip link add docker0 type bridge
inns ip addr add 172.17.0.1/16 dev docker0
inns ip route add default via 198.51.100.1 dev eth0
inns sysctl -qw net.ipv4.ip_forward=1
inns nft -f "$NFT_SRC" || fail "nft -f $NFT_SRC"
inns iptables-legacy-restore < "$LEGACY/iptables-legacy-save.txt" || fail "iptables-legacy-restore"
inns ip6tables-legacy-restore < "$LEGACY/ip6tables-legacy-save.txt" || fail "ip6tables-legacy-restore"

# What must not change. Legacy rules are read only for the tables the kernel lists.
state() {
  inns nft -s list ruleset
  for f in ip ip6 arp; do
    echo "== /proc/net/${f}_tables_names"
    inns cat /proc/net/${f}_tables_names 2>/dev/null
  done
  for t in $(inns cat /proc/net/ip_tables_names); do
    inns iptables-legacy-save -t "$t" | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
  done
  for t in $(inns cat /proc/net/ip6_tables_names); do
    inns ip6tables-legacy-save -t "$t" | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
  done
}
state > "$TMP/before"
[ -s "$TMP/before" ] || fail "empty state"
check_same() {
  state > "$TMP/after"
  cmp -s "$TMP/before" "$TMP/after" || { diff "$TMP/before" "$TMP/after" | head -20; fail "namespace changed by: $*"; }
}
run() {  # run one command, require exit 0, check read-only
  "$@" > "$TMP/out" 2> "$TMP/err" || { cat "$TMP/err"; fail "exit $?: $*"; }
  check_same "$@"
}

run "$BIN" dump --netns $NS
cp "$TMP/out" "$TMP/live.dump"
run "$BIN" dump --netns /run/netns/$NS
diff <(grep -v '^input:' "$TMP/out") <(grep -v '^input:' "$TMP/live.dump") || fail "--netns NAME and --netns PATH differ"
run "$BIN" capture --netns $NS -o "$TMP/cap"
[ "$(stat -c %a "$TMP/cap")" = 700 ] || fail "capture folder mode"
[ "$(stat -c %a "$TMP/cap/ruleset.json")" = 600 ] || fail "capture file mode"
for f in ruleset.json ruleset.nft ip_tables_names.txt ip6_tables_names.txt iptables-legacy-save.txt \
         ip6tables-legacy-save.txt sysctl.txt interfaces.txt routes.txt meta.txt services.txt; do
  [ -f "$TMP/cap/$f" ] || fail "capture lacks $f"
done
grep -q '^net.ipv4.ip_forward=1$' "$TMP/cap/sysctl.txt" || fail "sysctl not from the namespace"
grep -q '198.51.100.10/24' "$TMP/cap/interfaces.txt" || fail "interfaces not from the namespace"
# no iptables-nft table in this namespace: iptables-nft-save must not have been run
[ ! -e "$TMP/cap/iptables-nft-save.txt" ] || fail "iptables-nft-save ran without an iptables-nft table"
# refuses to overwrite without --force
"$BIN" capture --netns $NS -o "$TMP/cap" 2>/dev/null && fail "overwrote without --force"
[ $? = 2 ] || fail "overwrite refusal must exit 2"
run "$BIN" capture --netns $NS -o "$TMP/cap" --force

# Every other command that reads the live kernel: analyses exit 0 or 1 (findings, drift),
# never 2, and the namespace stays byte-identical after each.
run01() {
  "$@" > "$TMP/out" 2> "$TMP/err"
  rc=$?
  { [ $rc = 0 ] || [ $rc = 1 ]; } || { cat "$TMP/err"; fail "exit $rc: $*"; }
  check_same "$@"
}
run01 "$BIN" lint --netns $NS --no-config
run01 "$BIN" lint --netns $NS --no-config --format sarif
run01 "$BIN" graph --netns $NS
run01 "$BIN" owners --netns $NS --rules
run01 "$BIN" trace --netns $NS --iif eth0 --src 192.0.2.7 --dst 198.51.100.10 --proto tcp --dport 22
run01 "$BIN" trace --netns $NS --local-out --dst 192.0.2.7 --proto udp --dport 53
run01 "$BIN" verify --netns $NS --against "$TMP/cap"
run01 "$BIN" audit --netns $NS --migrate docker-to-nftables
run01 "$BIN" diff "$TMP/cap" "$TMP/cap"

# capture never follows a symlink: not as the output folder, not as a file inside it
mkdir "$TMP/victim"
ln -s "$TMP/victim" "$TMP/link"
"$BIN" capture --netns $NS -o "$TMP/link" --force 2>"$TMP/err" && fail "capture wrote through a symlinked folder"
[ -z "$(ls -A "$TMP/victim")" ] || fail "capture wrote into the symlink's target"
mkdir "$TMP/cap2"
echo original > "$TMP/victim/target"
ln -s "$TMP/victim/target" "$TMP/cap2/ruleset.json"
"$BIN" capture --netns $NS -o "$TMP/cap2" --force 2>"$TMP/err" && fail "capture wrote through a symlinked file"
[ "$(cat "$TMP/victim/target")" = original ] || fail "capture changed a symlink's target file"
check_same "capture refusals"

# The capture loads back into the same model as the live read.
"$BIN" dump "$TMP/cap" > "$TMP/cap.dump" || fail "dump of the capture"
diff <(grep -v '^input:' "$TMP/live.dump") <(grep -v '^input:' "$TMP/cap.dump") || fail "capture model != live model"

# The same ruleset from files: nft JSON of the same text loaded into another namespace,
# plus the legacy save files the namespace was loaded from.
mkdir "$TMP/files"
ip netns exec $NS2 nft -f "$NFT_SRC" || fail "nft -f in $NS2"
ip netns exec $NS2 nft -j list ruleset > "$TMP/files/ruleset.json"
cp "$LEGACY/iptables-legacy-save.txt" "$LEGACY/ip6tables-legacy-save.txt" \
   "$LEGACY/ip_tables_names.txt" "$LEGACY/ip6_tables_names.txt" "$TMP/files/"
"$BIN" dump --no-host "$TMP/files" > "$TMP/files.dump" || fail "dump of the files"
run "$BIN" dump --no-host --netns $NS
diff <(grep -v '^input:' "$TMP/out") <(grep -v '^input:' "$TMP/files.dump") || fail "live model != file model"

# --netns without root is refused with exit 2 (run as nobody when possible)
if command -v setpriv >/dev/null; then
  setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" dump --netns $NS >/dev/null 2>"$TMP/err"
  rc=$?
  [ $rc = 2 ] || fail "--netns as non-root: exit $rc, want 2"
  grep -q root "$TMP/err" || fail "--netns as non-root: message does not say root"
fi
echo "PASS: live read is read-only and matches the file model"
