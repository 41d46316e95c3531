#!/bin/bash
# Incus managed bridge (inet incus) next to the admin's nftables.conf with an
# input policy drop: incus accepts the instances' DHCP/DNS on input, the other
# table drops them.
SCENARIO=incus-input-drop
WHAT="Handwritten inet incus (managed bridge incusbr0 10.171.45.1/24 + fd42:a1b2:c3d4:e5f6::1/64, NAT) loaded after the admin's own
/etc/nftables.conf (inet filter: input policy drop, allows established, lo, icmp, ssh; forward/output accept), both with nft -f.
eth0 198.51.100.10/24; ip_forward=1 and IPv6 forwarding=1 (incus sets them; persisted in sysctl.d here)."
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  defroute6 2001:db8:100::1 eth0
  bridge incusbr0 10.171.45.1/24 veth0c1d2e3 fd42:a1b2:c3d4:e5f6::1/64
  R sysctl -qw net.ipv4.ip_forward=1
  R sysctl -qw net.ipv6.conf.all.forwarding=1
  PROGRAM "nftables.service: the admin's /etc/nftables.conf (handwritten input-nftables-conf.nft)"
  load_nft "$INPUTS/input-nftables-conf.nft"
  PROGRAM "Incus managed network, nftables driver (handwritten input-incus.nft)"
  load_nft "$INPUTS/input-incus.nft"
  etc_file nftables.conf "#!/usr/sbin/nft -f
flush ruleset
$(grep -v '^#' "$INPUTS/input-nftables-conf.nft")"
  etc_file sysctl.d/99-incus.conf $'net.ipv4.ip_forward=1\nnet.ipv6.conf.all.forwarding=1'
  services "nftables.service enabled" "incus.service enabled" "firewalld.service not-found" "ufw.service not-found"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10 2001:db8:100::1/64 2001:db8:100::10
  peer ct1 veth0c1d2e3p 10.171.45.20/24 10.171.45.1 fd42:a1b2:c3d4:e5f6::20/64 fd42:a1b2:c3d4:e5f6::1
  listen host 53; listen host 22; listen wan 443; listen ct1 80
  probe ct1 10.171.45.1 53 "instance -> host DNS (dnsmasq on incusbr0): incus in.incusbr0 accepts, inet filter input policy drop drops"
  probe ct1 fd42:a1b2:c3d4:e5f6::1 53 "same over IPv6"
  probe ct1 198.51.100.1 443 "instance -> eth0: incus fwd accepts, forward has no drop; masquerade"
  probe wan 10.171.45.20 80 "eth0 -> instance directly, new connection: incus fwd accepts oifname incusbr0, nothing drops (routed in)"
  probe wan 198.51.100.10 22 "ssh to the host: inet filter allows"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
