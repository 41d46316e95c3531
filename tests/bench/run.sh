#!/usr/bin/env bash
# Scale benchmark of nft-coexist against the tools a user would reach for (issue 7).
#
# For each scale S: generate .nft (or take a real capture), load it into a throwaway network
# namespace, time the anchors (`nft -j list ruleset`, `jq length`, python json.load) and
# nft-coexist's lint / graph / trace on the dumped JSON, each under /usr/bin/time -v (wall
# time, peak RSS), then print one table with ratios measured in the same run.
#
# Usage (root): tests/bench/run.sh [-r] [-c] [-b BUILD_DIR] [-w WORK_DIR] [-s "small 10k 100k 200k 200k-1m"]
#   -r  reuse WORK_DIR/S.json and the anchor times recorded with it (WORK_DIR/S.anchor: "nft-f-s
#       nft-list-s nft-list-cpu-s") instead of loading the ruleset again (nft -f of 200k rules
#       takes tens of minutes); the table marks reused anchors with "r".
#   -c  also time `lint` end to end (process included) on every capture in ../shared/captures
#       (the "typical host < 30 ms" target): best of REPEAT wall times, CPU and peak RSS.
#   Final run on an idle machine (reuses the dumps and nft anchors of /tmp/nftc-bench):
#     sudo tests/bench/run.sh -r -c -b build-rel -s "small 10k 100k 200k 200k-1m"
#   BUILD_DIR must hold nft-coexist and, for the loader stand-in, tests/bench/nftc_load
#   (configure with -DNFTC_BENCH=ON). Generated rulesets and dumps go to WORK_DIR (/tmp/...).
# Env: SMALL (.nft of a real host for the "small" row; default corpora/fedora43-seed, else the
#   combined capture), PACKETS (default 1000) packets for trace; REPEAT (default 3) runs for scales < 100k
#   (the best is kept); TRACE_LOOP_MAX (default 20) invocations timed when trace takes one
#   packet per process (the loop is extrapolated to PACKETS and marked "x").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build"
work=/tmp/nftc-bench
scales="small 10k 100k 200k 200k-1m"
reuse=0
captures=0
while getopts "b:w:s:rc" o; do
  case $o in
    r) reuse=1 ;;
    c) captures=1 ;;
    b) build=$(cd "$OPTARG" && pwd) ;;
    w) work=$OPTARG ;;
    s) scales=$OPTARG ;;
    *) echo "usage: $0 [-b build] [-w workdir] [-s scales]" >&2; exit 2 ;;
  esac
done
PACKETS=${PACKETS:-1000}
REPEAT=${REPEAT:-3}
TRACE_LOOP_MAX=${TRACE_LOOP_MAX:-20}
[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (network namespaces)" >&2; exit 77; }
for t in nft jq python3 /usr/bin/time ip; do command -v "$t" >/dev/null || { echo "run.sh: missing $t" >&2; exit 2; }; done
bin="$build/nft-coexist"
loadbench="$build/tests/bench/nftc_load"
[ -x "$bin" ] || { echo "run.sh: no $bin (build first)" >&2; exit 2; }
mkdir -p "$work"

ns="nftc-bench-$$"
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# measure NAME CMD...: runs CMD under /usr/bin/time -v; sets WALL (s, from the clock), CPU
# (user + system s, from time -v: robust when other jobs share the machine), RSS (KiB, peak,
# from time -v) and RC. stdout goes to $OUT (default /dev/null).
measure() {
  local name=$1; shift
  local tv="$work/time-$name.txt" t0 t1
  t0=$(date +%s%N)
  set +e
  /usr/bin/time -v -o "$tv" "$@" >"${OUT:-/dev/null}" 2>"$work/err-$name.txt"
  RC=$?
  set -e
  t1=$(date +%s%N)
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
  RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv")
  CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$tv")
}

# best NAME REPS CMD...: measure REPS times, keep the fastest wall time (and its CPU, RSS).
best() {
  local name=$1 reps=$2; shift 2
  local bw="" br="" bc="" i
  for ((i = 0; i < reps; i++)); do
    measure "$name" "$@"
    if [ -z "$bw" ] || awk -v a="$WALL" -v b="$bw" 'BEGIN { exit !(a < b) }'; then bw=$WALL; br=$RSS; bc=$CPU; fi
  done
  WALL=$bw; RSS=$br; CPU=$bc
}

is_stub() {  # is_stub CMD: the command exists only as a "not implemented yet" stub
  "$bin" "$1" --help 2>&1 | grep -q "not implemented yet"
}

small_input() {
  local c
  for c in ${SMALL:-} "$root/corpora/fedora43-seed/ruleset.nft" "$root/../shared/corpora/fedora43-seed/ruleset.nft" \
           "$root/../shared/captures/combined-firewalld-fail2ban-iptnft-legacy/ruleset.nft"; do
    [ -f "$c" ] && { echo "$c"; return; }
  done
  echo "run.sh: no small capture found" >&2; exit 2
}

# Packets for trace: JSON lines with the fields a trace needs (see the report of issue 7).
python3 - "$work/packets.jsonl" "$PACKETS" <<'EOF'
import json, random, sys
r = random.Random(1)
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        proto = r.choice(["tcp", "udp", "icmp"])
        p = {"iif": r.choice(["eth0", "eth1", "docker0", "veth1234", "lo"]),
             "src": "%d.%d.%d.%d" % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)),
             "dst": r.choice(["10.96.%d.%d" % (r.randint(0, 39), r.randint(1, 254)), "192.0.2.%d" % r.randint(1, 254)]),
             "proto": proto}
        if proto != "icmp":
            p["dport"] = r.choice([22, 53, 80, 443, 8080, r.randint(1, 65535)])
        f.write(json.dumps(p) + "\n")
EOF

lint_stub=0; graph_stub=0; trace_stub=0
is_stub lint && lint_stub=1
is_stub graph && graph_stub=1
is_stub trace && trace_stub=1
trace_batch=0
"$bin" trace --help 2>&1 | grep -q -- "--packets" && trace_batch=1

rows=()
for s in $scales; do
  src="$work/$s.nft"
  if [ $reuse = 1 ] && [ -s "$work/$s.json" ] && [ -s "$work/$s.anchor" ]; then
    :
  elif [ "$s" = small ]; then
    cp "$(small_input)" "$src"
  elif [ ! -s "$src" ]; then
    python3 "$here/gen_ruleset.py" --scale "$s" -o "$src"
  fi
  reps=1
  case $s in small | 10k) reps=$REPEAT ;; esac
  json="$work/$s.json"
  if [ $reuse = 1 ] && [ -s "$json" ] && [ -s "$work/$s.anchor" ]; then
    read -r load_wall nft_wall nft_cpu <"$work/$s.anchor"
    load_wall="${load_wall}r"
  else
    cleanup
    ip netns add "$ns"
    # iif/oif bind an interface index at load time: give the namespace those interfaces.
    for dev in $(grep -oE '\b[io]if "[^"]+"' "$src" | sed 's/.*"\(.*\)"/\1/' | sort -u); do
      ip -n "$ns" link add "$dev" type dummy 2>/dev/null || ip -n "$ns" link add "$dev" type bridge 2>/dev/null || true
    done
    measure "load-$s" ip netns exec "$ns" nft -f "$src"
    [ "$RC" = 0 ] || { echo "run.sh: nft -f $src failed:" >&2; head -5 "$work/err-load-$s.txt" >&2; exit 1; }
    load_wall=$WALL
    OUT="$json" best "list-$s" "$reps" ip netns exec "$ns" nft -j list ruleset
    nft_wall=$WALL; nft_cpu=$CPU
    cleanup
    echo "$load_wall $nft_wall $nft_cpu" >"$work/$s.anchor"
  fi
  bytes=$(stat -c %s "$json")
  rules=$(jq '[.nftables[] | select(.rule)] | length' "$json")
  elems=$(jq '[.nftables[] | (.set // .map // empty) | (.elem // []) | length] | add // 0' "$json")
  best "jq-$s" "$reps" jq length "$json"; jq_wall=$WALL; jq_cpu=$CPU
  best "py-$s" "$reps" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$json"; py_wall=$WALL
  # lint: the real command, or the loader alone (nftc_load) while lint is a stub.
  if [ $lint_stub = 0 ]; then
    best "lint-$s" "$reps" "$bin" lint "$json"; lint_what=lint
  elif [ -x "$loadbench" ]; then
    best "lint-$s" "$reps" "$loadbench" "$json"; lint_what="load*"
  else
    WALL=nan; RSS=0; CPU=nan; lint_what="n/a"
  fi
  lint_wall=$WALL; lint_rss=$RSS; lint_cpu=$CPU
  if [ $graph_stub = 0 ]; then best "graph-$s" "$reps" "$bin" graph "$json"; graph_wall=$WALL; graph_rss=$RSS
  else graph_wall=stub; graph_rss=0; fi
  if [ $trace_stub = 1 ]; then
    trace_wall=stub
  elif [ $trace_batch = 1 ]; then
    measure "trace-$s" "$bin" trace "$json" --packets "$work/packets.jsonl"; trace_wall=$WALL
  else
    # One packet per process: time TRACE_LOOP_MAX invocations and extrapolate to PACKETS.
    n=0
    t0=$(date +%s%N)
    while read -r p && [ $n -lt "$TRACE_LOOP_MAX" ]; do
      "$bin" trace "$json" --packet "$p" >/dev/null 2>&1 || true
      n=$((n + 1))
    done <"$work/packets.jsonl"
    t1=$(date +%s%N)
    trace_wall=$(awk -v a="$t0" -v b="$t1" -v n="$n" -v p="$PACKETS" 'BEGIN { printf "%.2fx", (b - a) / 1e9 / n * p }')
  fi
  rows+=("$s $rules $elems $bytes $load_wall $nft_wall $jq_wall $py_wall $lint_what $lint_wall $lint_rss $graph_wall $trace_wall $nft_cpu $jq_cpu $lint_cpu")
  echo "run.sh: $s done (json $bytes bytes, lint $lint_wall s)" >&2
done

# One table; ratios use numbers measured above in this run.
printf '%s\n' "${rows[@]}" | awk '
function r(a, b) { return (b + 0 > 0 && a ~ /^[0-9.]+$/) ? sprintf("%.3f", a / b) : "-" }
BEGIN {
  print "| scale | rules | set elems | JSON MB | nft -f s | nft -j list s (cpu) | jq length s (cpu) | python json s | lint s (cpu) | lint RSS MB | RSS/JSON | lint/nft-list wall (cpu) | lint/jq wall (cpu) | graph s | trace 1k pkts s | growth: size x | time x wall (cpu) | RSS x |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
}
{
  mb = $4 / 1048576; rss = $11 / 1024
  lint = ($9 == "lint") ? $10 : $10 " (" $9 ")"
  gs = "-"; gt = "-"; gr = "-"
  if (NR > 1) { gs = r($4, pb); gt = r($10, pt) " (" r($16, pc) ")"; gr = r($11, pr) }
  printf "| %s | %d | %d | %.1f | %s | %s (%s) | %s (%s) | %s | %s (%s) | %.1f | %s | %s (%s) | %s (%s) | %s | %s | %s | %s | %s |\n",
    $1, $2, $3, mb, $5, $6, $14, $7, $15, $8, lint, $16, rss, r($11 * 1024, $4), r($10, $6), r($16, $14),
    r($10, $7), r($16, $15), $12, $13, gs, gt, gr
  pb = $4; pt = $10; pr = $11; pc = $16
}
END {
  print ""
  print "load* = lint is a stub on this build: the column times the loader alone (tests/bench/nftc_load: LoadInput + ClassifyBackends)."
  print "growth = this row / the row above (JSON size, lint wall time, lint peak RSS); linear means time x and RSS x <= 1.1 * size x."
  print "trace: \"stub\" = not implemented on this build; \"Nx\" = a one-packet-per-process loop extrapolated to the packet count."
}'

# Typical hosts: lint of each real capture, end to end (process start included).
if [ $captures = 1 ]; then
  capdir=""
  for c in "$root/../shared/captures" /work/shared/captures; do [ -d "$c" ] && { capdir=$c; break; }; done
  if [ -z "$capdir" ]; then
    echo "run.sh: no shared captures found" >&2
  else
    echo
    echo "| capture | lint wall ms (best of $REPEAT) | CPU ms | peak RSS MB | < 30 ms |"
    echo "|---|---:|---:|---:|---|"
    for c in "$capdir"/*/; do
      [ -f "$c/ruleset.json" ] || [ -f "$c/ruleset.nft" ] || continue
      n=$(basename "$c")
      best "cap-$n" "$REPEAT" "$bin" lint "$c"
      awk -v n="$n" -v w="$WALL" -v c="$CPU" -v r="$RSS" 'BEGIN {
        printf "| %s | %.1f | %.0f | %.1f | %s |\n", n, w * 1000, c * 1000, r / 1024, (w < 0.030 ? "yes" : "no") }'
    done
    echo
    echo "CPU ms from /usr/bin/time -v has 10 ms resolution; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  fi
fi
