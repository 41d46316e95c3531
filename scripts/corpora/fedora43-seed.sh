#!/bin/bash
# THE bundled main corpus: the Fedora 43 host of the seed article
# (/work/shared/docs/seed-article-de.txt): firewalld 2.x, Docker 29 with
# firewall-backend nftables (docker-bridges, WordPress compose on 127.0.0.1:8082),
# libvirt's nftables backend (libvirt_network, virbr0 NAT). All three tables are
# handwritten inputs (see inputs/fedora43-seed/*.nft headers) loaded with nft -f
# in the order the article lists them.
SCENARIO=fedora43-seed
WHAT="Model of the seed article's Fedora 43 host (Docker 29 with firewall-backend nftables next to firewalld and libvirt),
built in a private netns: interfaces eth0 (uplink), docker0, br-8c1f2e3a4b5d (compose network wordpress-sample_default
with containers db 172.18.0.2 and wordpress 172.18.0.3, published 127.0.0.1:8082->80/tcp), virbr0 (libvirt default
network, one VM port vnet0); ip_forward=1 and IPv6 forwarding=1 as /etc/sysctl.d/99-docker.conf of the article sets them.
Tables loaded with nft -f in the order 'nft list tables' prints them in the article: inet firewalld (firewalld 2.x layout,
made from the real firewalld 1.3.3 output of corpora/firewalld-real-zones by tools/firewalld1to2.py),
ip/ip6 docker-bridges (Docker 29), ip/ip6 libvirt_network (libvirt nftables backend)."
PACKAGES=""
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 192.168.178.20/24 2001:db8:178::20/64
  defroute4 192.168.178.1 eth0
  defroute6 2001:db8:178::1 eth0
  bridge docker0 172.17.0.1/16
  bridge br-8c1f2e3a4b5d 172.18.0.1/16 veth3a9f1c2
  R ip link add veth7d04e6b type veth peer name veth7d04e6bp
  R ip link set veth7d04e6b master br-8c1f2e3a4b5d
  R ip link set veth7d04e6b up
  bridge virbr0 192.168.122.1/24 vnet0
  R sysctl -qw net.ipv4.ip_forward=1
  R sysctl -qw net.ipv6.conf.all.forwarding=1
  PROGRAM "firewalld 2.x as on Fedora 43 (handwritten input-firewalld.nft: real firewalld 1.3.3 zone chains, 2.x dispatch layer)"
  PROGRAM "Docker Engine 29 firewall-backend nftables (handwritten input-docker-bridges.nft)"
  PROGRAM "libvirt network driver, nftables backend (handwritten input-libvirt-network.nft)"
  load_nft "$INPUTS/input-firewalld.nft"
  load_nft "$INPUTS/input-docker-bridges.nft"
  load_nft "$INPUTS/input-libvirt-network.nft"
  etc_file docker/daemon.json '{
"firewall-backend": "nftables"
}'
  etc_file sysctl.d/99-docker.conf '# Datei /etc/sysctl.d/99-docker.conf
net.ipv4.ip_forward=1
net.ipv6.conf.all.forwarding=1'
  services "firewalld.service enabled" "docker.service enabled" "containerd.service enabled" \
    "virtnetworkd.socket enabled" "virtqemud.socket enabled" "libvirtd.service disabled" \
    "nftables.service disabled" "iptables.service not-found" "ufw.service not-found"
}
scenario_probes() {
  peer wan eth0-peer 192.168.178.1/24 192.168.178.20 2001:db8:178::1/64 2001:db8:178::20
  peer wp veth3a9f1c2p 172.18.0.3/16 172.18.0.1
  peer vm vnet0p 192.168.122.50/24 192.168.122.1
  listen wan 443; listen wp 80; listen vm 22; listen host 22; listen host 53; listen host 8082
  probe wan 192.168.178.20 22 "ssh to the host from eth0: public zone allows ssh"
  probe wan 192.168.178.20 53 "dns to the host from eth0: public zone rejects (admin-prohibited)"
  probe wan 192.168.178.20 8082 "8082 on eth0's address: no DNAT (published on 127.0.0.1 only); input rejects"
  probe wan 172.18.0.3 80 "direct access to the wordpress container from eth0: DROP DIRECT ACCESS"
  probe wan 192.168.122.50 22 "eth0 -> VM, new connection: libvirt guest_input rejects"
  probe wan 172.17.0.5 80 "eth0 -> docker0 (no published port): UNPUBLISHED PORT DROP (or no neighbour)"
  probe wp 192.168.178.1 443 "container -> eth0: Docker OUTGOING + firewalld docker zone ACCEPT, masqueraded"
  probe vm 192.168.178.1 443 "VM -> eth0: libvirt guest_output accept + firewalld libvirt zone ACCEPT, guest_nat masquerade"
  probe_trace wp 192.168.122.50 22 "container -> VM: Docker accepts (OUTGOING), libvirt guest_input rejects: final"
  probe vm 172.18.0.3 80 "VM -> container: DROP DIRECT ACCESS in raw-PREROUTING"
  probe vm 192.168.122.1 53 "VM -> host DNS: firewalld libvirt zone allows dns"
  probe vm 192.168.122.1 8082 "VM -> host 8082: libvirt zone's final reject (priority 32767 rich rule)"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
