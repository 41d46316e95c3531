"""Network-namespace topology for one capture: a "host" namespace plus one peer per interface.

Everything is created inside namespaces named ``nftck-<id>-...`` and removed again by
``Topology.destroy()`` (run.py calls it from ``finally`` and from signal handlers).  Nothing is
ever written into the namespace this process runs in.
"""

import ipaddress
import os
import re
import subprocess
import sys

PREFIX = "nftck-"
PEER_IF = "nftck0"  # name of the peer end of every veth, inside its peer namespace

# Interfaces of the capture that are artefacts of the capture set-up, not of the host.
_SKIP_RE = re.compile(r"^(lo|.*-peer|ctr-.*|veth.*)$")
# Interfaces that look like bridges for containers/VMs (not the uplink).
_BRIDGE_RE = re.compile(r"^(docker\d*|virbr\d*|br-.*|cni.*|podman\d*|lxcbr\d*|incusbr\d*|"
                        r"lxdbr\d*|cali.*|flannel.*|kube-.*|weave.*|tun.*|tap.*|wg.*)$")


def log(msg):
    print("nftck: " + msg, file=sys.stderr, flush=True)


def run(args, ns=None, input=None, check=True, timeout=60):
    """Runs a command (list) in namespace ``ns`` (or here when None); returns stdout text."""
    if ns is not None:
        args = ["ip", "netns", "exec", ns] + list(args)
    p = subprocess.run(args, input=input, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError("command failed (%d): %s\n%s" % (p.returncode, " ".join(args),
                                                             p.stderr.strip()))
    return p.stdout


def parse_interfaces(text):
    """Parses ``ip -br addr`` output into [{name, state, addrs:[ip_interface]}] (lo excluded)."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        name = parts[0].split("@")[0]
        if _SKIP_RE.match(name):
            continue
        addrs = []
        for tok in parts[2:]:
            try:
                a = ipaddress.ip_interface(tok)
            except ValueError:
                continue
            if a.ip.is_link_local or a.ip.is_loopback:
                continue
            addrs.append(a)
        out.append({"name": name, "state": parts[1] if len(parts) > 1 else "", "addrs": addrs})
    return out


def parse_sysctl(text):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        k, v = line.split("=", 1)
        out.append((k.strip(), v.strip()))
    return out


def parse_routes(text):
    """Parses ``ip route`` / ``ip -6 route`` lines: [{dst, via, dev}] (connected ones skipped)."""
    out = []
    for line in text.splitlines():
        t = line.split()
        if not t or "proto kernel" in line or t[0] in ("local", "broadcast", "multicast"):
            continue
        r = {"dst": t[0], "via": None, "dev": None}
        for i, w in enumerate(t[:-1]):
            if w == "via":
                r["via"] = t[i + 1]
            elif w == "dev":
                r["dev"] = t[i + 1]
        if r["via"] is None and r["dev"] is None:
            continue
        out.append(r)
    return out


def uplink_name(ifaces):
    """The interface that plays 'the internet' side: eth0 if present, else the first non-bridge."""
    names = [i["name"] for i in ifaces]
    if "eth0" in names:
        return "eth0"
    for i in ifaces:
        if not _BRIDGE_RE.match(i["name"]) and i["addrs"]:
            return i["name"]
    return names[0] if names else None


def pick_peer_addr(addr, taken):
    """First address of ``addr``'s subnet that is not the host's nor in ``taken``."""
    net = addr.network
    for i, h in enumerate(net.hosts()):
        if h != addr.ip and h not in taken:
            return ipaddress.ip_interface("%s/%d" % (h, net.prefixlen))
        if i > 1000:
            break
    raise RuntimeError("no free peer address in %s" % net)


class Topology:
    """Host namespace + veth peers named like the capture's interfaces."""

    def __init__(self, capture_dir, run_id=None):
        self.capture = capture_dir
        self.id = run_id or "%x%04x" % (os.getpid() & 0xffff, int.from_bytes(os.urandom(2), "big"))
        self.host = PREFIX + self.id + "-host"
        self.ifaces = parse_interfaces(_read(capture_dir, "interfaces.txt"))
        self.sysctls = parse_sysctl(_read(capture_dir, "sysctl.txt"))
        self.routes = parse_routes(_read(capture_dir, "routes.txt", ""))
        self.uplink = uplink_name(self.ifaces)
        self.peers = {}       # ifname -> peer namespace name
        self.peer_addrs = {}  # ifname -> [ip_interface] on the peer end
        self.created = []     # namespaces created, for destroy()
        self.warnings = []

    # ---- construction -------------------------------------------------------------------
    def create(self):
        self._add_ns(self.host)
        for k in ("net.ipv6.conf.default.accept_dad", "net.ipv6.conf.all.accept_dad"):
            self._sysctl(self.host, k, "0", quiet=True)
        host_ips = {a.ip for i in self.ifaces for a in i["addrs"]}
        for itf in self.ifaces:
            name = itf["name"]
            peer = "%s%s-%s" % (PREFIX, self.id, name)
            self._add_ns(peer)
            self.peers[name] = peer
            self._sysctl(peer, "net.ipv6.conf.default.accept_dad", "0", quiet=True)
            run(["ip", "-n", self.host, "link", "add", name, "type", "veth", "peer", "name",
                 PEER_IF, "netns", peer])
            for a in itf["addrs"]:
                args = ["ip", "-n", self.host, "addr", "add", str(a), "dev", name]
                run(args + (["nodad"] if a.version == 6 else []))
            run(["ip", "-n", self.host, "link", "set", name, "up"])
            run(["ip", "-n", peer, "link", "set", PEER_IF, "up"])
            self.peer_addrs[name] = []
            for a in itf["addrs"]:
                pa = pick_peer_addr(a, host_ips)
                self.add_peer_addr(name, pa)
                run(["ip", "-n", peer, "route", "replace", "default", "via", str(a.ip)]
                    if a.version == 4 else
                    ["ip", "-n", peer, "-6", "route", "replace", "default", "via", str(a.ip)],
                    check=False)
            self._peer_quiet_table(peer)
        self._host_routes()

    def add_peer_addr(self, ifname, addr):
        """Adds ``addr`` (ip_interface, or ip_address -> /32 or /128) to the peer of ``ifname``."""
        if not isinstance(addr, (ipaddress.IPv4Interface, ipaddress.IPv6Interface)):
            addr = ipaddress.ip_interface(addr)
        if addr in self.peer_addrs.setdefault(ifname, []) or any(
                a.ip == addr.ip for a in self.peer_addrs[ifname]):
            return
        args = ["ip", "-n", self.peers[ifname], "addr", "add", str(addr), "dev", PEER_IF]
        run(args + (["nodad"] if addr.version == 6 else []))
        self.peer_addrs[ifname].append(addr)

    def _host_routes(self):
        up = self.uplink
        have_default = {4: False, 6: False}
        for r in self.routes:
            dev = r["dev"]
            if dev is not None and dev not in self.peers:
                self.warnings.append("route %s: device %s not in topology, skipped" % (r, dev))
                continue
            fam = 6 if ":" in (r["via"] or r["dst"]) else 4
            if r["dst"] == "default":
                have_default[fam] = True
            if r["via"] and dev:
                self.add_peer_addr(dev, ipaddress.ip_address(r["via"]))
            args = ["ip", "-n", self.host, "-%d" % fam, "route", "replace", r["dst"]]
            if r["via"]:
                args += ["via", r["via"]]
            if dev:
                args += ["dev", dev]
            run(args, check=False)
        if up is None:
            return
        for pa in self.peer_addrs.get(up, []):
            if not have_default[pa.version]:
                run(["ip", "-n", self.host, "-%d" % pa.version, "route", "replace", "default",
                     "via", str(pa.ip), "dev", up])
                have_default[pa.version] = True

    def _peer_quiet_table(self, peer):
        """Peers never answer (no RST, no ICMP errors/echo replies) so no reply traffic exists."""
        rules = """table inet nftck_peer {
  chain out {
    type filter hook output priority 0; policy accept;
    tcp flags & rst == rst drop
    icmp type { echo-reply, destination-unreachable, time-exceeded } drop
    icmpv6 type { echo-reply, destination-unreachable, time-exceeded } drop
  }
}
"""
        run(["nft", "-f", "-"], ns=peer, input=rules)

    def apply_sysctls(self):
        """Sets the capture's sysctls in the host namespace; returns the keys the kernel lacks."""
        missing = []
        values = dict(self.sysctls)
        rp = values.get("net.ipv4.conf.all.rp_filter")
        for k, v in self.sysctls:
            if not self._sysctl(self.host, k, v):
                missing.append(k)
        if rp is not None:  # per-interface rp_filter is max(all, iface): align them
            for name in ["default"] + list(self.peers):
                self._sysctl(self.host, "net.ipv4.conf.%s.rp_filter" % name, rp, quiet=True)
        for k in missing:
            self.warnings.append("sysctl %s: not available in this kernel/namespace, skipped" % k)
        return missing

    # ---- helpers ------------------------------------------------------------------------
    def _add_ns(self, name):
        run(["ip", "netns", "add", name])
        self.created.append(name)
        run(["ip", "-n", name, "link", "set", "lo", "up"])

    def _sysctl(self, ns, key, value, quiet=False):
        path = "/proc/sys/" + key.replace(".", "/")
        # interface names may contain dots in theory; the capture keys here never do.
        p = subprocess.run(["ip", "netns", "exec", ns, "sh", "-c",
                            'test -e "$1" && echo "$2" > "$1"', "sh", path, value],
                           capture_output=True, text=True)
        return p.returncode == 0

    def host_addrs(self):
        return [a for i in self.ifaces for a in i["addrs"]]

    def iface_for(self, ip):
        """The host interface whose connected subnet contains ``ip`` (or None)."""
        ip = ipaddress.ip_address(ip)
        best = None
        for i in self.ifaces:
            for a in i["addrs"]:
                if a.version == ip.version and ip in a.network:
                    if best is None or a.network.prefixlen > best[1]:
                        best = (i["name"], a.network.prefixlen)
        return best[0] if best else None

    def destroy(self):
        mine = [n for n in leftover_namespaces() if n.startswith(PREFIX + self.id + "-")]
        for ns in reversed(self.created + [n for n in mine if n not in self.created]):
            p = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
            for pid in p.stdout.split():
                try:
                    os.kill(int(pid), 9)
                except (ProcessLookupError, ValueError):
                    pass
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        self.created = []


def leftover_namespaces():
    p = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    return [l.split()[0] for l in p.stdout.splitlines() if l.startswith(PREFIX)]


def _read(d, name, default=None):
    path = os.path.join(d, name)
    if not os.path.exists(path):
        if default is not None:
            return default
        raise FileNotFoundError("%s: missing %s" % (d, name))
    with open(path) as f:
        return f.read()
