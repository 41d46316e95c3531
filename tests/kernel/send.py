"""Sending and sniffing inside a namespace.

``send.py agent [--iface IF]`` runs *inside* a namespace (started by ``Agent`` through
``ip netns exec``) and answers JSON-line commands on stdin:
  {"op":"arm","marker":M}     forget earlier captures; watch for IPv4 id / IPv6 flow label M
  {"op":"send","pkt":{...},"marker":M}   build the packet with scapy, send it on a raw socket
  {"op":"collect"}            packets seen on IF since "arm" that carry the marker
  {"op":"quit"}
Packets are sent through the namespace's own IP stack (raw IPPROTO_RAW socket, header
included), so local_out packets from the host traverse its output hooks like any other.
"""

import json
import os
import socket
import subprocess
import sys
import threading

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
PROTO_NUM = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}


def build(pkt, marker):
    """Returns the raw bytes of the IP packet described by ``pkt``."""
    from scapy.all import IP, IPv6, TCP, UDP, ICMP, ICMPv6EchoRequest, Raw, raw
    v6 = ":" in pkt["dst"]
    proto = str(pkt.get("proto", "tcp"))
    sport, dport = int(pkt.get("sport") or 0), int(pkt.get("dport") or 0)
    if v6:
        l3 = IPv6(src=pkt["src"], dst=pkt["dst"], fl=marker & 0xfffff, hlim=64)
    else:
        l3 = IP(src=pkt["src"], dst=pkt["dst"], id=marker & 0xffff, ttl=64)
    if proto == "tcp":
        l4 = TCP(sport=sport, dport=dport, flags="S", seq=1000 + marker, window=8192)
    elif proto == "udp":
        l4 = UDP(sport=sport, dport=dport) / Raw(b"nftck")
    elif proto in ("icmp", "icmpv6"):
        l4 = (ICMPv6EchoRequest(id=marker & 0xffff, seq=1) if v6
              else ICMP(type=8, id=marker & 0xffff, seq=1)) / Raw(b"nftck")
    else:
        num = int(proto)
        if v6:
            l3.nh = num
        else:
            l3.proto = num
        l4 = Raw(b"nftck-payload")
    return raw(l3 / l4)


def source_for(dst):
    """The source address this namespace's routing picks for ``dst``."""
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    try:
        s.connect((dst, 9))
        return s.getsockname()[0]
    finally:
        s.close()


def send_raw(data, dst):
    if ":" in dst:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
        s.sendto(data, (dst, 0, 0, 0))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        s.sendto(data, (dst, 0))
    s.close()


def parse_frame(frame):
    """(marker, summary) of an Ethernet frame carrying IPv4/IPv6, or None."""
    from scapy.all import Ether, IP, IPv6, TCP, UDP
    e = Ether(frame)
    if IP in e:
        l3 = e[IP]
        marker, proto = l3.id, {1: "icmp", 6: "tcp", 17: "udp"}.get(l3.proto, str(l3.proto))
    elif IPv6 in e:
        l3 = e[IPv6]
        marker, proto = l3.fl, {58: "icmpv6", 6: "tcp", 17: "udp"}.get(l3.nh, str(l3.nh))
    else:
        return None
    d = {"src": l3.src, "dst": l3.dst, "proto": proto}
    l4 = l3.payload
    if isinstance(l4, (TCP, UDP)):
        d["sport"], d["dport"] = l4.sport, l4.dport
    return marker, d


class Sniffer(threading.Thread):
    def __init__(self, iface):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.bind((iface, 0))
        self.lock = threading.Lock()
        self.marker, self.seen = None, []

    def arm(self, marker):
        with self.lock:
            self.marker, self.seen = marker, []

    def collect(self):
        with self.lock:
            return list(self.seen)

    def run(self):
        while True:
            frame, addr = self.sock.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                continue
            try:
                r = parse_frame(frame)
            except Exception:  # not a frame we care about
                continue
            if r is None:
                continue
            with self.lock:
                if self.marker is not None and r[0] == self.marker:
                    self.seen.append(r[1])


def agent_main(argv):
    iface = None
    if "--iface" in argv:
        iface = argv[argv.index("--iface") + 1]
    import scapy.all  # noqa: F401  (import once, before the first command)
    sn = Sniffer(iface) if iface else None
    if sn:
        sn.start()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            cmd = json.loads(line)
            op = cmd.get("op")
            if op == "arm":
                if sn:
                    sn.arm(cmd["marker"])
                res = {"ok": True}
            elif op == "send":
                pkt = dict(cmd["pkt"])
                if not pkt.get("src"):
                    pkt["src"] = source_for(pkt["dst"])
                send_raw(build(pkt, cmd["marker"]), pkt["dst"])
                res = {"ok": True, "src": pkt["src"]}
            elif op == "source":
                res = {"ok": True, "src": source_for(cmd["dst"])}
            elif op == "collect":
                res = {"ok": True, "seen": sn.collect() if sn else []}
            elif op == "quit":
                print(json.dumps({"ok": True}), flush=True)
                return 0
            else:
                res = {"ok": False, "error": "unknown op %r" % op}
        except Exception as e:  # report, keep serving
            res = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(res), flush=True)
    return 0


class Agent:
    """Controller side: one agent process per namespace."""

    def __init__(self, ns, iface=None):
        self.ns = ns
        args = ["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__), "agent"]
        if iface:
            args += ["--iface", iface]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)
        self.ready = False

    def wait_ready(self):
        """Waits for the agent's first line (agents start in parallel, scapy loads slowly)."""
        if not self.ready:
            if not self.proc.stdout.readline():
                raise RuntimeError("agent in %s did not start" % self.ns)
            self.ready = True

    def request(self, **cmd):
        self.wait_ready()
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("agent in %s died" % self.ns)
        res = json.loads(line)
        if not res.get("ok"):
            raise RuntimeError("agent in %s: %s" % (self.ns, res.get("error")))
        return res

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=2)
            except Exception:
                self.proc.kill()
                self.proc.wait()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "agent":
        sys.exit(agent_main(sys.argv[2:]))
    print("usage: send.py agent [--iface IF]  (started by run.py)", file=sys.stderr)
    sys.exit(2)
