#!/bin/bash
# Clean negative scenario: the REAL firewalld 1.3.3 alone on a plain server,
# sensible configuration, no forwarding. Nothing here should be reported.
SCENARIO=firewalld-clean
WHAT="REAL firewalld 1.3.3 (nftables backend) alone on a single-homed server: public zone on eth0 with ssh, dhcpv6-client (defaults)
and https added. ip_forward=0, IPv6 forwarding=0. No other firewall program, no iptables or legacy tables."
PACKAGES="firewalld python3-firewall python3-nftables dbus-daemon"
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  defroute6 2001:db8:100::1 eth0
  R sysctl -qw net.ipv4.ip_forward=0
  start_firewalld
  FWC --permanent --zone=public --add-interface=eth0
  FWC --permanent --zone=public --add-service=https
  FWC --reload
  R firewall-cmd --list-all-zones >"$STATE/out/firewalld-list-all-zones.txt"
  services "firewalld.service enabled" "nftables.service disabled" "ufw.service not-found" "docker.service not-found" "libvirtd.service not-found"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10 2001:db8:100::1/64 2001:db8:100::10
  listen host 22; listen host 443; listen host 8080
  probe wan 198.51.100.10 22 "ssh allowed by the public zone"
  probe wan 198.51.100.10 443 "https allowed"
  probe wan 198.51.100.10 8080 "anything else rejected (admin-prohibited)"
  probe wan 2001:db8:100::10 22 "ssh over IPv6"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
