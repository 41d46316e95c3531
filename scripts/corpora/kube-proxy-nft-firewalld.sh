#!/bin/bash
# kube-proxy nftables mode (handwritten, current layout) on a node where the
# REAL firewalld 1.3.3 runs (public zone on eth0, pod bridge cni0 unassigned ->
# default zone). NodePort 30080 is reachable from eth0 although the public zone
# does not open it: DNAT'ed traffic goes through forward, and firewalld accepts
# "ct status dnat".
SCENARIO=kube-proxy-nft-firewalld
WHAT="REAL firewalld 1.3.3 (nftables backend; public zone on eth0, ssh + dhcpv6-client; cni0 left to the default zone) started first,
then a handwritten kube-proxy nftables table (current layout: filter-prerouting-pre-dnat -110, filter-* 0, nat-* -100/100)
with ClusterIP 172.30.0.41:80 and NodePort 30080 -> pod 10.180.0.10:80 on cni0 (10.180.0.1/24). ip_forward=1 (sysctl.d/99-kubernetes.conf)."
PACKAGES="firewalld python3-firewall python3-nftables dbus-daemon"
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 192.168.0.2/24 2001:db8:0:1::2/64
  defroute4 192.168.0.1 eth0
  bridge cni0 10.180.0.1/24 veth9a8b7c6
  R sysctl -qw net.ipv4.ip_forward=1
  start_firewalld
  FWC --permanent --zone=public --add-interface=eth0
  FWC --reload
  R firewall-cmd --list-all-zones >"$STATE/out/firewalld-list-all-zones.txt"
  PROGRAM "kube-proxy nftables mode, current layout (handwritten input-kube-proxy.nft)"
  load_nft "$INPUTS/input-kube-proxy.nft"
  etc_file sysctl.d/99-kubernetes.conf 'net.ipv4.ip_forward=1'
  services "firewalld.service enabled" "kubelet.service enabled" "containerd.service enabled" "nftables.service disabled"
}
scenario_probes() {
  peer wan eth0-peer 192.168.0.1/24 192.168.0.2
  peer pod veth9a8b7c6p 10.180.0.10/24 10.180.0.1
  listen pod 80; listen host 10250; listen wan 443
  probe wan 192.168.0.2 30080 "NodePort 30080 from eth0: public zone does not open it, yet it is DNAT'ed to the pod and accepted (ct status dnat)"
  probe wan 192.168.0.2 10250 "kubelet port on the host itself: public zone rejects"
  probe wan 10.180.0.10 80 "eth0 -> pod directly (no DNAT): firewalld public zone forward rejects"
  probe pod 192.168.0.1 443 "pod -> eth0: cni0 is in the default zone public, intra-zone forward accepts oifname eth0"
}
scenario_stop() { stop_daemons; }
corpus_main "$@"
