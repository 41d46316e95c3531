#!/bin/bash
# Two owners DNAT the same port at the same prerouting priority: netavark's
# PREROUTING (-100) and Docker 29's nat-PREROUTING (-100) both publish tcp/8080.
# The first NAT chain that binds wins; which one runs first depends on the
# registration order. The probes show the winner, then reload netavark's table
# (registering it last) and show that the winner flips.
SCENARIO=nat-tie-netavark-docker29
WHAT="Handwritten inet netavark (podman0 10.88.0.0/16, container 10.88.0.2 published 0.0.0.0:8080->80) loaded first, then handwritten
Docker 29 ip/ip6 docker-bridges (docker0 172.17.0.0/16, container 172.17.0.2 published 0.0.0.0:8080->80): two NAT prerouting
chains at priority -100 DNAT the same port to different containers. eth0 198.51.100.10/24; ip_forward=1 (sysctl.d)."
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  bridge podman0 10.88.0.1/16 veth1f2e3d4
  bridge docker0 172.17.0.1/16 veth5e1a2b3
  R sysctl -qw net.ipv4.ip_forward=1
  PROGRAM "netavark nftables driver (handwritten input-netavark-podman0-publish8080.nft)"
  load_nft "$INPUTS_ROOT/_common/netavark-podman0-publish8080.nft"
  PROGRAM "Docker Engine 29 firewall-backend nftables (handwritten input-docker29-docker0-publish8080.nft)"
  load_nft "$INPUTS_ROOT/_common/docker29-docker0-publish8080.nft"
  etc_file docker/daemon.json '{
  "firewall-backend": "nftables"
}'
  etc_file sysctl.d/99-forward.conf 'net.ipv4.ip_forward=1'
  services "docker.service enabled" "podman.socket enabled" "podman-restart.service enabled" "nftables.service disabled"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10
  peer pod veth1f2e3d4p 10.88.0.2/16 10.88.0.1
  peer dkr veth5e1a2b3p 172.17.0.2/16 172.17.0.1
  listen pod 80; listen dkr 80
  probe_trace wan 198.51.100.10 8080 "load order netavark then docker-bridges: which DNAT binds first?"
  probe wan 198.51.100.10 8080 "same again (deterministic for a given registration order)"
  NOTE "nft delete table inet netavark; nft -f input-netavark-podman0-publish8080.nft   (re-register netavark's chains last)"
  nft delete table inet netavark
  nft -f "$INPUTS_ROOT/_common/netavark-podman0-publish8080.nft"
  echo "(after: nft delete table inet netavark; nft -f input-netavark-podman0-publish8080.nft, i.e. netavark registered last)" >>"$STATE/probes.body"
  probe_trace wan 198.51.100.10 8080 "after reloading netavark's table: the other DNAT wins"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
