#!/usr/bin/env python3
"""Seeded generator of big, realistic nftables rulesets (.nft text for `nft -f`, nft 1.0.6).

The ruleset mimics a busy host where several programs own tables side by side:

  inet firewalld      zones: base chains at +10 (mangle -140, dstnat -90, filter 10, srcnat 110),
                      per-zone dispatch by iifname/oifname, allow chains with ports and sets
  ip docker-bridges   per-network chains, ifname verdict maps (filter-forward-in-jumps ...),
                      forward 0, nat -100/100, raw -300
  ip libvirt_network  forward 0, guest_nat postrouting 100
  inet f2b-table      f2b-chain input -1, exact-address set addr-set-sshd (fail2ban style)
  ip crowdsec         crowdsec-chain-input input -10, interval set of prefixes/ranges
  ip kube-proxy       service-ips verdict map (ip daddr . meta l4proto . th dport : goto
                      service-...), per service/endpoint chains, nodeports map, masquerade mark
  inet hostfw         the admin's own: N regular chains of generic rules reached by jumps

Sizes: --rules (total rules, approximately), --elems (interval + exact set elements),
--services (kube-proxy services). Output is deterministic for a given --seed.
"""

import argparse
import random
import sys

SCALES = {
    # name: (rules, set elements, kube-proxy services)
    "10k": (10_000, 20_000, 1_000),
    "100k": (100_000, 200_000, 10_000),
    "200k": (200_000, 400_000, 20_000),
    "200k-1m": (200_000, 1_000_000, 20_000),
}


def ip4(n):
    return "%d.%d.%d.%d" % ((n >> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255)


class Gen:
    def __init__(self, out, rules, elems, services, seed):
        self.o = out
        self.r = random.Random(seed)
        self.rules = rules
        self.elems = elems
        self.services = services
        self.count = 0  # rules written

    def w(self, s):
        self.o.write(s)
        self.o.write("\n")

    def rule(self, text):
        self.w("\t\t" + text)
        self.count += 1

    def chain(self, name, base=None):
        self.w("\tchain %s {" % name)
        if base:
            typ, hook, prio, policy = base
            self.w("\t\ttype %s hook %s priority %d; policy %s;" % (typ, hook, prio, policy))

    def end(self):
        self.w("\t}")

    # ---- set elements ------------------------------------------------------------------
    def interval_elems(self, n, start):
        """n disjoint IPv4 single addresses, aligned prefixes and ranges, ascending."""
        r = self.r
        cur = start
        out = []
        span = max(16, (0xDF000000 - start) // max(n, 1))  # stay below 223.0.0.0
        for _ in range(n):
            cur += r.randint(2, max(3, span // 2)) + 1
            kind = r.random()
            if kind < 0.55:
                out.append(ip4(cur))
                cur += 1
            elif kind < 0.85:
                plen = r.choice((24, 26, 28, 29, 30))
                size = 1 << (32 - plen)
                cur = (cur + size - 1) & ~(size - 1)
                out.append("%s/%d" % (ip4(cur), plen))
                cur += size
            else:
                ln = r.randint(2, 40)
                out.append("%s-%s" % (ip4(cur), ip4(cur + ln)))
                cur += ln + 1
        return out

    def exact_elems(self, n, start):
        r = self.r
        cur = start
        out = []
        span = max(4, (0xDF000000 - start) // max(n, 1))
        for _ in range(n):
            cur += r.randint(1, span)
            out.append(ip4(cur))
        return out

    def elements(self, elems, per_line=8):
        """`elements = { ... }` spread over lines (nft accepts newlines inside braces)."""
        if not elems:
            return
        lines = [", ".join(elems[i:i + per_line]) for i in range(0, len(elems), per_line)]
        self.w("\t\telements = { " + ",\n\t\t\t".join(lines) + " }")

    # ---- owners ------------------------------------------------------------------------
    def firewalld(self, zones, rules_per_zone):
        r = self.r
        self.w("table inet firewalld {")
        self.w("\tset blocklist {\n\t\ttype ipv4_addr\n\t\tflags interval")
        self.elements(["198.18.0.0/15", "203.0.113.0/24", "192.0.2.0-192.0.2.99"])
        self.end()
        bases = [("mangle_PREROUTING", "filter", "prerouting", -140, "mangle_PRE"),
                 ("nat_PREROUTING", "nat", "prerouting", -90, "nat_PRE"),
                 ("nat_POSTROUTING", "nat", "postrouting", 110, "nat_POST"),
                 ("filter_INPUT", "filter", "input", 10, "filter_IN"),
                 ("filter_FORWARD", "filter", "forward", 10, "filter_FWD"),
                 ("filter_OUTPUT", "filter", "output", 10, "filter_OUT")]
        names = ["public", "internal", "dmz", "trusted", "work", "home", "docker", "libvirt"]
        zlist = [names[i] if i < len(names) else "zone%d" % i for i in range(zones)]
        ifs = {z: ["eth%d" % i, "ens%dp%d" % (i, i % 4)] for i, z in enumerate(zlist)}
        for bname, typ, hook, prio, pfx in bases:
            self.chain(bname, (typ, hook, prio, "drop" if hook in ("input", "forward") else "accept"))
            if typ == "filter" and hook != "prerouting":
                self.rule("ct state established,related accept")
                self.rule("ct status dnat accept")
                self.rule('iifname "lo" accept')
                self.rule("ct state invalid drop")
            self.rule("jump %s_ZONES" % bname)
            if hook in ("input", "forward"):
                self.rule('reject with icmpx admin-prohibited')
            self.end()
            self.chain(bname + "_ZONES")
            key = "oifname" if hook in ("postrouting", "output") else "iifname"
            for z in zlist:
                for i in ifs[z]:
                    self.rule('%s "%s" goto %s_%s' % (key, i, pfx, z))
            self.rule("goto %s_public" % pfx)
            self.end()
        for z in zlist:
            for _, typ, hook, _, pfx in bases:
                self.chain("%s_%s" % (pfx, z))
                self.rule("jump %s_%s_allow" % (pfx, z))
                if pfx == "filter_IN":
                    self.rule("meta l4proto { icmp, ipv6-icmp } accept")
                self.end()
                self.chain("%s_%s_allow" % (pfx, z))
                n = rules_per_zone if pfx == "filter_IN" else max(1, rules_per_zone // 10)
                for _ in range(n):
                    self.rule(self.zone_rule(pfx, z))
                self.end()
        self.w("}")

    def zone_rule(self, pfx, z):
        r = self.r
        port = r.randint(1, 65000)
        net = "10.%d.%d.0/24" % (r.randint(0, 255), r.randint(0, 255))
        if pfx.startswith("nat_PRE"):
            return "meta nfproto ipv4 tcp dport %d dnat ip to 10.%d.%d.%d:%d" % (
                port, r.randint(0, 255), r.randint(0, 255), r.randint(1, 254), r.randint(1, 65000))
        if pfx.startswith("nat_POST"):
            return 'ip saddr %s oifname "eth0" masquerade' % net
        if pfx.startswith("mangle"):
            return "ip saddr %s meta mark set 0x%x" % (net, r.randint(1, 255))
        c = r.random()
        if c < 0.3:
            return "tcp dport %d ct state new,untracked accept" % port
        if c < 0.5:
            return 'ip saddr %s udp dport { %d, %d, %d-%d } accept comment "svc-%s"' % (
                net, port, port + 1, port + 10, port + 20, z)
        if c < 0.65:
            return "ip saddr @blocklist counter drop"
        if c < 0.8:
            return "ip6 saddr 2001:db8:%x::/48 tcp dport { 80, 443 } accept" % r.randint(0, 0xffff)
        return 'ip daddr %s ct state new limit rate 10/second log prefix "fw-%s " accept' % (net, z)

    def docker(self, nets):
        r = self.r
        bridges = ["docker0"] + ["br-%012x" % r.getrandbits(48) for _ in range(nets - 1)]
        self.w("table ip docker-bridges {")
        for m in ("filter-forward-in-jumps", "filter-forward-out-jumps",
                  "nat-postrouting-in-jumps", "nat-postrouting-out-jumps"):
            tgt = m[:-len("-jumps")]
            self.w("\tmap %s {\n\t\ttype ifname : verdict" % m)
            self.elements(['"%s" : jump %s__%s' % (b, tgt, b) for b in bridges], per_line=2)
            self.end()
        self.chain("filter-FORWARD", ("filter", "forward", 0, "accept"))
        self.rule("oifname vmap @filter-forward-in-jumps")
        self.rule("iifname vmap @filter-forward-out-jumps")
        self.end()
        self.chain("nat-OUTPUT", ("nat", "output", -100, "accept"))
        self.rule("ip daddr != 127.0.0.0/8 fib daddr type local counter jump nat-prerouting-and-output")
        self.end()
        self.chain("nat-POSTROUTING", ("nat", "postrouting", 100, "accept"))
        self.rule("iifname vmap @nat-postrouting-out-jumps")
        self.rule("oifname vmap @nat-postrouting-in-jumps")
        self.end()
        self.chain("nat-PREROUTING", ("nat", "prerouting", -100, "accept"))
        self.rule("fib daddr type local counter jump nat-prerouting-and-output")
        self.end()
        pubs = []
        self.chain("raw-PREROUTING", ("filter", "prerouting", -300, "accept"))
        for i, b in enumerate(bridges):
            ctr = "172.%d.%d.2" % (17 + i // 256, i % 256)
            hport = 8000 + i
            pubs.append((b, ctr, hport))
            self.rule('ip daddr %s iifname != "%s" counter drop comment "DROP DIRECT ACCESS"' % (ctr, b))
        self.end()
        self.chain("nat-prerouting-and-output")
        for b, ctr, hport in pubs:
            self.rule('iifname != "%s" tcp dport %d counter dnat to %s:80 comment "DNAT"' % (b, hport, ctr))
        self.end()
        for b, ctr, hport in pubs:
            self.chain("filter-forward-in__" + b)
            self.rule("ct state established,related counter accept")
            self.rule('iifname "%s" counter accept comment "ICC"' % b)
            self.rule("ip daddr %s tcp dport 80 counter accept" % ctr)
            self.rule('counter drop comment "UNPUBLISHED PORT DROP"')
            self.end()
            self.chain("filter-forward-out__" + b)
            self.rule("ct state established,related counter accept")
            self.rule('counter accept comment "OUTGOING"')
            self.end()
            self.chain("nat-postrouting-in__" + b)
            self.end()
            self.chain("nat-postrouting-out__" + b)
            net = ctr.rsplit(".", 2)[0] + ".0.0/16"
            self.rule('oifname != "%s" ip saddr %s counter masquerade comment "MASQUERADE"' % (b, net))
            self.end()
        self.w("}")

    def libvirt(self):
        self.w("table ip libvirt_network {")
        self.chain("forward", ("filter", "forward", 0, "accept"))
        for c in ("guest_cross", "guest_input", "guest_output"):
            self.rule("counter jump " + c)
        self.end()
        self.chain("guest_output")
        self.rule('ip saddr 192.168.122.0/24 iif "lo" counter accept')
        self.rule('iif "lo" counter reject')
        self.end()
        self.chain("guest_input")
        self.rule('oif "lo" ip daddr 192.168.122.0/24 ct state established,related counter accept')
        self.rule('oif "lo" counter reject')
        self.end()
        self.chain("guest_cross")
        self.rule('iif "lo" oif "lo" counter accept')
        self.end()
        self.chain("guest_nat", ("nat", "postrouting", 100, "accept"))
        self.rule("ip saddr 192.168.122.0/24 ip daddr 224.0.0.0/24 counter return")
        self.rule("meta l4proto tcp ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 counter masquerade to :1024-65535")
        self.rule("ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 counter masquerade")
        self.end()
        self.w("}")

    def fail2ban(self, n):
        self.w("table inet f2b-table {")
        self.w("\tset addr-set-sshd {\n\t\ttype ipv4_addr")
        self.elements(self.exact_elems(n, 0x01000000))
        self.end()
        self.chain("f2b-chain", ("filter", "input", -1, "accept"))
        self.rule("tcp dport 22 ip saddr @addr-set-sshd reject with icmp port-unreachable")
        self.end()
        self.w("}")

    def crowdsec(self, n):
        self.w("table ip crowdsec {")
        self.w("\tset crowdsec-blacklists {\n\t\ttype ipv4_addr\n\t\tflags interval")
        self.elements(self.interval_elems(n, 0x01000000))
        self.end()
        self.chain("crowdsec-chain-input", ("filter", "input", -10, "accept"))
        self.rule("ip saddr @crowdsec-blacklists drop")
        self.end()
        self.chain("crowdsec-chain-forward", ("filter", "forward", -10, "accept"))
        self.rule("ip saddr @crowdsec-blacklists drop")
        self.end()
        self.w("}")

    def kube_proxy(self, services):
        r = self.r
        self.w('table ip kube-proxy {\n\tcomment "rules for kube-proxy"')
        svcs = []
        for i in range(services):
            h = "%08X" % r.getrandbits(32)
            ns = "ns%d" % (i % 97)
            proto = "udp" if r.random() < 0.1 else "tcp"
            port = r.choice((80, 443, 8080, 53, 9090, 5432, 6379)) if r.random() < 0.7 else r.randint(1024, 60000)
            cip = 0x0A600000 + i + 1  # 10.96.0.0/12
            eps = [(0x0AF40000 + i * 4 + k, r.randint(1024, 60000)) for k in range(r.choice((1, 1, 2, 3)))]
            name = "%s-%s/svc%d/%s/p%d" % (h, ns, i, proto, port)
            svcs.append((name, proto, port, cip, eps, 30000 + i % 2700))
        self.w("\tset cluster-ips {\n\t\ttype ipv4_addr\n\t\tcomment \"Active ClusterIPs\"")
        self.elements([ip4(s[3]) for s in svcs])
        self.end()
        self.w("\tmap service-ips {\n\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n"
               "\t\tcomment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\"")
        self.elements(["%s . %s . %d : goto service-%s" % (ip4(c), p, pt, n) for n, p, pt, c, _, _ in svcs],
                      per_line=1)
        self.end()
        nodeports = svcs[: max(1, len(svcs) // 10)]
        self.w("\tmap service-nodeports {\n\t\ttype inet_proto . inet_service : verdict\n"
               "\t\tcomment \"NodePort traffic\"")
        seen = set()
        elems = []
        for n, p, _, _, _, np in nodeports:
            if (p, np) in seen:
                continue
            seen.add((p, np))
            elems.append("%s . %d : goto external-%s" % (p, np, n))
        self.elements(elems, per_line=1)
        self.end()
        used_ext = {e.split("goto external-")[1] for e in elems}
        fw = svcs[: max(1, len(svcs) // 20)]  # LoadBalancer services with sourceRanges
        self.w("\tmap firewall-ips {\n\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n"
               "\t\tcomment \"destinations that are subject to LoadBalancerSourceRanges\"")
        self.elements(["%s . %s . %d : goto firewall-%s" % (ip4(c), p, pt, n) for n, p, pt, c, _, _ in fw],
                      per_line=1)
        self.end()
        for n, _, _, _, _, _ in fw:
            self.chain("firewall-" + n)
            self.rule('ip saddr != { 203.0.113.0/24, 198.51.100.0/24 } drop comment "%s loadbalancer IP"' % n)
            self.end()
        for cname, base in (("filter-prerouting-pre-dnat", ("filter", "prerouting", -110)),
                            ("filter-output-pre-dnat", ("filter", "output", -110)),
                            ("filter-input", ("filter", "input", 0)),
                            ("filter-forward", ("filter", "forward", 0)),
                            ("filter-output", ("filter", "output", 0)),
                            ("nat-prerouting", ("nat", "prerouting", -100)),
                            ("nat-output", ("nat", "output", -100)),
                            ("nat-postrouting", ("nat", "postrouting", 100))):
            self.chain(cname, base + ("accept",))
            if cname.startswith("nat-post"):
                self.rule("jump masquerading")
            elif cname.startswith("nat-"):
                self.rule("jump services")
            elif cname.endswith("pre-dnat"):
                self.rule("ct state new jump firewall-check")
            else:
                self.rule("ct state new jump cluster-ips-check")
            self.end()
        self.chain("firewall-check")
        self.rule("ip daddr . meta l4proto . th dport vmap @firewall-ips")
        self.end()
        self.chain("cluster-ips-check")
        self.rule('ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"')
        self.rule('ip daddr 10.96.0.0/12 drop comment "Drop traffic to unallocated ClusterIPs"')
        self.end()
        self.chain("mark-for-masquerade")
        self.rule("meta mark set meta mark | 0x00004000")
        self.end()
        self.chain("masquerading")
        self.rule("meta mark & 0x00004000 == 0x00000000 return")
        self.rule("meta mark set meta mark ^ 0x00004000")
        self.rule("masquerade fully-random")
        self.end()
        self.chain("services")
        self.rule("ip daddr . meta l4proto . th dport vmap @service-ips")
        self.rule("fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports")
        self.end()
        for n, p, pt, c, eps, np in svcs:
            self.chain("service-" + n)
            self.rule("ip daddr %s %s dport %d ip saddr != 10.244.0.0/16 jump mark-for-masquerade" % (ip4(c), p, pt))
            eplist = ["endpoint-%s__%s/%d" % (n, ip4(a), ept) for a, ept in eps]
            if len(eplist) == 1:
                self.rule("goto " + eplist[0])
            else:
                self.rule("numgen random mod %d vmap { %s }" % (
                    len(eplist), ", ".join("%d : goto %s" % (k, e) for k, e in enumerate(eplist))))
            self.end()
            if n in used_ext:
                self.chain("external-" + n)
                self.rule('jump mark-for-masquerade comment "masquerade traffic from external sources"')
                self.rule("goto service-" + n)
                self.end()
            for (a, ept), e in zip(eps, eplist):
                self.chain(e)
                self.rule("ip saddr %s jump mark-for-masquerade" % ip4(a))
                self.rule("meta l4proto %s dnat to %s:%d" % (p, ip4(a), ept))
                self.end()
        self.w("}")

    def hostfw(self, nrules):
        """The admin's own table: chains of ~40 generic rules, reached by jumps (a DAG)."""
        r = self.r
        per = 40
        nchains = max(1, nrules // per)
        self.w("table inet hostfw {")
        self.w("\tset allowed-ports {\n\t\ttype inet_service\n\t\tflags interval")
        self.elements(["22", "80", "443", "5000-5100", "8000-8999"])
        self.end()
        self.w("\tset mgmt-nets {\n\t\ttype ipv4_addr\n\t\tflags interval")
        self.elements(["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"])
        self.end()
        self.chain("input", ("filter", "input", 5, "accept"))
        self.rule("ct state established,related accept")
        for c in range(min(max(1, nchains // 4), 64)):
            self.rule('iifname "eth%d" jump host-%d' % (c, c))
        self.end()
        self.chain("forward", ("filter", "forward", 5, "accept"))
        self.rule('iifname "veth*" oifname "eth0" ct state new counter accept')
        self.rule("meta mark 0x00000010 jump host-0")
        self.end()
        for c in range(nchains):
            self.chain("host-%d" % c)
            for k in range(per):
                self.rule(self.generic_rule(c, k, nchains))
            self.end()
        self.w("}")

    def generic_rule(self, c, k, nchains):
        r = self.r
        x = r.random()
        a, b = r.randint(0, 255), r.randint(0, 255)
        port = r.randint(1, 65535)
        if x < 0.15:
            return "ip saddr 10.%d.%d.0/24 tcp dport %d counter accept comment \"rule %d.%d\"" % (a, b, port, c, k)
        if x < 0.27:
            return 'iifname "eth%d" ip daddr 192.0.2.%d udp dport { 53, 123, %d-%d } accept' % (
                a % 8, b, port // 2, port // 2 + 100)
        if x < 0.37:
            return 'oifname "veth*" ct state new counter drop'
        if x < 0.45:
            return "ct state established,related accept"
        nd = max(1, nchains // 4)  # dispatch chains jump to leaf chains: depth stays < 16
        if x < 0.55 and c < nd < nchains:
            return "meta mark 0x%08x jump host-%d" % (port, r.randint(nd, nchains - 1))
        if x < 0.62:
            return "ip saddr @mgmt-nets tcp dport @allowed-ports accept"
        if x < 0.7:
            return "tcp dport { 22, 80, 443 } ct state new limit rate 10/second accept"
        if x < 0.76:
            return "ct mark 0x%x meta mark set ct mark" % b
        if x < 0.82:
            return "icmp type echo-request accept"
        if x < 0.9:
            return "ip6 saddr 2001:db8:%x::/48 ip6 daddr 2001:db8:ffff::%x tcp dport %d drop" % (a, b, port)
        if x < 0.95:
            return 'iifname "br-*" oifname != "eth%d" ip daddr != 10.%d.0.0/16 reject' % (a % 8, a)
        return "ip protocol udp ip saddr 10.%d.%d.%d-10.%d.%d.%d counter drop" % (a, b, 1, a, b, 99)

    def run(self):
        # Budget: kube-proxy ~6 rules per service; docker ~8 per network; firewalld zones.
        self.firewalld(zones=8, rules_per_zone=max(4, self.rules // 400))
        self.docker(nets=max(2, self.rules // 1000))
        self.libvirt()
        self.fail2ban(self.elems // 5)
        self.crowdsec(self.elems - self.elems // 5)
        self.kube_proxy(self.services)
        rest = self.rules - self.count
        self.hostfw(max(40, rest))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", choices=sorted(SCALES), help="preset: " + ", ".join(
        "%s=%s" % (k, v) for k, v in SCALES.items()))
    ap.add_argument("--rules", type=int, default=1000)
    ap.add_argument("--elems", type=int, default=1000)
    ap.add_argument("--services", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    if a.scale:
        a.rules, a.elems, a.services = SCALES[a.scale]
    out = sys.stdout if a.output == "-" else open(a.output, "w", buffering=1 << 20)
    g = Gen(out, a.rules, a.elems, a.services, a.seed)
    g.run()
    out.flush()
    print("gen_ruleset: %d rules, %d set elements, %d services" % (g.count, a.elems, a.services),
          file=sys.stderr)


if __name__ == "__main__":
    main()
