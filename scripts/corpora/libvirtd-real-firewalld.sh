#!/bin/bash
# The REAL libvirtd 9.0 (Debian 12) starting its default NAT network while the
# REAL firewalld 1.3.3 (nftables backend) runs on the same (private) system bus:
# libvirt puts virbr0 into firewalld's "libvirt" zone and adds its classic
# LIBVIRT_* iptables chains through iptables-nft.
SCENARIO=libvirtd-real-firewalld
WHAT="REAL firewalld 1.3.3 (nftables backend; public zone on eth0) and REAL libvirtd 9.0 (monolithic daemon, private dirs) on one private
D-Bus system bus; 'virsh net-start default' (virbr0 192.168.122.0/24 NAT + dnsmasq). libvirt 9.0 has no nftables backend: it adds
LIBVIRT_* chains with iptables (-> iptables-nft) and puts virbr0 into firewalld's libvirt zone. eth0 198.51.100.10/24."
PACKAGES="firewalld python3-firewall python3-nftables dbus-daemon libvirt-daemon-system libvirt-daemon libvirt-daemon-driver-qemu dnsmasq-base"
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  start_firewalld
  FWC --permanent --zone=public --add-interface=eth0
  FWC --reload
  start_libvirtd
  VIRSH net-start default
  # a VM's tap-like port on the bridge (veth; the other end plays the guest in the probes)
  R ip link add vnet0 type veth peer name vnet0p
  R ip link set vnet0 master virbr0
  R ip link set vnet0 up
  sleep 1
  R virsh -c qemu:///system net-dumpxml default >"$STATE/out/libvirt-net-default.xml"
  R firewall-cmd --list-all-zones >"$STATE/out/firewalld-list-all-zones.txt"
  services "firewalld.service enabled" "libvirtd.service enabled" "nftables.service disabled"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10
  peer vm vnet0p 192.168.122.50/24 192.168.122.1
  listen wan 443; listen vm 22; listen host 2222
  sleep 2   # let the bridge port (virbr0 has STP on) settle after moving its peer
  probe_ping vm 198.51.100.1 "guest -> eth0 (ICMP): LIBVIRT_FWO accepts, firewalld libvirt zone (ACCEPT) forwards, LIBVIRT_PRT masquerades"
  probe vm 198.51.100.1 443 "guest -> eth0 (TCP): same"
  probe wan 192.168.122.50 22 "eth0 -> guest, new: LIBVIRT_FWI rejects"
  probe vm 192.168.122.1 53 "guest -> host DNS (dnsmasq): LIBVIRT_INP accepts, firewalld libvirt zone allows dns"
  probe vm 192.168.122.1 2222 "guest -> other host port: firewalld libvirt zone's final reject"
}
scenario_stop() {
  virsh -c qemu:///system net-destroy default >/dev/null 2>&1
  stop_daemons
}
corpus_main "$@"
