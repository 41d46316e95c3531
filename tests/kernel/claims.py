#!/usr/bin/python3
"""Confirms the claims of lint findings with real packets (issue 5, last "Done when" bullet).

For a capture folder, runs ``nft-coexist lint --format json``, takes every finding of the
packet-path rules (NC3002, NC3003, NC3004, NC3005), turns its witness into a packet and its
message into a claim, sends the packet through the real kernel topology of the harness
(tests/kernel: harness.py via run.run_kernel) and compares the kernel's fate with the claim:

  NC3002 published-port-bypasses-host-firewall  the packet reaches the container/VM: the
         kernel delivers it to the peer of the interface the witness names ("sent out X")
  NC3003 ban-misses-published-port               the same, from the banned address
  NC3004 accept-not-final                        the packet dies in the finding's chain: the
         kernel's dropped_by names the same family, table, base chain and backend (nft or
         legacy)
  NC3005 bridged-traffic-hits-ip-forward         a frame bridged between two ports of a Linux
         bridge dies in the finding's forward chain (bridged_claim below: its own topology,
         because the harness models bridges as plain veths)

  claims.py CAPTURE --binary B [--rules NC3002,NC3004] [--require NC3002,...] [--json OUT]

Exit 0 when every claim checked was confirmed (and every --require rule had a finding with
a packet), 1 otherwise, 77 when not root. Needs root, /usr/bin/python3 with scapy (the
harness); run under ``flock /tmp/nftc-kernel.lock``.
"""

import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

CLAIM_RULES = ("NC3002", "NC3003", "NC3004", "NC3005")

# "tcp 192.0.2.99:40000 -> 198.51.100.10:8082 iif eth0: sent out docker0"
# "tcp 192.0.2.99:40000 -> 198.51.100.10:8443 (published port) iif eth0"
# "tcp 172.17.0.50:40000 -> 198.51.100.59:443 iif docker0 oif eth0 (new connection ...)"
_WITNESS = re.compile(
    r"^(?P<proto>tcp|udp) (?P<src>[0-9.]+|\[[0-9a-f:]+\]):(?P<sport>\d+) -> "
    r"(?P<dst>[0-9.]+|\[[0-9a-f:]+\]):(?P<dport>\d+)(?: \([^)]*\))? iif (?P<iif>[^\s:]+)"
    r"(?: oif (?P<oif>[^\s:]+))?")
_SENT_OUT = re.compile(r"sent out (?P<oif>[^\s,;)]+)")


def log(msg):
    print("claims: %s" % msg, file=sys.stderr, flush=True)


def parse_witness(text):
    """The packet of a witness text, or None when the witness is not a concrete packet."""
    if not text:
        return None
    m = _WITNESS.match(text)
    if not m:
        return None
    p = {"iif": m.group("iif"), "src": m.group("src").strip("[]"), "dst": m.group("dst").strip("[]"),
         "proto": m.group("proto"), "sport": int(m.group("sport")), "dport": int(m.group("dport"))}
    return p, m.group("oif")


def lint(binary, capture):
    """The findings of ``nft-coexist lint --format json`` for one capture."""
    r = subprocess.run([binary, "lint", "--format", "json", "--no-config", "--fail-on", "none", capture],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit("claims: lint failed (%d): %s" % (r.returncode, r.stderr.strip()))
    doc = json.loads(r.stdout)
    out = []
    for inp in doc["inputs"]:
        out += inp.get("findings") or []
    return out


def claim_of(f):
    """(packet, claim) for one finding, or (None, reason). A claim is a dict:
    {"fate": "delivered", "to": "peer-docker0"} or
    {"fate": "dropped", "family", "table", "chain", "source": "nft"|"legacy"}."""
    parsed = parse_witness(f.get("witness"))
    if not parsed:
        return None, "witness is not a concrete packet: %r" % f.get("witness")
    pkt, oif = parsed
    if f["id"] in ("NC3002", "NC3003"):
        m = _SENT_OUT.search(f.get("witness") or "")
        if not m:
            return None, "witness does not say where the packet leaves"
        return pkt, {"fate": "delivered", "to": "peer-" + m.group("oif")}
    if f["id"] in ("NC3004", "NC3005"):
        loc = f["location"]
        return pkt, {"fate": "dropped", "family": loc["family"], "table": loc["table"],
                     "chain": loc["chain"],
                     "source": "legacy" if loc.get("backend") == "iptables-legacy" else "nft"}
    return None, "not a packet-path rule"


def check(claim, kernel):
    """(ok, text): does the kernel record confirm the claim?"""
    if kernel.get("error"):
        return False, "harness error: %s" % kernel["error"]
    fate = kernel.get("fate", "?")
    if claim["fate"] == "delivered":
        d = kernel.get("delivered") or {}
        return d.get("to") == claim["to"], fate
    db = kernel.get("dropped_by")
    if not db or kernel.get("delivered"):
        return False, fate
    ok = (db.get("source") == claim["source"] and db.get("family") == claim["family"] and
          db.get("table") == claim["table"] and db.get("chain") == claim["chain"])
    return ok, fate


def describe(claim):
    if claim["fate"] == "delivered":
        return "delivered to %s" % claim["to"]
    return "dropped in %s %s %s %s" % (claim["source"], claim["family"], claim["table"], claim["chain"])


def run_claims(capture, binary, rules=CLAIM_RULES):
    """Lints `capture`, sends every witness packet through the kernel; returns result dicts."""
    import run as harness_run  # tests/kernel/run.py (owned by the harness; not changed)
    findings = [f for f in lint(binary, capture) if f["id"] in rules]
    todo, results = [], []
    for n, f in enumerate(findings):
        if f["id"] == "NC3005":
            bp = bridged_packet(f)
            if not bp:
                results.append({"id": f["id"], "message": f["message"], "skipped": "witness %r" % f.get("witness")})
                continue
            loc = f["location"]
            claim = {"fate": "dropped", "family": loc["family"], "table": loc["table"], "chain": loc["chain"],
                     "source": "legacy" if loc.get("backend") == "iptables-legacy" else "nft"}
            try:
                k = bridged_claim(capture, bridge=bp[0], ports=bp[1])
            except (RuntimeError, OSError, subprocess.SubprocessError) as e:
                k = {"error": str(e)}
            ok, fate = check(claim, k)
            results.append({"id": f["id"], "message": f["message"], "witness": f["witness"],
                            "packet": {"bridged": bp[0], "ports": list(bp[1]), "proto": "tcp", "dport": 40404},
                            "claim": describe(claim), "kernel": fate, "confirmed": ok})
            continue
        pkt, claim = claim_of(f)
        if pkt is None:
            results.append({"id": f["id"], "message": f["message"], "skipped": claim})
            continue
        pkt = dict(pkt, id="claim-%02d-%s" % (n, f["id"]))
        todo.append((f, pkt, claim))
    if todo:
        recs = {r["id"]: r["kernel"] for r in harness_run.run_kernel(capture, [p for _, p, _ in todo])}
        for f, pkt, claim in todo:
            k = recs.get(pkt["id"], {"error": "no record"})
            ok, fate = check(claim, k)
            results.append({"id": f["id"], "message": f["message"], "witness": f["witness"],
                            "packet": pkt, "claim": describe(claim), "kernel": fate, "confirmed": ok})
    return results


# ---- NC3005: bridged frames through the ip forward hook ---------------------------------
# The harness models bridges as plain veths, so a bridged claim gets its own topology: the
# capture's ruleset in a host namespace with a real Linux bridge whose two ports lead to two
# guest namespaces.

# "IPv4 new TCP connection bridged vnet0 -> vnet1 on virbr0 (forward hook: iif virbr0 oif virbr0): drop"
# "... bridged a port of virbr0 -> another port of virbr0 on virbr0 ..." when the ports are unknown
_BRIDGED = re.compile(r"^(?P<fam>IPv[46]) new TCP connection bridged (?P<p1>.+?) -> (?P<p2>.+?) on (?P<br>\S+) \(")
_TRACE_DROP = re.compile(r"trace id \w+ (?P<family>\w+) (?P<table>\S+) (?P<chain>\S+) "
                         r"(?:policy drop|rule .*\(verdict (?:drop|reject)\))")


def _sh(args, ns=None, check=True, input=None):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + args
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, input=input)
    if check and r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr.strip()))
    return r.stdout


def _sysctl(capture, key, default="0"):
    try:
        with open(os.path.join(capture, "sysctl.txt")) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                if k.strip() == key:
                    return v.strip()
    except OSError:
        pass
    return default


def bridged_claim(capture=None, ruleset_nft=None, bridge="br0", ports=("vport0", "vport1"), nf_call=None,
                  tag="nftc-claims"):
    """Builds <tag>-host with bridge `bridge` and ports `ports` (veths whose peers sit in
    <tag>-a, 10.99.0.1, and <tag>-b, 10.99.0.2), loads the capture's ruleset with the harness
    loader (legacy, iptables-nft, then ruleset.nft; or `ruleset_nft` text), sets
    net.bridge.bridge-nf-call-iptables (from the capture's sysctl.txt unless `nf_call` is
    given) and sends one TCP SYN a -> b:40404 across the bridge. Returns a kernel record
    {"delivered": bool, "dropped_by": {family, table, chain, source} | None, "fate", "trace"}:
    delivered = the SYN reached b's input hook (a counter there), dropped_by = the last drop
    of ``nft monitor trace`` for the marked frame in the host namespace."""
    import time
    import types
    import load  # tests/kernel/load.py (the harness's loader; not changed)
    host, a, b = tag + "-host", tag + "-a", tag + "-b"
    nss = [host, a, b]
    if nf_call is None:
        nf_call = _sysctl(capture, "net.bridge.bridge-nf-call-iptables") == "1" if capture else True
    mon = None
    try:
        for ns in nss:
            _sh(["ip", "netns", "add", ns])
        _sh(["ip", "link", "add", bridge, "type", "bridge"], ns=host)
        _sh(["ip", "link", "set", bridge, "up"], ns=host)
        for port, ns, addr in ((ports[0], a, "10.99.0.1/24"), (ports[1], b, "10.99.0.2/24")):
            _sh(["ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns], ns=host)
            _sh(["ip", "link", "set", port, "master", bridge], ns=host)
            _sh(["ip", "link", "set", port, "up"], ns=host)
            _sh(["ip", "addr", "add", addr, "dev", "eth0"], ns=ns)
            _sh(["ip", "link", "set", "eth0", "up"], ns=ns)
            _sh(["ip", "link", "set", "lo", "up"], ns=ns)
        _sh(["sysctl", "-q", "-w", "net.bridge.bridge-nf-call-iptables=%d" % (1 if nf_call else 0)], ns=host)
        if capture:
            for name in load.iface_names_in_rules(capture):  # iif "x" needs x to exist
                _sh(["ip", "link", "add", name, "type", "dummy"], ns=host, check=False)
            load.load_ruleset(types.SimpleNamespace(host=host, capture=capture))
        if ruleset_nft:
            _sh(["nft", "-f", "-"], ns=host, input=ruleset_nft)
        _sh(["nft", "-f", "-"], ns=host, input=(
            "table ip nftc_claims_trace {\n"
            " chain pre { type filter hook prerouting priority -500; tcp dport 40404 meta nftrace set 1; }\n"
            "}\n"))
        _sh(["nft", "-f", "-"], ns=b, input=(
            "table ip nftc_claims_seen {\n"
            " chain in { type filter hook input priority -500; tcp dport 40404 counter; }\n"
            "}\n"))
        legacy = bool(capture) and load.has_legacy(capture)
        before = load.legacy_snapshot(host) if legacy else {}
        mon = subprocess.Popen(["ip", "netns", "exec", host, "nft", "monitor", "trace"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        time.sleep(0.5)
        mac_b = json.loads(_sh(["ip", "-j", "link", "show", "eth0"], ns=b))[0]["address"]
        _sh(["ip", "neigh", "replace", "10.99.0.2", "lladdr", mac_b, "dev", "eth0", "nud", "permanent"], ns=a)
        _sh([sys.executable, "-c", "import socket\ns=socket.socket()\ns.settimeout(1.0)\n"
             "try:\n s.connect(('10.99.0.2',40404))\nexcept Exception:\n pass"], ns=a)
        time.sleep(0.5)
        mon.terminate()
        trace = mon.communicate(timeout=5)[0].splitlines()
        mon = None
        seen = json.loads(_sh(["nft", "-j", "list", "chain", "ip", "nftc_claims_seen", "in"], ns=b))
        packets = [x["rule"]["expr"][-1]["counter"]["packets"] for x in seen["nftables"] if "rule" in x]
        delivered = bool(packets and packets[0] > 0)
        dropped_by = None
        for line in trace:
            m = _TRACE_DROP.search(line)
            if m and m.group("table") != "nftc_claims_trace":
                dropped_by = {"source": "nft", "family": m.group("family"), "table": m.group("table"),
                              "chain": m.group("chain")}
        if not delivered and dropped_by is None and legacy:  # x_tables: read the counters
            import harness  # tests/kernel/harness.py (not changed)
            delta = load.legacy_delta({k: v for k, v in before.items() if k[0] == "ip"},
                                      {k: v for k, v in load.legacy_snapshot(host).items() if k[0] == "ip"})
            dropped_by = harness.legacy_drop(delta)
        if delivered:
            fate = "delivered to the guest behind %s" % ports[1]
        elif dropped_by:
            fate = "dropped at forward by %s%s %s %s" % ("legacy " if dropped_by.get("source") == "legacy" else "",
                                                        dropped_by["family"], dropped_by["table"], dropped_by["chain"])
        else:
            fate = "lost: no drop verdict seen"
        return {"delivered": ({"to": "peer-" + ports[1]} if delivered else None), "dropped_by": dropped_by,
                "fate": fate, "trace": trace}
    finally:
        if mon is not None:
            mon.kill()
        for ns in nss:
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)


def bridged_packet(f):
    """(bridge, ports) of an NC3005 witness, or None."""
    m = _BRIDGED.match(f.get("witness") or "")
    if not m or m.group("fam") != "IPv4":
        return None
    p1, p2 = m.group("p1"), m.group("p2")
    # "a port of X" / "another port of X": the rule did not know the port's name
    p1 = p1 if " " not in p1 else "vport0"
    p2 = p2 if " " not in p2 and p2 != p1 else ("vport1" if p1 != "vport1" else "vport2")
    return m.group("br"), (p1, p2)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("capture")
    ap.add_argument("--binary", required=True)
    ap.add_argument("--rules", default=",".join(CLAIM_RULES))
    ap.add_argument("--require", default="", help="rules that must have at least one confirmed claim")
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args(argv)
    if os.geteuid() != 0:
        log("SKIPPED: needs root (network namespaces)")
        return 77
    rules = tuple(r for r in a.rules.split(",") if r)
    results = run_claims(a.capture, a.binary, rules)
    name = os.path.basename(a.capture.rstrip("/"))
    bad = 0
    confirmed = set()
    for r in results:
        if "skipped" in r:
            print("%s %s: no packet (%s): %s" % (name, r["id"], r["skipped"], r["message"]))
            continue
        status = "confirmed" if r["confirmed"] else "REFUTED"
        if r["confirmed"]:
            confirmed.add(r["id"])
        else:
            bad += 1
        print("%s %s %s: %s\n    packet: %s\n    claim:  %s\n    kernel: %s" %
              (name, r["id"], status, r["message"], r["witness"], r["claim"], r["kernel"]))
    for req in [x for x in a.require.split(",") if x]:
        if req not in confirmed:
            print("%s %s: MISSING: no confirmed claim of this rule" % (name, req))
            bad += 1
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
