# Shared start of the root kernel scripts (tests/root/rule_claims.sh, kernel_differential.sh),
# sourced, not run: `. tests/kernel/root_prologue.sh NAME BINARY PROJECT TOOL...`.
# Sets BIN, PROJ and PY, defines skip (exit 77) and fail (exit 1) with NAME in the message,
# and skips unless root with python3, scapy and every TOOL on PATH.
NAME=$1 BIN=${2:-} PROJ=${3:-}
shift 3 2>/dev/null || shift $#
skip() { echo "$NAME: SKIPPED: $*" >&2; exit 77; }
fail() { echo "$NAME: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || skip "not root (needs network namespaces)"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY missing (apt-get install python3)"
"$PY" -c 'import scapy.all' 2>/dev/null || skip "python3-scapy missing (apt-get install python3-scapy)"
for t in "$@"; do
  command -v "$t" >/dev/null || skip "$t missing (apt-get install nftables iproute2 conntrack iptables util-linux)"
done
