#!/bin/bash
# The seed host right after switching daemon.json to nftables and restarting
# dockerd, WITHOUT the reboot the article insists on: docker-bridges is there,
# and so are the stale iptables-nft DOCKER chains with FORWARD policy DROP.
SCENARIO=fedora43-migrated-no-reboot
WHAT="fedora43-pre-migration's state (firewalld 2.x, libvirt nftables, Docker 29 iptables chains via iptables-nft-restore) plus, after the
switch to firewall-backend nftables and a dockerd restart, Docker 29's ip/ip6 docker-bridges (input-docker-bridges.nft of fedora43-seed),
no reboot. The admin followed the article: /etc/docker/daemon.json and /etc/sysctl.d/99-docker.conf are in place (etc/)."
. "$(dirname "$0")/lib.sh"
SEED=$INPUTS_ROOT/fedora43-seed
PRE=$INPUTS_ROOT/fedora43-pre-migration

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
  PROGRAM "Docker Engine 29, iptables backend, before the switch (input-docker29-iptables.save, input-docker29-ip6tables.save of fedora43-pre-migration)"
  restore_save iptables-nft-restore "$PRE/input-docker29-iptables.save"
  restore_save ip6tables-nft-restore "$PRE/input-docker29-ip6tables.save"
  NOTE "(admin: daemon.json -> firewall-backend nftables, /etc/sysctl.d/99-docker.conf, sysctl --system, systemctl restart docker)"
  R sysctl -qw net.ipv6.conf.all.forwarding=1
  PROGRAM "Docker Engine 29 after the switch to firewall-backend nftables (input-docker-bridges.nft of fedora43-seed)"
  load_nft "$SEED/input-docker-bridges.nft"
  etc_file docker/daemon.json '{
"firewall-backend": "nftables"
}'
  etc_file sysctl.d/99-docker.conf '# Datei /etc/sysctl.d/99-docker.conf
net.ipv4.ip_forward=1
net.ipv6.conf.all.forwarding=1'
  services "firewalld.service enabled" "docker.service enabled" "containerd.service enabled" \
    "virtnetworkd.socket enabled" "virtqemud.socket enabled" "nftables.service disabled"
}
scenario_probes() {
  peer wan eth0-peer 192.168.178.1/24 192.168.178.20 2001:db8:178::1/64 2001:db8:178::20
  peer wp veth3a9f1c2p 172.18.0.3/16 172.18.0.1
  peer vm vnet0p 192.168.122.50/24 192.168.122.1
  listen wan 443; listen wp 80
  sleep 1
  probe_trace vm 192.168.178.1 443 "VM -> eth0: libvirt and docker-bridges have no objection, the stale iptables-nft FORWARD policy DROP still drops"
  probe wp 192.168.178.1 443 "container -> eth0: docker-bridges OUTGOING + stale DOCKER-FORWARD accept"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
