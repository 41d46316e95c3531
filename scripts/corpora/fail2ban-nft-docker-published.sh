#!/bin/bash
# fail2ban#2292: REAL fail2ban (nftables-multiport / -allports, inet f2b-table,
# input hook) with bans, next to a Docker 29 nftables container published on
# 0.0.0.0:8080. The bans hook input and never see the DNAT'ed port.
SCENARIO=fail2ban-nft-docker-published
WHAT="REAL fail2ban 1.0.2 (banaction nftables-multiport, recidive with nftables-allports) with jails sshd (port ssh),
nginx-http-auth (ports http,https,8080: the admin meant to protect the container published on 8080) and recidive, and bans
via fail2ban-client, next to a handwritten Docker 29 nftables table (docker0, container 172.17.0.2 published 0.0.0.0:8080->80/tcp).
eth0 198.51.100.10/24 + 2001:db8:100::10/64; ip_forward=1 persisted in sysctl.d."
PACKAGES="fail2ban"
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  defroute6 2001:db8:100::1 eth0
  bridge docker0 172.17.0.1/16 veth4b2c9d1
  R sysctl -qw net.ipv4.ip_forward=1
  R sysctl -qw net.ipv6.conf.all.forwarding=1
  PROGRAM "Docker Engine 29 firewall-backend nftables (handwritten input-docker29-docker0-publish8080.nft)"
  load_nft "$INPUTS_ROOT/_common/docker29-docker0-publish8080.nft"
  start_fail2ban '[DEFAULT]
banaction = nftables-multiport
banaction_allports = nftables-allports
backend = polling

[sshd]
enabled = true
port = ssh
logpath = $F2B/log/auth.log

[nginx-http-auth]
enabled = true
port = http,https,8080
logpath = $F2B/log/nginx-error.log

[recidive]
enabled = true
logpath = $F2B/log/fail2ban.log
banaction = %(banaction_allports)s'
  F2C set sshd banip 192.0.2.10 192.0.2.11 2001:db8::10
  F2C set nginx-http-auth banip 192.0.2.20 203.0.113.7
  F2C set recidive banip 192.0.2.66 2001:db8::66
  F2B_STATUS sshd nginx-http-auth recidive
  etc_file docker/daemon.json '{
  "firewall-backend": "nftables"
}'
  etc_file sysctl.d/99-docker.conf $'net.ipv4.ip_forward=1\nnet.ipv6.conf.all.forwarding=1'
  services "docker.service enabled" "fail2ban.service enabled" "firewalld.service not-found" "nftables.service disabled"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10 2001:db8:100::1/64 2001:db8:100::10
  peer ctr veth4b2c9d1p 172.17.0.2/16 172.17.0.1
  # banned and unbanned sources on the wan side
  nsenter -t "${PEER_PID[wan]}" -n sh -c 'ip addr add 192.0.2.20/32 dev eth0-peer; ip addr add 203.0.113.7/32 dev eth0-peer; ip addr add 192.0.2.66/32 dev eth0-peer; ip addr add 192.0.2.10/32 dev eth0-peer'
  R ip route add 192.0.2.0/24 via 198.51.100.1 dev eth0
  R ip route add 203.0.113.7/32 via 198.51.100.1 dev eth0
  listen ctr 80; listen host 22; listen host 80
  probe wan 198.51.100.10 8080 "192.0.2.20 is banned by nginx-http-auth for 8080, yet the DNAT'ed SYN reaches the container (forward, not input)" 192.0.2.20
  probe wan 198.51.100.10 8080 "203.0.113.7 banned by nginx-http-auth: reaches the container" 203.0.113.7
  probe wan 198.51.100.10 8080 "192.0.2.66 banned on all ports by recidive: reaches the container" 192.0.2.66
  probe wan 198.51.100.10 80 "192.0.2.20 to the host's own port 80: f2b-chain rejects (the ban works on input)" 192.0.2.20
  probe wan 198.51.100.10 22 "192.0.2.10 (sshd ban) to the host's ssh: rejected" 192.0.2.10
  probe wan 198.51.100.10 22 "unbanned 198.51.100.1 to ssh: accepted" 
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
