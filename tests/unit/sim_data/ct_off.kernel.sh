#!/bin/bash
# Kernel check behind ct_off.kernel.txt (run as root, under flock /tmp/nftc-kernel.lock):
#   bash ct_off.kernel.sh ctip     (also: none, out, out4, ctinet)
# Does an ip6 nat postrouting chain run for a locally generated packet to the host's own
# address when there is no ip6 nat chain at output? ($1: none | out (ip6 nat output chain) | out4)
set -e
NS=nftc-ct-off
ip netns add $NS; trap "ip netns del $NS" EXIT
X="ip netns exec $NS"
$X ip link set lo up
$X ip link add d0 type veth peer name d1; $X ip link set d0 up; $X ip link set d1 up
$X ip addr add 2001:db8::1/64 dev d0 nodad; $X ip addr add 192.0.2.1/24 dev d0
$X nft -f - <<NFT
table ip6 nat {
  chain POSTROUTING {
    type nat hook postrouting priority 100; policy accept;
    counter
  }
}
table ip nat {
  chain POSTROUTING {
    type nat hook postrouting priority 100; policy accept;
    counter
  }
}
table inet t {
  chain o {
    type filter hook output priority -500; policy accept;
    meta nftrace set 1
  }
}
NFT
if [ "$1" = out ]; then $X nft add chain ip6 nat OUTPUT '{ type nat hook output priority -100; }'; fi
if [ "$1" = ct4 ]; then $X nft add rule inet t o meta nfproto ipv4 ct state new counter; $X nft add table ip c; $X nft add chain ip c c; $X nft add rule ip c c ct state new counter; fi
if [ "$1" = ctip ]; then $X nft add table ip c; $X nft add chain ip c c; $X nft add rule ip c c ct state new counter; fi
if [ "$1" = ctinet ]; then $X nft add table inet c; $X nft add chain inet c c; $X nft add rule inet c c ct mark 1 counter; fi
if [ "$1" = out4 ]; then $X nft add chain ip nat OUTPUT '{ type nat hook output priority -100; }'; fi
$X nft monitor trace > /tmp/nftc-ct-off.trace.$1 & M=$!
sleep 0.5
$X ping -c1 -W1 2001:db8::1 >/dev/null || true
$X ping -c1 -W1 192.0.2.1 >/dev/null || true
sleep 0.5; kill $M
echo "== $1 (kernel $(uname -r))"
$X nft list ruleset | grep -B3 counter | grep -E "table|counter"
