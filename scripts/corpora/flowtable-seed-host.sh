#!/bin/bash
# The seed host (firewalld 2.x + Docker 29 + libvirt nft) plus the admin's
# flowtable fast path (nftables wiki example). JSON made from a loadable
# stand-in + tools/add_flowtable.py, because this kernel cannot create flowtables.
SCENARIO=flowtable-seed-host
WHAT="The fedora43-seed host (same interfaces, sysctls and the three input files of fedora43-seed) plus the admin's table inet fastpath:
flowtable ft (ingress, priority filter, devices eth0 docker0 br-8c1f2e3a4b5d virbr0) and a forward chain (priority filter) with
'meta l4proto { tcp, udp } flow add @ft'. This kernel cannot create flowtables, so input-fastpath-loadable.nft (placeholder
'meta l4proto { tcp, udp } counter', no flowtable) was loaded and, after the capture, tools/add_flowtable.py rewrote ruleset.json and
ruleset.nft: flowtable object added after the table, the placeholder's counter replaced by 'flow add @ft'. Nothing else was edited."
. "$(dirname "$0")/lib.sh"
SEED=$INPUTS_ROOT/fedora43-seed

scenario() {
  uplink eth0 192.168.178.20/24 2001:db8:178::20/64
  defroute4 192.168.178.1 eth0
  defroute6 2001:db8:178::1 eth0
  bridge docker0 172.17.0.1/16
  bridge br-8c1f2e3a4b5d 172.18.0.1/16 veth3a9f1c2
  bridge virbr0 192.168.122.1/24 vnet0
  R sysctl -qw net.ipv4.ip_forward=1
  R sysctl -qw net.ipv6.conf.all.forwarding=1
  PROGRAM "firewalld 2.x as on Fedora 43 (handwritten input-firewalld.nft, as in fedora43-seed)"
  PROGRAM "Docker Engine 29 firewall-backend nftables (handwritten input-docker-bridges.nft, as in fedora43-seed)"
  PROGRAM "libvirt network driver, nftables backend (handwritten input-libvirt-network.nft, as in fedora43-seed)"
  PROGRAM "the admin's /etc/nftables.d fast path (handwritten input-fastpath.nft; loaded as input-fastpath-loadable.nft + add_flowtable.py)"
  load_nft "$SEED/input-firewalld.nft"
  load_nft "$SEED/input-docker-bridges.nft"
  load_nft "$SEED/input-libvirt-network.nft"
  load_nft "$INPUTS/input-fastpath-loadable.nft"
  KEEP "$INPUTS/input-fastpath.nft"
  etc_file docker/daemon.json '{
"firewall-backend": "nftables"
}'
  etc_file sysctl.d/99-docker.conf $'net.ipv4.ip_forward=1\nnet.ipv6.conf.all.forwarding=1'
  etc_file nftables/fastpath.nft "$(grep -v '^#' "$INPUTS/input-fastpath.nft")"
  services "firewalld.service enabled" "docker.service enabled" "virtnetworkd.socket enabled" "nftables.service enabled"
}
scenario_after_capture() {
  NOTE "python3 tools/add_flowtable.py <capture> inet fastpath forward ft ingress 0 eth0,docker0,br-8c1f2e3a4b5d,virbr0"
  python3 "$NFTCC_LIB_DIR/tools/add_flowtable.py" "$STATE/out" inet fastpath forward ft ingress 0 eth0,docker0,br-8c1f2e3a4b5d,virbr0
}
corpus_main "$@"
