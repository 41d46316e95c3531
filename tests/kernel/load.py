"""Loads a capture's ruleset into the host namespace, installs the trace table, reads back
base-chain hooks, handle maps and iptables-legacy counters.

Load order (see README.md): iptables-legacy first, then iptables-nft-restore, then the other
tables from ruleset.nft.  On a tie of hook and priority the kernel runs the chain registered
last first, and this order reproduces /work/shared/kernel-results (nft ``ip filter FORWARD``
runs before the legacy ``filter FORWARD`` at priority 0).
"""

import json
import os
import re

from topology import run

TRACE_TABLE = "nftck_trace"
IPT_TABLES = ("filter", "nat", "mangle", "raw", "security")
LAST_PRIO = 2147483000  # after every real chain, before conntrack confirm (INT_MAX)

_TABLE_RE = re.compile(r"^table (\S+) (\S+) \{\s*$")


def _read(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return f.read()


def split_tables(text):
    """Splits ``nft list ruleset`` text into [(family, name, block_text)]."""
    out, cur, fam, name = [], [], None, None
    for line in text.splitlines(keepends=True):
        m = _TABLE_RE.match(line)
        if m and fam is None:
            fam, name, cur = m.group(1), m.group(2), [line]
            continue
        if fam is not None:
            cur.append(line)
            if line.rstrip() == "}":
                out.append((fam, name, "".join(cur)))
                fam, cur = None, []
    return out


def nft_text_to_load(capture):
    """ruleset.nft minus the tables iptables-nft-restore loads, with nft 1.0.6 fix-ups."""
    text = _read(capture, "ruleset.nft") or ""
    skip_fams = set()
    if _read(capture, "iptables-nft-save.txt"):
        skip_fams.add("ip")
    if _read(capture, "ip6tables-nft-save.txt"):
        skip_fams.add("ip6")
    keep, skipped = [], []
    for fam, name, block in split_tables(text):
        if fam in skip_fams and name in IPT_TABLES:
            skipped.append("%s %s" % (fam, name))
            continue
        # nft 1.0.6 refuses "type nat hook output priority dstnat" (captures README)
        block = re.sub(r"(type nat hook output priority) dstnat\b", r"\1 -100", block)
        keep.append(block)
    return "".join(keep), skipped


def iface_names_in_rules(capture):
    """Interface names that rules match by index (iif/oif "x"): they must exist before load."""
    text = _read(capture, "ruleset.nft") or ""
    return sorted(set(re.findall(r'\b(?:iif|oif) (?:!= )?"([^"]+)"', text)))


def load_ruleset(topo):
    """Loads everything into topo.host; returns a list of notes for the report."""
    ns, cap, notes = topo.host, topo.capture, []
    for fam, tool in (("ip", "iptables-legacy-restore"), ("ip6", "ip6tables-legacy-restore")):
        name = ("iptables" if fam == "ip" else "ip6tables") + "-legacy-save.txt"
        text = _read(cap, name)
        if text and "*" in text:
            run([tool, "-w"], ns=ns, input=text)
            notes.append("legacy %s rules loaded with %s" % (fam, tool))
    for fam, tool in (("ip", "iptables-nft-restore"), ("ip6", "ip6tables-nft-restore")):
        name = ("iptables" if fam == "ip" else "ip6tables") + "-nft-save.txt"
        text = _read(cap, name)
        if text and "*" in text:
            run([tool, "-w"], ns=ns, input=text)
            notes.append("%s tables loaded with %s" % (fam, tool))
    notes += prune_restored_chains(ns, cap)
    text, skipped = nft_text_to_load(cap)
    if skipped:
        notes.append("from ruleset.nft, left to iptables-nft-restore: " + ", ".join(skipped))
    if text.strip():
        run(["nft", "-f", "-"], ns=ns, input=text)
        notes.append("ruleset.nft loaded (%d tables)" % len(split_tables(text)))
    return notes


def prune_restored_chains(ns, capture):
    """Deletes the empty built-in chains that *-nft-save lists but the capture did not have.

    iptables-nft-save prints every built-in chain of a table (``:PREROUTING ACCEPT``), while
    iptables-nft creates them lazily; restoring would add base chains (e.g. ``ip mangle
    PREROUTING``) that the captured kernel never ran.  ruleset.nft says which exist.
    """
    wanted = {}
    for fam, name, block in split_tables(_read(capture, "ruleset.nft") or ""):
        wanted[(fam, name)] = set(re.findall(r"^\tchain (\S+) \{", block, re.M))
    notes = []
    data = json.loads(run(["nft", "-j", "list", "ruleset"], ns=ns))
    rules = {}
    for o in data.get("nftables", []):
        if "rule" in o:
            r = o["rule"]
            rules[(r["family"], r["table"], r["chain"])] = rules.get(
                (r["family"], r["table"], r["chain"]), 0) + 1
    for o in data.get("nftables", []):
        c = o.get("chain")
        if not c or c["table"] not in IPT_TABLES or c["family"] not in ("ip", "ip6"):
            continue
        key = (c["family"], c["table"])
        if key in wanted and c["name"] not in wanted[key] and not rules.get(key + (c["name"],)):
            run(["nft", "delete", "chain", c["family"], c["table"], c["name"]], ns=ns)
            notes.append("deleted %s %s %s (restored from *-nft-save, absent in the capture)"
                         % (c["family"], c["table"], c["name"]))
    return notes


def install_trace_table(ns):
    """Our own table: marks the test packet for tracing and records where it ends up.

    ``pre``/``out`` (priority -500) set nftrace for the packet whose (saddr, daddr, id) is in
    ``m4`` (IPv4) or (saddr, daddr, flowlabel) in ``m6`` (IPv6).  ``out`` also drops the
    host's own answers (RST, ICMP errors, echo replies) so they add no noise.  ``in_last`` and
    ``post_last`` run after every other chain: their trace lines tell that (and with which
    addresses) the packet was delivered locally or left the host.
    """
    t = TRACE_TABLE
    text = """table inet %(t)s {
  set m4 {
    typeof ip saddr . ip daddr . ip id
  }
  set m6 {
    typeof ip6 saddr . ip6 daddr . ip6 flowlabel
  }
  set id4 {
    typeof ip id
  }
  set fl6 {
    typeof ip6 flowlabel
  }
  chain pre {
    type filter hook prerouting priority -500; policy accept;
    ip saddr . ip daddr . ip id @m4 meta nftrace set 1
    ip6 saddr . ip6 daddr . ip6 flowlabel @m6 meta nftrace set 1
  }
  chain out {
    type filter hook output priority -500; policy accept;
    ip saddr . ip daddr . ip id @m4 meta nftrace set 1 accept
    ip6 saddr . ip6 daddr . ip6 flowlabel @m6 meta nftrace set 1 accept
    tcp flags & rst == rst drop
    icmp type { echo-reply, destination-unreachable, time-exceeded, parameter-problem } drop
    icmpv6 type { echo-reply, destination-unreachable, time-exceeded, parameter-problem, packet-too-big } drop
  }
  chain in_last {
    type filter hook input priority %(p)d; policy accept;
    ip id @id4 counter
    ip6 flowlabel @fl6 counter
  }
  chain post_last {
    type filter hook postrouting priority %(p)d; policy accept;
    ip id @id4 counter
    ip6 flowlabel @fl6 counter
  }
}
""" % {"t": t, "p": LAST_PRIO}
    run(["nft", "-f", "-"], ns=ns, input=text)


def set_marker(ns, pkt, marker):
    """Points the trace table at this one packet (flushes the previous marker)."""
    t = TRACE_TABLE
    lines = ["flush set inet %s %s" % (t, s) for s in ("m4", "m6", "id4", "fl6")]
    if ":" in pkt["dst"]:
        lines.append("add element inet %s m6 { %s . %s . %d }" % (t, pkt["src"], pkt["dst"], marker))
        lines.append("add element inet %s fl6 { %d }" % (t, marker))
    else:
        lines.append("add element inet %s m4 { %s . %s . %d }" % (t, pkt["src"], pkt["dst"], marker))
        lines.append("add element inet %s id4 { %d }" % (t, marker))
    run(["nft", "-f", "-"], ns=ns, input="\n".join(lines) + "\n")


def base_chains(ns):
    """{(family, table, chain): hook} for every base chain in the namespace."""
    data = json.loads(run(["nft", "-j", "list", "chains"], ns=ns))
    out = {}
    for o in data.get("nftables", []):
        c = o.get("chain")
        if c and "hook" in c:
            out[(c["family"], c["table"], c["name"])] = c["hook"]
    return out


def _rule_handles(ruleset_json):
    per = {}
    for o in ruleset_json.get("nftables", []):
        r = o.get("rule")
        if r:
            per.setdefault((r["family"], r["table"], r["chain"]), []).append(r["handle"])
    return per


def handle_map(ns, capture):
    """{(family, table, chain, kernel_handle): capture_handle}, matched by position in chain.

    The reload assigns new handles; the simulator reports the capture's (ruleset.json) ones.
    Chains whose rule counts differ are left out (and reported).
    """
    loaded = _rule_handles(json.loads(run(["nft", "-j", "list", "ruleset"], ns=ns)))
    text = _read(capture, "ruleset.json")
    orig = _rule_handles(json.loads(text)) if text else {}
    out, problems = {}, []
    for key, hs in loaded.items():
        if key[1] == TRACE_TABLE:
            continue
        oh = orig.get(key)
        if oh is None or len(oh) != len(hs):
            problems.append("%s %s %s: %d rules loaded, %s in ruleset.json" % (
                key + (len(hs), "none" if oh is None else len(oh))))
            continue
        for k, o in zip(hs, oh):
            out[key + (k,)] = o
    return out, problems


# ---- iptables-legacy counters ------------------------------------------------------------
def has_legacy(capture):
    for n in ("iptables-legacy-save.txt", "ip6tables-legacy-save.txt"):
        t = _read(capture, n)
        if t and "*" in t:
            return True
    return False


def legacy_snapshot(ns):
    """{(family, table, chain, index): (packets, rule_text, policy_or_None)}; index -1 = policy."""
    out = {}
    for fam, tool in (("ip", "iptables-legacy-save"), ("ip6", "ip6tables-legacy-save")):
        text = run([tool, "-c"], ns=ns, check=False)
        table, idx = None, {}
        for line in text.splitlines():
            if line.startswith("*"):
                table, idx = line[1:].strip(), {}
            elif line.startswith(":") and table:
                m = re.match(r":(\S+) (\S+) \[(\d+):(\d+)\]", line)
                if m and m.group(2) != "-":
                    out[(fam, table, m.group(1), -1)] = (
                        int(m.group(3)), ":%s %s" % (m.group(1), m.group(2)), m.group(2))
            elif line.startswith("[") and table:
                m = re.match(r"\[(\d+):(\d+)\] (-A (\S+) .*)$", line)
                if m:
                    chain = m.group(4)
                    i = idx.get(chain, 0)
                    idx[chain] = i + 1
                    out[(fam, table, chain, i)] = (int(m.group(1)), m.group(3), None)
    return out


def legacy_delta(before, after):
    res = []
    for key, (pk, text, pol) in after.items():
        d = pk - before.get(key, (0, None, None))[0]
        if d > 0:
            e = {"family": key[0], "table": key[1], "chain": key[2], "rule": text, "packets": d}
            if pol:
                e["policy"] = pol
            res.append(e)
    return res
