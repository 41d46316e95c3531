#!/bin/bash
# Docker 29 nftables backend alone on a router-like host with two uplinks
# (eth0 WAN, eth1 LAN) and forwarding on: Docker's documented "too broad
# forwarding" case. No other firewall.
SCENARIO=docker29-nft-eth0-eth1
WHAT="Docker Engine 29 with firewall-backend nftables (handwritten ip/ip6 docker-bridges: docker0 172.17.0.0/16, container
172.17.0.2 published 0.0.0.0:8080->80/tcp) alone on a host with two uplinks eth0 (203.0.113.10/24, 2001:db8:113::10/64)
and eth1 (10.0.1.1/24, 2001:db8:1::1/64); net.ipv4.ip_forward=1 and net.ipv6.conf.all.forwarding=1 (persisted in
/etc/sysctl.d/99-docker.conf, as Docker's docs ask). No other firewall program."
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 203.0.113.10/24 2001:db8:113::10/64
  uplink eth1 10.0.1.1/24 2001:db8:1::1/64
  defroute4 203.0.113.1 eth0
  defroute6 2001:db8:113::1 eth0
  bridge docker0 172.17.0.1/16 veth5e1a2b3
  R sysctl -qw net.ipv4.ip_forward=1
  R sysctl -qw net.ipv6.conf.all.forwarding=1
  PROGRAM "Docker Engine 29 firewall-backend nftables (handwritten input-docker29-docker0-publish8080.nft)"
  load_nft "$INPUTS_ROOT/_common/docker29-docker0-publish8080.nft"
  etc_file docker/daemon.json '{
  "firewall-backend": "nftables"
}'
  etc_file sysctl.d/99-docker.conf $'net.ipv4.ip_forward=1\nnet.ipv6.conf.all.forwarding=1'
  services "docker.service enabled" "containerd.service enabled" "firewalld.service not-found" \
    "nftables.service disabled" "ufw.service not-found"
}
scenario_probes() {
  peer wan eth0-peer 203.0.113.1/24 203.0.113.10 2001:db8:113::1/64 2001:db8:113::10
  peer lan eth1-peer 10.0.1.20/24 10.0.1.1 2001:db8:1::20/64 2001:db8:1::1
  peer ctr veth5e1a2b3p 172.17.0.2/16 172.17.0.1
  listen wan 443; listen lan 22; listen ctr 80
  probe wan 10.0.1.20 22 "eth0 -> eth1, new connection: forwarded, nothing drops it (too broad)"
  probe lan 203.0.113.1 443 "eth1 -> eth0, new connection: forwarded without NAT (too broad)"
  probe wan 2001:db8:1::20 22 "IPv6 eth0 -> eth1: forwarded (ip6 docker-bridges has no decision at all)"
  probe wan 203.0.113.10 8080 "published port from eth0: DNAT to 172.17.0.2:80, accepted in filter-forward-in__docker0"
  probe lan 10.0.1.1 8080 "published port via eth1's address: also DNAT'ed (published on 0.0.0.0)"
  probe wan 172.17.0.2 80 "direct access to the container from eth0: raw-PREROUTING DROP DIRECT ACCESS"
  probe lan 172.17.0.2 22 "direct access from eth1: DROP DIRECT ACCESS"
  probe ctr 203.0.113.1 443 "container -> eth0 (OUTGOING accept, MASQUERADE to 203.0.113.10)"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
