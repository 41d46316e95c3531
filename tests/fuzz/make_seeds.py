#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets: tests/fuzz/seeds/<target>/.

Seeds are small inputs we generate ourselves: the project's own corpora (corpora/) cut into
single tables and small capture folders, plus hand-written inputs that reach the parsers'
branches (priority names, iptables matches and targets, config directives, packets). Run it
again to regenerate; the files are committed. Each seed stays under 16 KiB (-max_len)."""
import json, os, re, struct, shutil

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
corpora = os.path.join(root, "corpora")
out = os.path.join(here, "seeds")
MAX = 16384

def reset(target):
    d = os.path.join(out, target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d

def write(d, name, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX:
        return
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def read(p):
    with open(p, "rb") as f:
        return f.read()

# --- json_loader: each table of each corpus ruleset as its own document -------------
d = reset("json_loader")
for c in sorted(os.listdir(corpora)):
    p = os.path.join(corpora, c, "ruleset.json")
    if not os.path.isfile(p):
        continue
    items = json.load(open(p))["nftables"]
    meta = [i for i in items if "metainfo" in i]
    tables = {}
    for i in items:
        (kind, body), = i.items()
        if kind == "metainfo":
            continue
        key = (body.get("family"), body.get("table", body.get("name") if kind == "table" else None))
        tables.setdefault(key, []).append(i)
    for (fam, name), its in sorted(tables.items(), key=lambda kv: str(kv[0])):
        doc = json.dumps({"nftables": meta + its}, separators=(",", ":"))
        write(d, f"{c}--{fam}-{name}.json", doc)
mini = os.path.join(corpora, "minimal")
for c in sorted(os.listdir(mini)):
    p = os.path.join(mini, c)
    p = p if p.endswith(".json") else os.path.join(p, "ruleset.json")
    if os.path.isfile(p):
        write(d, "minimal-" + os.path.basename(c).replace(".json", "") + ".json", read(p))

# --- iptables_save: byte 0 = kind (bit 0 legacy) | family << 1 (0 ip, 1 ip6, 2 arp, 3 bridge)
d = reset("iptables_save")
def save_tables(text):
    return re.findall(r"^\*\w+\n.*?^COMMIT\n", text, re.S | re.M)
n = 0
for c in sorted(os.listdir(corpora)):
    cd = os.path.join(corpora, c)
    for f in sorted(os.listdir(cd)) if os.path.isdir(cd) else []:
        if not (f.endswith("-save.txt") or f.endswith(".save")):
            continue
        text = open(os.path.join(cd, f)).read()
        v6 = "ip6" in f
        legacy = "legacy" in f
        for t in save_tables(text):
            head = bytes([(1 if legacy else 0) | ((1 if v6 else 0) << 1)])
            write(d, f"{c}--{f}--{t.split()[0][1:]}", head + t.encode())
            n += 1
HAND = """*filter
:INPUT DROP [12:3456]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:f2b-sshd - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -m state --state INVALID -j DROP
-A INPUT -p tcp -m multiport --dports 22,80,443:445 -j f2b-sshd
-A INPUT -p icmp -m icmp --icmp-type 8 -m limit --limit 1/sec -j ACCEPT
-A INPUT -m set --match-set blocklist src -j DROP
-A INPUT -s 192.0.2.0/24 -d 198.51.100.1/32 -m comment --comment "a \\"quoted\\" comment" -j ACCEPT
-A INPUT -m addrtype --dst-type LOCAL -m mark --mark 0x1/0xff -j RETURN
-A INPUT -p udp -m udp --sport 67:68 --dport 67:68 -j ACCEPT
-A INPUT -m physdev --physdev-is-bridged -j ACCEPT
-A INPUT -m recent --name ssh --rcheck --seconds 60 -j DROP
-A INPUT -m u32 --u32 "0>>22&0x3C@12>>26&0x3F=0x10" -j DROP
-A INPUT -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1:500 -j DROP
-A INPUT -j LOG --log-prefix "drop: " --log-level 4
-A INPUT -p tcp -j REJECT --reject-with tcp-reset
-A INPUT -j REJECT --reject-with icmp-host-prohibited
-A FORWARD -i docker0 ! -o docker0 -m connmark --mark 0x2 -j CONNMARK --set-xmark 0x1/0xffffffff
-A FORWARD -o virbr0 -m iprange --src-range 10.0.0.1-10.0.0.9 -j ACCEPT
-A OUTPUT -m owner --uid-owner 1000 -j ACCEPT
-A f2b-sshd -s 203.0.113.7/32 -j REJECT --reject-with icmp-port-unreachable
-A f2b-sshd -j RETURN
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -d 198.51.100.10/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
-A PREROUTING -p udp --dport 53 -j REDIRECT --to-ports 5353
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE --to-ports 1024-65535
-A POSTROUTING -o eth0 -j SNAT --to-source 198.51.100.10
-A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
-A PREROUTING -j MARK --set-xmark 0x4000/0x4000
-A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
-A FORWARD -j TPROXY --on-port 1234 --tproxy-mark 0x1
COMMIT
*raw
:PREROUTING ACCEPT [0:0]
-A PREROUTING -i lo -j CT --notrack
-A PREROUTING -p tcp --dport 21 -j CT --helper ftp
COMMIT
*security
:INPUT ACCEPT [0:0]
-A INPUT -j SECMARK --selctx system_u:object_r:ssh_packet_t:s0
COMMIT
"""
for kind in range(4):
    write(d, f"hand-{kind}.txt", bytes([kind]) + HAND.encode())
write(d, "hand-nft-header.txt", b"\0# Generated by iptables-nft-save v1.8.9 (nf_tables) on Mon\n" + HAND.encode())
write(d, "hand-v6.txt", bytes([2]) + b"*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 2001:db8::/32 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT\n-A INPUT -m rt --rt-type 0 -j DROP\n-A INPUT -j REJECT --reject-with icmp6-adm-prohibited\nCOMMIT\n")
write(d, "hand-arp.txt", bytes([5]) + b"*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n-A OUTPUT --h-length 6 --opcode 1 -j mangle --mangle-ip-s 10.0.0.1\nCOMMIT\n")
write(d, "hand-bridge.txt", bytes([6]) + b"*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\n-A FORWARD -p IPv4 -i veth0 -j DROP\nCOMMIT\n*nat\n:PREROUTING ACCEPT\n-A PREROUTING -p ARP --arp-op Request -j ACCEPT\nCOMMIT\n")

# --- priority_expr: byte 0 = family + 6 * hook, byte 1 = datatype, then text --------
d = reset("priority_expr")
FAMS = ["ip", "ip6", "inet", "arp", "bridge", "netdev"]
HOOKS = ["prerouting", "input", "forward", "output", "postrouting", "ingress", "egress", "none"]
texts = ["filter", "filter + 10", "dstnat - 10", "srcnat+5", "mangle-1", "raw", "security",
         "-150", "+5", "0x10", "out", "2147483647", "-2147483648", "filter + 2147483647",
         "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1", "fe80::1%eth0", "10.0.0.0/8",
         "established", "related,new", "ssh", "echo-request", "local", "tcp", "ipv4_addr",
         "inet_service", "ifname", "ct_state", "00:11:22:33:44:55", "0x0800",
         'define ext = "eth0"\ntable inet t { chain c { iif $ext accept; oifname "x" drop; } }\n'
         'table netdev n { chain i { type filter hook ingress device "eth1" priority 0; } }\n'
         'table inet f { flowtable ft { hook ingress priority 0; devices = { eth0, "veth1" }; } }\n',
         "net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables=1\n# c\n",
         "default via 192.0.2.1 dev eth0 proto dhcp src 192.0.2.10 metric 100\n"
         "blackhole 10.9.0.0/16\n172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1\n"
         "# ip -6 route\n2001:db8::/64 dev eth0 metric 256\nunreachable 2001:db8:1::/48\n"
         "default proto ra metric 1024\n\tnexthop via fe80::1 dev eth0 weight 1\n",
         "lo UNKNOWN 127.0.0.1/8 ::1/128\neth0@if5 UP 192.0.2.10/24 2001:db8::10/64\ndocker0 DOWN\n",
         "filter\nnat\nmangle\n",
         '[{"ifname":"eth0","master":"br0","addr_info":[{"family":"inet","local":"192.0.2.10","prefixlen":24}]}]']
for i, t in enumerate(texts):
    for fam in range(6):
        hook = [0, 2, 4, 5][(i + fam) % 4]
        write(d, f"t{i:02d}-{FAMS[fam]}-{HOOKS[hook]}", bytes([fam + 6 * hook, (i * 7 + fam) % 25]) + t.encode())

# --- config: .nft-coexistrc text ---------------------------------------------------
d = reset("config")
configs = {
    "all": "# comment\ndisable=NC3001,priority-clash\nenable=NC3901\nseverity=NC2001,NC2002:info\n"
           "fail-on=error\ninline=off\n",
    "selectors": "disable=NC3002 table=inet/firewalld chain=filter_FORWARD\n"
                 "severity=NC4001:info owner=docker comment=\"managed by\"\n"
                 "disable=all family=ip6 backend=iptables-legacy owner=doc*\n",
    "fail-on-none": "fail-on=none\n",
    "crlf": "disable=NC2001\r\nfail-on=warning\r\n",
    "bad-key": "frobnicate=1\n",
    "bad-sev": "severity=NC2001:loud\n",
    "quotes": "severity=all:warning comment=\"a \\\"b\\\" c\" table=x\n",
    "rules": "NC1001,NC2001,priority-clash",
    "empty": "",
}
for k, v in configs.items():
    write(d, k, v)

# --- simulate: byte 0 corpus, u32 field mask, then field bytes ---------------------
d = reset("simulate")
def pkt(corpus, mask, rest):
    return bytes([corpus]) + struct.pack("<I", mask) + bytes(rest)
write(d, "in-tcp-22", pkt(0, (1 << 1) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 10), [0, 5, 7, 4, 10, 0, 0, 22, 0]))
write(d, "fwd-docker", pkt(0, (1 << 1) | (1 << 2) | (1 << 6) | (1 << 7) | (1 << 10), [0, 3, 1, 2, 0, 80, 0]))
write(d, "local-out", pkt(1, 1 | (1 << 6) | (1 << 7) | (1 << 9) | (1 << 10), [4, 9, 1, 0x10, 0x27, 0x50, 0]))
write(d, "v6-any", pkt(2, (1 << 3) | (1 << 4) | (1 << 13) | (1 << 15), []))
write(d, "hook-fwd", pkt(3, (1 << 20) | (1 << 1), [0, 2]))
write(d, "pair", pkt(0, 1 << 21, [0, 3]))
write(d, "icmp", pkt(1, (1 << 1) | (1 << 7) | (1 << 11) | (1 << 12), [0, 2, 8, 0]))
write(d, "ct-est", pkt(2, (1 << 1) | (1 << 14) | (1 << 16), [1, 1, 0xff, 0, 0, 0]))

# --- capture_files: ruleset.json, then "=== NAME" sections ----------------------------
d = reset("capture_files")
def capture(cd):
    files = sorted(f for f in os.listdir(cd) if os.path.isfile(os.path.join(cd, f)))
    if "ruleset.json" not in files:
        return None
    data = read(os.path.join(cd, "ruleset.json"))
    for f in files:
        if f in ("ruleset.json", "ruleset.nft", "NOTES.md") or f.startswith("input-"):
            continue
        data += b"\n=== " + f.encode() + b"\n" + read(os.path.join(cd, f))
    return data
for c in sorted(os.listdir(mini)):
    cd = os.path.join(mini, c)
    if os.path.isdir(cd) and (data := capture(cd)):
        write(d, "minimal-" + c, data)
for c in sorted(os.listdir(corpora)):
    cd = os.path.join(corpora, c)
    if c != "minimal" and os.path.isdir(cd) and (data := capture(cd)):
        write(d, c, data)
write(d, "interfaces-json", b'{"nftables":[]}\n=== interfaces.json\n[{"ifname":"eth0","addr_info":[{"family":"inet6","local":"2001:db8::1","prefixlen":64}]}]\n=== arp_tables_names.txt\nfilter\n=== arptables-legacy-save.txt\n*filter\n:INPUT ACCEPT\nCOMMIT\n')

for t in sorted(os.listdir(out)):
    print(t, len(os.listdir(os.path.join(out, t))))
