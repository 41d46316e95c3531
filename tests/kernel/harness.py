"""The kernel oracle: builds the topology for one capture, sends packets one at a time and
records what the kernel did with each, in the format of /work/shared/kernel-results/*.jsonl.
"""

import ipaddress
import subprocess
import threading
import time

import load
import trace_parse
from send import Agent
from topology import PEER_IF, Topology, log, run

MARKER_BASE = 0x5000


class Monitor:
    """``nft -a monitor trace`` in the host namespace, read by a thread."""

    def __init__(self, ns):
        self.proc = subprocess.Popen(["ip", "netns", "exec", ns, "nft", "-a", "monitor", "trace"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     bufsize=1)
        self.lock = threading.Lock()
        self.lines, self.last = [], time.monotonic()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stdout:
            with self.lock:
                self.lines.append(line)
                self.last = time.monotonic()

    def take(self):
        with self.lock:
            out, self.lines = self.lines, []
            return out

    def peek(self):
        with self.lock:
            return list(self.lines)

    def quiet_for(self):
        with self.lock:
            return time.monotonic() - self.last

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Harness:
    def __init__(self, capture, min_wait=0.35, quiet=0.25, max_wait=3.0):
        self.topo = Topology(capture)
        self.capture = capture
        self.min_wait, self.quiet, self.max_wait = min_wait, quiet, max_wait
        self.monitor = None
        self.agents = {}  # ifname -> Agent; "" -> host agent
        self.notes = []
        self.marker = MARKER_BASE
        self.legacy = load.has_legacy(capture)

    # ---- set-up / tear-down --------------------------------------------------------------
    def setup(self):
        t = self.topo
        t.create()
        for name in load.iface_names_in_rules(self.capture):
            if name not in t.peers:  # matched by index: must exist before the load
                run(["ip", "-n", t.host, "link", "add", name, "type", "dummy"], check=False)
                run(["ip", "-n", t.host, "link", "set", name, "up"], check=False)
                self.notes.append("dummy interface %s created for iif/oif rules" % name)
        missing = t.apply_sysctls()
        for k in missing:
            log("sysctl %s is not available here, skipped" % k)
        self.notes += load.load_ruleset(t)
        load.install_trace_table(t.host)
        self.base_hooks = load.base_chains(t.host)
        self.handles, problems = load.handle_map(t.host, self.capture)
        self.notes += ["handle map: " + p for p in problems]
        self.notes += t.warnings
        self.monitor = Monitor(t.host)
        self.agents[""] = Agent(t.host)
        for name, ns in t.peers.items():
            self.agents[name] = Agent(ns, PEER_IF)
        for a in self.agents.values():
            a.wait_ready()  # also gives nft monitor time to subscribe

    def prepare(self, packets):
        """Gives peers the destination addresses that live in their subnets."""
        host_ips = {a.ip for a in self.topo.host_addrs()}
        for p in packets:
            dst = p.get("dst")
            if not dst:
                continue
            ip = ipaddress.ip_address(dst)
            if ip in host_ips:
                continue
            itf = self.topo.iface_for(ip)
            if itf and itf in self.topo.peers and itf != p.get("iif"):
                self.topo.add_peer_addr(itf, ip)
        self.pin_neighbours()

    def pin_neighbours(self):
        """Static neighbour entries both ways, so no ARP/ND runs (and counts) during a test."""
        t = self.topo
        for name, peer in t.peers.items():
            hmac = _mac(t.host, name)
            pmac = _mac(peer, PEER_IF)
            for a in t.peer_addrs.get(name, []):
                run(["ip", "-n", t.host, "neigh", "replace", str(a.ip), "lladdr", pmac, "dev",
                     name, "nud", "permanent"], check=False)
            for itf in t.ifaces:
                if itf["name"] != name:
                    continue
                for a in itf["addrs"]:
                    run(["ip", "-n", peer, "neigh", "replace", str(a.ip), "lladdr", hmac, "dev",
                         PEER_IF, "nud", "permanent"], check=False)

    def teardown(self):
        for a in self.agents.values():
            try:
                a.close()
            except Exception:
                pass
        self.agents = {}
        if self.monitor:
            self.monitor.close()
            self.monitor = None
        self.topo.destroy()

    # ---- one packet ----------------------------------------------------------------------
    def run_packet(self, pkt):
        self.marker += 1
        marker = self.marker
        host = self.topo.host
        local_out = bool(pkt.get("local_out"))
        sender = "" if local_out else pkt.get("iif")
        if sender not in self.agents:
            return {"id": pkt.get("id"), "kernel": {"error": "no interface %r in topology" % sender}}
        p = dict(pkt)
        if not p.get("src"):
            p["src"] = self.agents[sender].request(op="source", dst=p["dst"])["src"]
        run(["conntrack", "-F"], ns=host, check=False)
        load.set_marker(host, p, marker)
        for name, a in self.agents.items():
            if name:
                a.request(op="arm", marker=marker)
        before = load.legacy_snapshot(host) if self.legacy else {}
        self.monitor.take()
        t0 = time.monotonic()
        self.agents[sender].request(op="send", pkt=p, marker=marker)
        while True:
            time.sleep(0.05)
            el = time.monotonic() - t0
            if el >= self.max_wait:
                break
            if el >= self.min_wait and self.monitor.quiet_for() >= self.quiet and \
                    finished(self.monitor.peek()):
                break
        lines = self.monitor.take()
        after = load.legacy_snapshot(host) if self.legacy else {}
        fam = "ip6" if ":" in p["dst"] else "ip"
        before = {k: v for k, v in before.items() if k[0] == fam}
        after = {k: v for k, v in after.items() if k[0] == fam}
        seen = {name: a.request(op="collect")["seen"] for name, a in self.agents.items() if name}
        return self.record(pkt, p, marker, lines, load.legacy_delta(before, after), seen,
                           "host (local_out)" if local_out else "peer-" + sender)

    def record(self, pkt, sent, marker, lines, legacy, seen, via):
        events = trace_parse.parse_lines(lines)
        steps, ours, extra = trace_parse.build_steps(events, self.base_hooks, self.handles)
        local, out = trace_parse.delivery_from_ours(ours)
        delivered = None
        for name, pk in seen.items():
            if pk:
                delivered = {"to": "peer-" + name}
                delivered.update(_five(pk[0]))
                break
        if delivered is None and local is not None:
            delivered = {"to": "host"}
            delivered.update(_five(local))
            delivered["iif"] = local.get("iif")
        dropped_by = None
        if delivered is None:
            st = trace_parse.nft_drop(steps)
            if st is not None:
                dropped_by = {"hook": st["hook"], "source": "nft", "family": st["family"],
                              "table": st["table"], "chain": st.get("base_chain") or st["chain"],
                              "detail": trace_parse.describe_step(st, steps)}
            else:
                dropped_by = legacy_drop(legacy)
        if delivered:
            d = delivered
            port = (":%s" % d["dport"]) if d.get("dport") is not None else ""
            fate = ("delivered locally to host (%s %s%s)" % (d["proto"], d["dst"], port)
                    if d["to"] == "host" else
                    "delivered to %s (%s %s -> %s%s)" % (d["to"], d["proto"], d["src"], d["dst"], port))
        elif dropped_by:
            fate = "dropped at %s by %s" % (dropped_by["hook"], dropped_by["detail"])
        else:
            fate = ("lost: no drop verdict seen" + (" (left via %s)" % out.get("oif") if out else
                    " (routing: forwarding off, no route or martian)"))
        k = {"steps": trace_parse.strip_internal(steps), "legacy_matches": legacy,
             "delivered": delivered, "fate": fate, "dropped_by": dropped_by,
             "sent": {"marker": marker, "src": sent["src"], "dst": sent["dst"], "via": via}}
        if out is not None:
            k["left_via"] = out.get("oif")
        if extra:
            k["chain_ends"] = extra
        return {"id": pkt.get("id"), "kernel": k}


def finished(lines):
    """True once the trace shows the packet's end: delivered locally (our in_last chain),
    left the host (post_last, unless via lo: then it comes back in), or a drop/queue verdict.
    Packets that die otherwise (routing, a legacy DROP) wait for max_wait; so a slow
    ``nft monitor`` on a loaded machine cannot cut a trace short."""
    for line in lines:
        if " %s in_last " % load.TRACE_TABLE in line:
            return True
        if " %s post_last packet:" % load.TRACE_TABLE in line and 'oif "lo"' not in line:
            return True
        if "(verdict drop)" in line or " policy drop" in line or "(verdict queue" in line:
            return True
    return False


def _mac(ns, dev):
    import json
    data = json.loads(run(["ip", "-j", "link", "show", "dev", dev], ns=ns))
    return data[0]["address"]


def _five(d):
    out = {"src": d.get("src"), "dst": d.get("dst"), "proto": d.get("proto")}
    if d.get("proto") in ("tcp", "udp"):
        out["sport"], out["dport"] = d.get("sport"), d.get("dport")
    return out


def legacy_drop(legacy):
    """dropped_by for a legacy DROP/REJECT whose counter grew, or None."""
    for e in legacy:
        rule = e["rule"]
        if e.get("policy") == "DROP" or " -j DROP" in rule or " -j REJECT" in rule:
            base = _legacy_base(legacy, e["chain"])
            where = "legacy %s %s %s" % (e["family"], e["table"], base)
            if base != e["chain"]:
                where += ">" + e["chain"]
            jumped = [x["rule"].split(" -j ")[1].split()[0] for x in legacy
                      if x["family"] == e["family"] and x["table"] == e["table"]
                      and x["chain"] == e["chain"] and " -j " in x["rule"]]
            jumped = [j for j in jumped if j not in ("DROP", "REJECT", "ACCEPT", "RETURN")]
            extra = " (no verdict in %s)" % ", ".join(jumped) if jumped else ""
            detail = ("%s: policy DROP%s" % (where, extra)) if e.get("policy") else \
                "%s: '%s'" % (where, rule)
            return {"hook": base.lower() if base in _BUILTIN else None, "source": "legacy",
                    "family": e["family"], "table": e["table"], "chain": base, "detail": detail}
    return None


_BUILTIN = ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")


def _legacy_base(legacy, chain, depth=0):
    if chain in _BUILTIN or depth > 10:
        return chain
    for e in legacy:
        if e["rule"].endswith(" -j " + chain) or (" -j %s " % chain) in e["rule"] or \
                (" -g %s" % chain) in e["rule"]:
            return _legacy_base(legacy, e["chain"], depth + 1)
    return chain
