"""Seeded packet generator: from a capture's interfaces, sysctls and ruleset it produces a mix
of packets (packets.jsonl format) that exercise the rules: host addresses on open and closed
ports, forwarding between every pair of interfaces, DNAT'ed ports, banned sources, direct
access to container addresses, IPv6 and local_out.
"""

import ipaddress
import json
import os
import random
import re

from topology import parse_interfaces, parse_sysctl, uplink_name

EXTERNAL4 = ["192.0.2.99", "198.18.5.5", "100.64.1.1", "203.0.113.7"]
EXTERNAL6 = ["2001:db8::7", "2001:db8:ff::99"]
INTERNET4 = ["8.8.8.8", "203.0.113.50", "1.1.1.1"]
INTERNET6 = ["2001:db8:ffff::1", "2001:4860:4860::8888"]
COMMON_PORTS = [22, 53, 80, 443, 8080]


def _read(d, n):
    p = os.path.join(d, n)
    if not os.path.exists(p):
        return ""
    with open(p) as f:
        return f.read()


def _walk(o, fn):
    if isinstance(o, dict):
        fn(o)
        for v in o.values():
            _walk(v, fn)
    elif isinstance(o, list):
        for v in o:
            _walk(v, fn)


def _values(right):
    """Flattens a match's right side into scalars / prefix strings / (lo, hi) ranges."""
    out = []
    if isinstance(right, (int, str)):
        out.append(right)
    elif isinstance(right, dict):
        if "set" in right:
            for v in right["set"]:
                out += _values(v)
        elif "prefix" in right:
            out.append("%s/%s" % (right["prefix"]["addr"], right["prefix"]["len"]))
        elif "range" in right:
            out.append(tuple(right["range"]))
    elif isinstance(right, list):
        for v in right:
            out += _values(v)
    return out


def ruleset_facts(capture):
    """Ports, DNAT targets, addresses matched as source (e.g. bans) and destination."""
    facts = {"ports": set(), "dnat_ports": set(), "dnat_targets": set(), "saddrs": set(),
             "daddrs": set()}
    text = _read(capture, "ruleset.json")
    data = json.loads(text) if text else {"nftables": []}

    def on(o):
        m = o.get("match")
        if isinstance(m, dict) and isinstance(m.get("left"), dict):
            left = m["left"]
            field = left.get("payload", {}).get("field") if "payload" in left else None
            vals = _values(m.get("right"))
            if field == "dport":
                for v in vals:
                    if isinstance(v, int):
                        facts["ports"].add(v)
                    elif isinstance(v, tuple) and isinstance(v[0], int):
                        facts["ports"].add(v[0])
            elif field in ("saddr", "daddr"):
                for v in vals:
                    if isinstance(v, str) and v[:1] != "@":
                        facts[field + "s"].add(v)
        for k in ("dnat", "redirect"):
            if isinstance(o.get(k), dict):
                if o[k].get("addr"):
                    facts["dnat_targets"].add(str(o[k]["addr"]))

    for o in data.get("nftables", []):
        if "rule" in o:
            _walk(o["rule"].get("expr", []), on)
        elif "set" in o and o["set"].get("type") in ("ipv4_addr", "ipv6_addr"):
            for e in o["set"].get("elem", []):
                for v in _values(e.get("elem", {}).get("val") if isinstance(e, dict) and "elem" in e else e):
                    if isinstance(v, str):
                        facts["saddrs"].add(v)
    # xt expressions have no arguments in JSON: take ports and targets from the text forms
    texts = _read(capture, "ruleset.nft") + "".join(
        _read(capture, n) for n in ("iptables-nft-save.txt", "ip6tables-nft-save.txt",
                                    "iptables-legacy-save.txt", "ip6tables-legacy-save.txt"))
    for m in re.finditer(r"(?:dport|--dports?) \{? ?([\d, ]+)", texts):
        facts["ports"].update(int(x) for x in re.findall(r"\d+", m.group(1)) if int(x) < 65536)
    for m in re.finditer(r"(?:dnat(?: ip| ip6)? to|--to-destination) \[?([0-9a-fA-F.:]+?)\]?:(\d+)", texts):
        facts["dnat_targets"].add(m.group(1))
    for m in re.finditer(r"dport (\d+)[^\n]*?(?:dnat|--to-destination)", texts):
        facts["dnat_ports"].add(int(m.group(1)))
    for m in re.finditer(r"--dport (\d+) -j DNAT", texts):
        facts["dnat_ports"].add(int(m.group(1)))
    for m in re.finditer(r"-s (\d[\d.]+(?:/\d+)?) ", texts):
        facts["saddrs"].add(m.group(1))
    facts["ports"] |= facts["dnat_ports"]
    return {k: sorted(v, key=str) for k, v in facts.items()}


def _host_in(prefix, rnd):
    net = ipaddress.ip_network(prefix, strict=False)
    if net.num_addresses <= 2:
        return str(net.network_address)
    off = rnd.randrange(1, min(net.num_addresses - 1, 250))
    return str(net.network_address + off)


def generate(capture, seed, count):
    rnd = random.Random(seed)
    ifaces = [i for i in parse_interfaces(_read(capture, "interfaces.txt")) if i["addrs"]]
    sysctl = dict(parse_sysctl(_read(capture, "sysctl.txt")))
    facts = ruleset_facts(capture)
    up = uplink_name(ifaces)
    host_ips = {a.ip for i in ifaces for a in i["addrs"]}
    nets = {i["name"]: [a for a in i["addrs"]] for i in ifaces}

    def iface_of(ip):
        ip = ipaddress.ip_address(ip)
        for n, addrs in nets.items():
            for a in addrs:
                if a.version == ip.version and ip in a.network:
                    return n
        return None

    def usable_src(s):
        ip = ipaddress.ip_address(s)
        return not (ip in host_ips or ip.is_multicast or ip.is_loopback or ip.is_unspecified
                    or ip.is_link_local)

    def host_in_net(a):  # an address of the subnet of host address a, not the host's
        for _ in range(20):
            c = ipaddress.ip_address(_host_in(str(a.network), rnd)) if a.network.num_addresses > 4 \
                else None
            if c is not None and c not in host_ips and c != a.network.broadcast_address:
                return str(c)
        return str(next(h for h in a.network.hosts() if h not in host_ips))

    def ext_src(v, iface):
        """A source for a packet arriving on iface: external for the uplink, else on-link."""
        if iface == up:
            pool = EXTERNAL4 if v == 4 else EXTERNAL6
            banned = [b for b in facts["saddrs"] if (":" in b) == (v == 6)]
            s = rnd.choice(pool + banned[:3]) if banned and rnd.random() < 0.3 else rnd.choice(pool)
            s = _host_in(s, rnd) if "/" in s else s
            return s if usable_src(s) else rnd.choice(pool)
        addrs = [a for a in nets[iface] if a.version == v]
        return host_in_net(addrs[0]) if addrs else None

    ports = facts["ports"] or COMMON_PORTS
    closed = [p for p in (9, 1234, 5555, 31337, 60001) if p not in ports]

    def l4(kind=None):
        proto = kind or rnd.choice(["tcp", "tcp", "tcp", "udp", "icmp"])
        d = {"proto": proto}
        if proto in ("tcp", "udp"):
            d["sport"] = rnd.randrange(20000, 60000)
            d["dport"] = rnd.choice(ports) if rnd.random() < 0.7 else rnd.choice(closed)
        return d

    def fix_icmp(p):
        if p["proto"] == "icmp" and ":" in p["dst"]:
            p["proto"] = "icmpv6"
        return p

    def to_host(pick=None):
        itf, a = pick or (None, None)
        if itf is None:
            itf = rnd.choice(ifaces)
            a = rnd.choice(itf["addrs"])
        src = ext_src(a.version, itf["name"])
        if src is None:
            return None
        return dict(iif=itf["name"], src=src, dst=str(a.ip), **l4())

    pairs = [(a["name"], b["name"]) for a in ifaces for b in ifaces if a is not b]

    def across(pick=None):
        if not pairs:
            return None
        i, o = pick or rnd.choice(pairs)
        v = rnd.choice(sorted({a.version for a in nets[i]}))
        if o == up:
            dst = rnd.choice(INTERNET4 if v == 4 else INTERNET6)
        else:
            cand = [a for a in nets[o] if a.version == v]
            if not cand:
                return None
            dst = host_in_net(cand[0])
        src = ext_src(v, i)
        if src is None or iface_of(dst) == i:
            return None
        return dict(iif=i, src=src, dst=dst, **l4())

    def dnat(pick=None):
        if not facts["dnat_ports"] or up is None:
            return None
        a = rnd.choice([x for x in nets[up] if x.version == 4] or nets[up])
        return dict(iif=up, src=ext_src(a.version, up), dst=str(a.ip), proto="tcp",
                    sport=rnd.randrange(20000, 60000), dport=pick or rnd.choice(facts["dnat_ports"]))

    def banned(pick=None):
        bans = [b for b in facts["saddrs"] if usable_src(_host_in(b, rnd) if "/" in b else b)]
        if not bans or up is None:
            return None
        b = pick or rnd.choice(bans)
        s = _host_in(b, rnd) if "/" in b else b
        v = 6 if ":" in s else 4
        dsts = [a for a in nets[up] if a.version == v]
        if not dsts or not usable_src(s) or iface_of(s) not in (None, up):
            return None
        return dict(iif=up, src=s, dst=str(dsts[0].ip), **l4())

    def container(pick=None):
        tg = [t for t in facts["dnat_targets"] if ipaddress.ip_address(t) not in host_ips
              and iface_of(t) not in (None, up)]
        if not tg or up is None:
            return None
        t = pick or rnd.choice(tg)
        return dict(iif=up, src=ext_src(6 if ":" in t else 4, up), dst=t, **l4())

    def v6(pick=None):
        a6 = [(i["name"], a) for i in ifaces for a in i["addrs"] if a.version == 6]
        if not a6:
            return None
        n, a = rnd.choice(a6)
        dst = str(a.ip) if rnd.random() < 0.7 else rnd.choice(INTERNET6)
        return dict(iif=n, src=ext_src(6, n), dst=dst, **l4())

    def local_out(pick=None):
        opts = [rnd.choice(INTERNET4)] + [host_in_net(a) for i in ifaces for a in i["addrs"]
                                          if i["name"] != up]
        opts += [str(a.ip) for a in nets.get(up, [])]
        if facts["dnat_targets"]:
            opts.append(rnd.choice(facts["dnat_targets"]))
        return dict(local_out=True, dst=pick or rnd.choice(opts), **l4())

    classes = [("host", to_host), ("across", across), ("dnat", dnat), ("banned", banned),
               ("container", container), ("v6", v6), ("local", local_out)]
    fns = dict(classes)
    # systematic part first: every interface address, every pair of interfaces, every DNAT'ed
    # port, container address and (some) banned source; then random picks of every class.
    plan = [("host", (i, a)) for i in ifaces for a in i["addrs"]]
    plan += [("across", pr) for pr in pairs]
    plan += [("dnat", p) for p in facts["dnat_ports"]]
    plan += [("container", t) for t in facts["dnat_targets"]]
    plan += [("banned", b) for b in [x for x in facts["saddrs"] if "/" not in x][:4]]
    plan += [("local", None), ("v6", None)]
    if len(plan) > count:
        plan = rnd.sample(plan, count)
    out, n, tries = [], 0, 0
    while len(out) < count and tries < count * 50:
        if plan:
            name, pick = plan.pop(0)
        else:
            (name, _), pick = rnd.choice(classes), None
        fn = fns[name]
        tries += 1
        p = fn(pick)
        if not p or p.get("src") is None and not p.get("local_out"):
            continue
        p = fix_icmp(p)
        if p.get("proto") == "icmpv6" and ":" not in p["dst"]:
            p["proto"] = "icmp"
        n += 1
        rec = {"id": "s%d-%03d-%s" % (seed, n, name)}
        rec.update(p)
        out.append(rec)
    if sysctl.get("net.ipv4.ip_forward") == "0":
        pass  # forwarded packets are still generated: the kernel then drops them in routing
    return out
