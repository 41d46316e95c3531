#!/bin/bash
# moby#52612: libvirt's nftables backend (ip libvirt_network) next to Docker's
# classic iptables chains (via iptables-nft) with FORWARD policy DROP.
SCENARIO=libvirt-nft-docker-ipt-drop
WHAT="libvirt's nftables backend for network default (virbr0 192.168.122.0/24 NAT, handwritten ip/ip6 libvirt_network, loaded first
as libvirtd does at boot) next to Docker's classic iptables backend (dockerd 20.10 chains with FORWARD policy DROP, DNAT 8082->172.17.0.2:80,
restored with iptables-nft-restore from the save file of the shared dockerd-real capture). eth0 198.51.100.10/24 uplink,
docker0 172.17.0.1/16 with one container port, virbr0 with one VM port vnet0. ip_forward=1 (set at runtime by dockerd, not persisted)."
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  bridge virbr0 192.168.122.1/24 vnet0
  bridge docker0 172.17.0.1/16 veth7c2a1e0
  PROGRAM "libvirt network driver, nftables backend (handwritten input-libvirt-nft-default.nft)"
  load_nft "$INPUTS_ROOT/_common/libvirt-nft-default.nft"
  R sysctl -qw net.ipv4.ip_forward=1
  PROGRAM "Docker classic iptables chains via iptables-nft-restore (dockerd 20.10 save file: input-docker20-iptables-publish8082.save)"
  restore_save iptables-nft-restore "$INPUTS_ROOT/_common/docker20-iptables-publish8082.save"
  etc_file docker/daemon.json '{}'
  services "docker.service enabled" "containerd.service enabled" "libvirtd.service enabled" \
    "firewalld.service not-found" "nftables.service disabled"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10
  peer vm vnet0p 192.168.122.50/24 192.168.122.1
  peer ctr veth7c2a1e0p 172.17.0.2/16 172.17.0.1
  # a second VM on virbr0 for bridged guest-to-guest traffic
  R ip link add vnet1 type veth peer name vnet1p
  R ip link set vnet1 master virbr0
  R ip link set vnet1 up
  peer vm2 vnet1p 192.168.122.51/24 192.168.122.1
  listen wan 443; listen vm 22; listen vm2 22; listen ctr 80; listen host 53
  probe vm 198.51.100.1 443 "VM -> eth0: libvirt guest_output accepts, iptables-nft FORWARD policy DROP drops it"
  probe_trace wan 192.168.122.50 22 "eth0 -> VM: dies at FORWARD policy DROP or libvirt guest_input reject, whichever of the two prio-0 chains runs first"
  probe vm 192.168.122.51 22 "VM -> VM on virbr0, bridged (bridge-nf-call-iptables=1): libvirt guest_cross accepts, FORWARD policy DROP drops it"
  probe vm 192.168.122.1 53 "VM -> host DNS: input hook has no chain, accepted"
  probe ctr 198.51.100.1 443 "container -> eth0: FORWARD -i docker0 ! -o docker0 ACCEPT, MASQUERADE"
  probe wan 198.51.100.10 8082 "published 8082 -> 172.17.0.2:80: DNAT + DOCKER accept"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
