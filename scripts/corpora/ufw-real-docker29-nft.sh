#!/bin/bash
# REAL ufw (iptables-nft, FORWARD policy DROP) enabled first, then Docker 29 on
# its nftables backend publishing 8080: Docker's nft accepts are not final, ufw's
# FORWARD policy drop kills the published port and container egress.
SCENARIO=ufw-real-docker29-nft
WHAT="REAL ufw 0.36.2 (private /etc/ufw copy; iptables-nft) enabled with allow 22/tcp and allow 8080/tcp (the admin opens the port the
container publishes), then handwritten Docker 29 ip/ip6 docker-bridges (docker0, container 172.17.0.2 published 0.0.0.0:8080->80).
eth0 198.51.100.10/24; ip_forward=1 and IPv6 forwarding=1 (sysctl.d, as Docker's nftables docs ask)."
PACKAGES="ufw"
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  defroute6 2001:db8:100::1 eth0
  bridge docker0 172.17.0.1/16 veth6f5e4d3
  start_ufw
  UFW --force enable
  UFW allow 22/tcp
  UFW allow 8080/tcp
  R ufw status verbose >"$STATE/out/ufw-status.txt"
  R sysctl -qw net.ipv4.ip_forward=1
  R sysctl -qw net.ipv6.conf.all.forwarding=1
  PROGRAM "Docker Engine 29 firewall-backend nftables (handwritten input-docker29-docker0-publish8080.nft)"
  load_nft "$INPUTS_ROOT/_common/docker29-docker0-publish8080.nft"
  etc_file ufw/ufw.conf 'ENABLED=yes
LOGLEVEL=low'
  etc_file docker/daemon.json '{
  "firewall-backend": "nftables"
}'
  etc_file sysctl.d/99-docker.conf $'net.ipv4.ip_forward=1\nnet.ipv6.conf.all.forwarding=1'
  services "ufw.service enabled" "docker.service enabled" "firewalld.service not-found" "nftables.service disabled"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10
  peer ctr veth6f5e4d3p 172.17.0.2/16 172.17.0.1
  listen ctr 80; listen wan 443; listen host 22
  probe wan 198.51.100.10 8080 "published 8080 (ufw 'allow 8080/tcp' covers input only): DNAT'ed, docker accepts, ufw FORWARD policy DROP drops"
  probe ctr 198.51.100.1 443 "container egress: Docker OUTGOING accept, ufw FORWARD policy DROP"
  probe wan 198.51.100.10 22 "ssh to the host: ufw allows"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
