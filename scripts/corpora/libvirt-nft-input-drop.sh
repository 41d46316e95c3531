#!/bin/bash
# NixOS#424422: libvirt >= 10.4 on its nftables backend adds no input rules for
# the guests' DHCP and DNS; a host input policy drop (here the NixOS nftables
# firewall) blocks them.
SCENARIO=libvirt-nft-input-drop
WHAT="Handwritten NixOS-style firewall table inet nixos-fw (input policy drop, only ssh allowed) loaded first, then libvirt's nftables backend
ip/ip6 libvirt_network for network default (virbr0 192.168.122.0/24 NAT), both with nft -f. eth0 198.51.100.10/24; ip_forward=1
(libvirt sets it at network start; not persisted)."
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  bridge virbr0 192.168.122.1/24 vnet0
  PROGRAM "NixOS firewall, nftables backend (handwritten input-nixos-fw.nft)"
  load_nft "$INPUTS/input-nixos-fw.nft"
  R sysctl -qw net.ipv4.ip_forward=1
  PROGRAM "libvirt network driver, nftables backend (handwritten input-libvirt-nft-default.nft)"
  load_nft "$INPUTS_ROOT/_common/libvirt-nft-default.nft"
  services "firewall.service enabled" "libvirtd.service enabled" "nftables.service enabled"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10
  peer vm vnet0p 192.168.122.50/24 192.168.122.1
  listen host 53; listen host 22; listen wan 443
  probe vm 192.168.122.1 53 "guest -> host DNS (dnsmasq): libvirt adds no input rule, nixos-fw input policy drop drops"
  probe vm 192.168.122.1 22 "guest -> host ssh: allowed by nixos-fw input-allow"
  probe vm 198.51.100.1 443 "guest -> eth0: libvirt guest_output accept, no other forward chain; masquerade"
  probe wan 198.51.100.10 22 "ssh from eth0: allowed"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
