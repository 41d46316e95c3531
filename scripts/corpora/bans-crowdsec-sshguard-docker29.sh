#!/bin/bash
# Two ban tools next to a Docker 29 published port: sshguard hooks input only
# (its ban misses the DNAT'ed port), CrowdSec's bouncer hooks input and forward
# (its ban covers it). Positive and negative case of "bans that miss" in one host.
SCENARIO=bans-crowdsec-sshguard-docker29
WHAT="Handwritten sshguard nft-sets tables (ip/ip6 sshguard, input -10; bans 203.0.113.7, 2001:db8:7::/64), CrowdSec firewall
bouncer tables (ip crowdsec / ip6 crowdsec6, input and forward -10; bans 192.0.2.20, 2001:db8::20) and Docker 29 nftables
(docker0, container 172.17.0.2 published 0.0.0.0:8080->80), all with nft -f. eth0 198.51.100.10/24; ip_forward=1 (sysctl.d)."
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  bridge docker0 172.17.0.1/16 veth2c3d4e5
  R sysctl -qw net.ipv4.ip_forward=1
  PROGRAM "sshguard nft-sets backend (handwritten input-sshguard.nft)"
  load_nft "$INPUTS/input-sshguard.nft"
  PROGRAM "CrowdSec firewall bouncer, nftables mode (handwritten input-crowdsec.nft)"
  load_nft "$INPUTS/input-crowdsec.nft"
  PROGRAM "Docker Engine 29 firewall-backend nftables (handwritten input-docker29-docker0-publish8080.nft)"
  load_nft "$INPUTS_ROOT/_common/docker29-docker0-publish8080.nft"
  etc_file docker/daemon.json '{
  "firewall-backend": "nftables"
}'
  etc_file sysctl.d/99-docker.conf 'net.ipv4.ip_forward=1'
  services "docker.service enabled" "sshguard.service enabled" "crowdsec.service enabled" "crowdsec-firewall-bouncer.service enabled"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10
  peer ctr veth2c3d4e5p 172.17.0.2/16 172.17.0.1
  nsenter -t "${PEER_PID[wan]}" -n sh -c 'ip addr add 203.0.113.7/32 dev eth0-peer; ip addr add 192.0.2.20/32 dev eth0-peer'
  R ip route add 203.0.113.7/32 via 198.51.100.1 dev eth0
  R ip route add 192.0.2.20/32 via 198.51.100.1 dev eth0
  listen ctr 80; listen host 22
  probe wan 198.51.100.10 8080 "203.0.113.7 (sshguard ban, input only) -> published 8080: DNAT'ed, forward, reaches the container" 203.0.113.7
  probe wan 198.51.100.10 8080 "192.0.2.20 (CrowdSec ban) -> published 8080: crowdsec-chain-forward drops it" 192.0.2.20
  probe wan 198.51.100.10 22 "203.0.113.7 -> host ssh: sshguard blacklist drops it" 203.0.113.7
  probe wan 198.51.100.10 22 "192.0.2.20 -> host ssh: crowdsec-chain-input drops it" 192.0.2.20
  probe wan 198.51.100.10 8080 "unbanned 198.51.100.1 -> 8080: reaches the container"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
