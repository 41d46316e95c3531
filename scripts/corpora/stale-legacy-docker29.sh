#!/bin/bash
# Docker switched from iptables (here iptables-legacy, as on hosts whose
# iptables alternative is legacy) to firewall-backend nftables without the
# reboot the seed article insists on: the old legacy DOCKER chains with FORWARD
# policy DROP stay in the kernel, invisible to nft, and drop what docker-bridges
# now publishes.
SCENARIO=stale-legacy-docker29
WHAT="iptables-legacy-restore of the dockerd 20.10 save file (Docker's classic chains, FORWARD policy DROP, DNAT 8082->172.17.0.2:80 of
the old container) = leftovers of the iptables era; then the handwritten Docker 29 nftables table after the switch (re-created container
172.17.0.3 published 0.0.0.0:8080->8000/tcp). No reboot in between. eth0 198.51.100.10/24; ip_forward=1 and IPv6 forwarding=1 (sysctl.d)."
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  bridge docker0 172.17.0.1/16 veth8d7c6b5
  R sysctl -qw net.ipv4.ip_forward=1
  R sysctl -qw net.ipv6.conf.all.forwarding=1
  PROGRAM "iptables-legacy $(iptables-legacy --version | sed 's/^iptables //') (restore of the old Docker chains: input-docker20-iptables-publish8082.save)"
  restore_save iptables-legacy-restore "$INPUTS_ROOT/_common/docker20-iptables-publish8082.save"
  PROGRAM "Docker Engine 29 firewall-backend nftables (handwritten input-docker29-after-migration.nft)"
  load_nft "$INPUTS/input-docker29-after-migration.nft"
  etc_file docker/daemon.json '{
  "firewall-backend": "nftables"
}'
  etc_file sysctl.d/99-docker.conf $'net.ipv4.ip_forward=1\nnet.ipv6.conf.all.forwarding=1'
  services "docker.service enabled" "containerd.service enabled" "firewalld.service not-found" "nftables.service disabled"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10
  peer ctr veth8d7c6b5p 172.17.0.3/16 172.17.0.1
  listen ctr 8000; listen ctr 80; listen wan 443
  probe wan 198.51.100.10 8080 "published today (nft DNAT to 172.17.0.3:8000, docker-bridges accepts); the stale legacy FORWARD policy DROP drops it"
  probe wan 198.51.100.10 8082 "stale legacy DNAT 8082 -> 172.17.0.2:80 still binds; docker-bridges UNPUBLISHED PORT DROP"
  probe ctr 198.51.100.1 443 "container egress: nft OUTGOING accept and legacy -i docker0 ! -o docker0 ACCEPT; works"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
