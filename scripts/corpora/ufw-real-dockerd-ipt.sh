#!/bin/bash
# The classic "Docker bypasses ufw" (moby#4737, moby#22054): REAL ufw enabled
# first, then the REAL dockerd 20.10 (iptables backend -> iptables-nft) with a
# REAL container published on 8080. Docker's FORWARD rules come before ufw's,
# so the published port is reachable although ufw denies 8080.
SCENARIO=ufw-real-dockerd-ipt
WHAT="REAL ufw 0.36.2 (private /etc/ufw copy) enabled with allow 22/tcp only (8080 not allowed), then the REAL dockerd 20.10 (Debian docker.io,
classic iptables driver, iptables-nft; private roots) and a REAL container (busybox-static image, busybox httpd) run with -p 8080:80.
eth0 198.51.100.10/24. dockerd enables ip_forward itself."
PACKAGES="ufw docker.io containerd runc busybox-static"
. "$(dirname "$0")/lib.sh"

scenario() {
  uplink eth0 198.51.100.10/24 2001:db8:100::10/64
  defroute4 198.51.100.1 eth0
  start_ufw
  UFW --force enable
  UFW allow 22/tcp
  start_dockerd
  docker_busybox_image
  DOCKER run -d --name web -p 8080:80 capture/busybox:local /bin/busybox httpd -f -p 80 >/dev/null
  sleep 1
  R ufw status verbose >"$STATE/out/ufw-status.txt"
  /usr/bin/docker -H "unix://$DOCKER_SOCK" ps >"$STATE/out/docker-ps.txt"
  /usr/bin/docker -H "unix://$DOCKER_SOCK" info >"$STATE/out/docker-info.txt" 2>/dev/null || true
  etc_file ufw/ufw.conf 'ENABLED=yes
LOGLEVEL=low'
  services "ufw.service enabled" "docker.service enabled" "containerd.service enabled" "firewalld.service not-found"
}
scenario_probes() {
  peer wan eth0-peer 198.51.100.1/24 198.51.100.10
  listen host 9090; listen wan 443
  probe wan 198.51.100.10 8080 "published 8080: ufw denies 8080, yet Docker's FORWARD rules accept the DNAT'ed SYN before ufw's chains"
  probe wan 198.51.100.10 9090 "a host port ufw does not allow: dropped by ufw (policy DROP)"
  probe wan 198.51.100.10 22 "ssh allowed by ufw (nothing listens: refused = reached the host)"
}
scenario_stop() {
  [[ -n "${DOCKER_SOCK:-}" ]] && /usr/bin/docker -H "unix://$DOCKER_SOCK" rm -f web >/dev/null 2>&1
  stop_daemons
}
corpus_main "$@"
