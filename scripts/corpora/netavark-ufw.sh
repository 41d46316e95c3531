#!/bin/bash
# podman/netavark's nftables table (inet netavark) next to ufw (iptables-nft,
# INPUT and FORWARD policy DROP): netavark's accepts are not final.
SCENARIO=netavark-ufw
WHAT="ufw's tables (ip/ip6 filter with INPUT/FORWARD policy DROP, restored with iptables-nft-restore / ip6tables-nft-restore from the
save files of the shared ufw-iptables-nft capture: real ufw 0.36.2, allow 22/tcp, 443 from 192.0.2.0/24, limit 2222, route docker0->eth0)
loaded first (ufw starts at boot), then a handwritten inet netavark table (podman0 10.88.0.0/16, container 10.88.0.2 published 0.0.0.0:8080->80).
eth0 198.51.100.10/24; ip_forward=1 (netavark sets it; persisted here in sysctl.d as podman users do)."
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  bridge podman0 10.88.0.1/16 veth1f2e3d4
  R sysctl -qw net.ipv4.ip_forward=1
  PROGRAM "ufw 0.36.2 rules (iptables-nft-restore of the real ufw save files: input-ufw-iptables-nft.save, input-ufw-ip6tables-nft.save)"
  restore_save iptables-nft-restore "$INPUTS_ROOT/_common/ufw-iptables-nft.save"
  restore_save ip6tables-nft-restore "$INPUTS_ROOT/_common/ufw-ip6tables-nft.save"
  PROGRAM "netavark nftables driver (handwritten input-netavark-podman0-publish8080.nft)"
  load_nft "$INPUTS_ROOT/_common/netavark-podman0-publish8080.nft"
  etc_file ufw/ufw.conf 'ENABLED=yes
LOGLEVEL=low'
  etc_file sysctl.d/99-podman.conf 'net.ipv4.ip_forward=1'
  etc_file containers/containers.conf '[network]
firewall_driver = "nftables"'
  services "ufw.service enabled" "podman.socket enabled" "firewalld.service not-found" "nftables.service disabled"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10
  peer ctr veth1f2e3d4p 10.88.0.2/16 10.88.0.1
  listen ctr 80; listen wan 443; listen host 53; listen host 22
  probe wan 198.51.100.10 8080 "published 8080: netavark DNAT + ct mark accept; ufw FORWARD policy DROP drops it"
  probe ctr 198.51.100.1 443 "container -> eth0: netavark FORWARD accepts (ip saddr 10.88.0.0/16); ufw FORWARD DROP (route rule covers docker0 only)"
  probe ctr 10.88.0.1 53 "container -> host DNS (aardvark): netavark INPUT accepts, ufw INPUT policy DROP drops"
  probe wan 198.51.100.10 22 "ssh from eth0: ufw allows 22"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
