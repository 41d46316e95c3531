#!/bin/bash
# Regenerate every corpus under corpora/ (run as root). Each script builds its
# scenario in its own network namespace(s), captures, and removes them again.
# Usage: make-all.sh [SCENARIO...]   (default: all, in dependency order)
# Exit status: number of failed scenarios (0 = all fine). Afterwards the host
# namespace's ruleset must be unchanged; this is checked per scenario by lib.sh
# and once more here.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# firewalld-real-zones first: tools/firewalld1to2.py turns its ruleset.nft into
# inputs/fedora43-seed/input-firewalld.nft. That input is committed and NOT rewritten
# by default (the bundled seed corpus should not change with firewalld's internal
# ordering); pass --refresh-firewalld2 to rewrite it from the new capture.
order=(
  firewalld-real-zones
  fedora43-seed
  docker29-nft-eth0-eth1
  libvirt-nft-docker-ipt-drop
  fail2ban-nft-docker-published
  kube-proxy-nft-firewalld
  netavark-ufw
  incus-input-drop
  libvirt-nft-input-drop
  flowtable-seed-host
  nat-tie-netavark-docker29
  stale-legacy-docker29
  firewalld-clean
  ufw-real-docker29-nft
  ufw-real-dockerd-ipt
  libvirtd-real-firewalld
  fedora43-pre-migration
  fedora43-migrated-no-reboot
  bans-crowdsec-sshguard-docker29
)
refresh=0
if [[ "${1:-}" == --refresh-firewalld2 ]]; then refresh=1; shift; fi
[[ $# -gt 0 ]] && order=("$@")
[[ $(id -u) == 0 ]] || { echo "make-all.sh: must run as root" >&2; exit 2; }
before=$(nft list ruleset 2>&1)
fail=0
for s in "${order[@]}"; do
  echo "== $s"
  if ! bash "$here/$s.sh"; then
    echo "make-all.sh: $s FAILED" >&2
    fail=$((fail + 1))
    continue
  fi
  if [[ $s == firewalld-real-zones && $refresh == 1 ]]; then
    {
      sed -n '/^table/q;p' "$here/inputs/fedora43-seed/input-firewalld.nft"
      python3 "$here/tools/firewalld1to2.py" "$here/../../corpora/firewalld-real-zones/ruleset.nft"
    } >"$here/inputs/fedora43-seed/input-firewalld.nft.new" &&
      mv "$here/inputs/fedora43-seed/input-firewalld.nft.new" "$here/inputs/fedora43-seed/input-firewalld.nft"
  fi
done
after=$(nft list ruleset 2>&1)
if [[ "$before" != "$after" ]]; then
  echo "make-all.sh: ERROR: the host namespace's ruleset changed" >&2
  fail=$((fail + 1))
fi
[[ -z "$after" ]] && echo "make-all.sh: host namespace ruleset is empty (nft list ruleset printed nothing)"
echo "make-all.sh: $((${#order[@]} - fail)) ok, $fail failed"
exit $fail
