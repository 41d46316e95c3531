#!/bin/bash
# The seed article's Fedora 43 host BEFORE the switch: Docker 29 on its default
# iptables backend (iptables-nft) next to firewalld 2.x and libvirt's nftables
# backend. Docker's FORWARD policy DROP cuts libvirt's NAT guests off (the
# breakage the article's author hit half a year earlier, moby#52612). Input for
# `nft-coexist audit --migrate docker-to-nftables`.
SCENARIO=fedora43-pre-migration
WHAT="The fedora43-seed host before the migration: firewalld 2.x (input-firewalld.nft of fedora43-seed) and libvirt nftables
(input-libvirt-network.nft of fedora43-seed) loaded with nft -f, then Docker 29's iptables backend restored with iptables-nft-restore /
ip6tables-nft-restore (docker0, compose bridge br-8c1f2e3a4b5d, wordpress 172.18.0.3 on 127.0.0.1:8082, one DOCKER-USER rule, FORWARD
policy DROP). ip_forward=1 set at runtime by dockerd, nothing in sysctl.d; no /etc/docker/daemon.json (iptables is the default backend)."
. "$(dirname "$0")/lib.sh"
SEED=$INPUTS_ROOT/fedora43-seed

scenario() {
  uplink eth0 192.168.178.20/24 2001:db8:178::20/64
  defroute4 192.168.178.1 eth0
  defroute6 2001:db8:178::1 eth0
  bridge docker0 172.17.0.1/16
  bridge br-8c1f2e3a4b5d 172.18.0.1/16 veth3a9f1c2
  bridge virbr0 192.168.122.1/24 vnet0
  PROGRAM "firewalld 2.x as on Fedora 43 (handwritten input-firewalld.nft, as in fedora43-seed)"
  PROGRAM "libvirt network driver, nftables backend (handwritten input-libvirt-network.nft, as in fedora43-seed)"
  load_nft "$SEED/input-firewalld.nft"
  load_nft "$SEED/input-libvirt-network.nft"
  R sysctl -qw net.ipv4.ip_forward=1
  PROGRAM "Docker Engine 29, iptables backend via iptables-nft-restore (handwritten input-docker29-iptables.save, input-docker29-ip6tables.save)"
  restore_save iptables-nft-restore "$INPUTS/input-docker29-iptables.save"
  restore_save ip6tables-nft-restore "$INPUTS/input-docker29-ip6tables.save"
  services "firewalld.service enabled" "docker.service enabled" "containerd.service enabled" \
    "virtnetworkd.socket enabled" "virtqemud.socket enabled" "nftables.service disabled"
}
scenario_probes() {
  peer wan eth0-peer 192.168.178.1/24 192.168.178.20 2001:db8:178::1/64 2001:db8:178::20
  peer wp veth3a9f1c2p 172.18.0.3/16 172.18.0.1
  peer vm vnet0p 192.168.122.50/24 192.168.122.1
  listen wan 443; listen wp 80; listen vm 22; listen host 53
  sleep 1
  probe vm 192.168.178.1 443 "VM -> eth0: libvirt guest_output accepts, firewalld libvirt zone accepts, Docker's FORWARD policy DROP drops"
  probe wp 192.168.178.1 443 "container -> eth0: DOCKER-FORWARD -i br-... ACCEPT, firewalld docker zone, MASQUERADE"
  probe vm 192.168.122.1 53 "VM -> host DNS: no iptables INPUT rules, firewalld libvirt zone allows dns"
  probe wan 192.168.178.20 8082 "8082 on eth0's address: no DNAT (127.0.0.1 only), firewalld public rejects"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
