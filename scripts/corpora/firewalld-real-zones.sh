#!/bin/bash
# Real firewalld 1.3.3 (Debian 12) with the zones of the seed article's Fedora host:
# public on eth0 (Fedora's public zone: ssh, mdns, dhcpv6-client), docker zone
# (target ACCEPT, docker0 and the compose bridge br-8c1f2e3a4b5d) with policy docker-forwarding (ANY -> docker, ACCEPT),
# as dockerd creates them, and libvirt's own zone (libvirt.xml from the libvirt
# package) on virbr0. No other program. Its ruleset.nft is also the source that
# tools/firewalld1to2.py turns into the firewalld 2.x table of fedora43-seed.
SCENARIO=firewalld-real-zones
WHAT="REAL firewalld 1.3.3 (nftables backend) in a private netns with the zones of a Fedora 43 Docker+libvirt host:
public on eth0 (+mdns as on Fedora), zone docker (target ACCEPT, docker0 and the compose bridge br-8c1f2e3a4b5d) and policy docker-forwarding (ANY->docker, ACCEPT)
created with the firewall-cmd calls dockerd makes, zone libvirt (shipped libvirt.xml) on virbr0. No container, no VM, no other firewall."
PACKAGES="firewalld python3-firewall python3-nftables dbus-daemon"
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 192.168.178.20/24 2001:db8:178::20/64
  defroute4 192.168.178.1 eth0
  defroute6 2001:db8:178::1 eth0
  bridge docker0 172.17.0.1/16
  bridge br-8c1f2e3a4b5d 172.18.0.1/16 veth3a9f1c2
  bridge virbr0 192.168.122.1/24 vnet0
  R sysctl -qw net.ipv4.ip_forward=1
  R sysctl -qw net.ipv6.conf.all.forwarding=1
  start_firewalld
  FWC --permanent --zone=public --add-interface=eth0
  FWC --permanent --zone=public --add-service=mdns
  FWC --permanent --new-zone=docker
  FWC --permanent --zone=docker --set-target=ACCEPT
  FWC --permanent --zone=docker --add-interface=docker0
  FWC --permanent --zone=docker --add-interface=br-8c1f2e3a4b5d
  FWC --permanent --new-policy=docker-forwarding
  FWC --permanent --policy=docker-forwarding --add-ingress-zone=ANY
  FWC --permanent --policy=docker-forwarding --add-egress-zone=docker
  FWC --permanent --policy=docker-forwarding --set-target=ACCEPT
  FWC --permanent --zone=libvirt --add-interface=virbr0
  FWC --reload
  R firewall-cmd --list-all-zones >"$STATE/out/firewalld-list-all-zones.txt"
  R firewall-cmd --list-all-policies >"$STATE/out/firewalld-list-all-policies.txt"
  etc_file sysctl.d/99-docker.conf $'net.ipv4.ip_forward=1\nnet.ipv6.conf.all.forwarding=1'
  services firewalld.service
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
