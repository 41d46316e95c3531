"""Parses ``nft -a monitor trace`` lines into the steps of a kernel.jsonl record.

Line shapes (nft 1.0.6):
  trace id ID FAMILY TABLE CHAIN packet: iif "eth0" ... ip saddr A ip daddr B ...
  trace id ID FAMILY TABLE CHAIN rule TEXT # handle N (verdict V)
  trace id ID FAMILY TABLE CHAIN policy V
  trace id ID FAMILY TABLE CHAIN verdict V          (a chain ended without a rule verdict)
"""

import re

from load import TRACE_TABLE

_LINE = re.compile(r"^trace id (\S+) (\S+) (\S+) (\S+) (packet: |rule |policy |verdict )(.*)$")
_COUNTER = re.compile(r"\bcounter packets \d+ bytes \d+")


def parse_lines(lines):
    """[event] where event = {type, id, family, table, chain, ...} in printed order."""
    out = []
    for line in lines:
        m = _LINE.match(line.rstrip("\n").rstrip())
        if not m:
            continue
        ev = {"id": m.group(1), "family": m.group(2), "table": m.group(3), "chain": m.group(4)}
        kind, rest = m.group(5).strip().rstrip(":"), m.group(6).strip()
        if kind == "packet":
            ev["type"], ev["pkt"] = "packet", parse_packet(rest)
        elif kind == "rule":
            text, _, verdict = rest.rpartition(" (verdict ")
            if not _:
                continue
            verdict = verdict.rstrip(")").strip()
            handle = None
            hm = re.search(r"\s*# handle (\d+)\s*$", text)
            if hm:
                handle, text = int(hm.group(1)), text[:hm.start()]
            ev.update(type="rule", rule=_COUNTER.sub("counter", text).strip(), handle=handle,
                      verdict=verdict)
        elif kind == "policy":
            ev.update(type="policy", verdict=rest.split()[0] if rest else "")
        else:
            ev.update(type="verdict", verdict=rest.split(" meta mark")[0].strip())
        out.append(ev)
    return out


def parse_packet(text):
    """The fields of a trace packet line that the records use."""
    toks = text.split()
    d = {}
    i = 0
    while i < len(toks) - 1:
        a, b = toks[i], toks[i + 1]
        if a in ("iif", "oif"):
            d[a] = b.strip('"')
            i += 2
            continue
        if a in ("ip", "ip6") and i + 2 < len(toks):
            c = toks[i + 2]
            if b in ("saddr", "daddr"):
                d["src" if b == "saddr" else "dst"] = c
            elif b in ("protocol", "nexthdr"):
                d["proto"] = "icmpv6" if c == "ipv6-icmp" else c
            elif b == "id":
                d["ip_id"] = int(c)
            elif b == "flowlabel":
                d["flowlabel"] = int(c)
            i += 3
            continue
        if a in ("tcp", "udp") and b in ("sport", "dport") and i + 2 < len(toks):
            d.setdefault("proto", a)
            d[b] = int(toks[i + 2])
            i += 3
            continue
        if a in ("icmp", "icmpv6") and b == "type" and i + 2 < len(toks):
            d.setdefault("proto", a)
            i += 3
            continue
        i += 1
    return d


def build_steps(events, base_hooks, handle_map=None):
    """Turns events into (steps, ours, extra).

    steps: the kernel.jsonl steps (our trace table left out); ours: events of our own table
    (in_last / post_last tell delivery); extra: events that are not steps (chain ends that nft
    prints as a bare "verdict", e.g. an implicit return), kept for the report.
    """
    steps, ours, extra = [], [], []
    current_base = {}  # (family, table) -> base chain name
    pending_pkt = {}
    for ev in events:
        key = (ev["family"], ev["table"], ev["chain"])
        if ev["table"] == TRACE_TABLE:
            ours.append(ev)
            continue
        if key in base_hooks:
            current_base[key[:2]] = ev["chain"]
        if ev["type"] == "packet":
            pending_pkt[key] = ev["pkt"]
            continue
        base = current_base.get(key[:2])
        hook = base_hooks.get(key[:2] + (base,)) if base else None
        if ev["type"] == "verdict":
            extra.append({"family": ev["family"], "table": ev["table"], "chain": ev["chain"],
                          "verdict": ev["verdict"], "hook": hook})
            continue
        st = {"family": ev["family"], "table": ev["table"], "chain": ev["chain"],
              "handle": ev.get("handle") if ev["type"] == "rule" else None,
              "rule": ev.get("rule") if ev["type"] == "rule" else None,
              "verdict": ev["verdict"], "kind": ev["type"], "hook": hook, "base_chain": base}
        if handle_map is not None and st["handle"] is not None:
            ch = handle_map.get(key + (st["handle"],))
            if ch is not None:
                st["capture_handle"] = ch
        if key in pending_pkt:
            pk = pending_pkt.pop(key)
            st["pkt"] = {k: v for k, v in pk.items() if k not in ("ip_id", "flowlabel")}
        steps.append(st)
    return steps, ours, extra


def delivery_from_ours(ours):
    """(local, out): the packet as our input-last chain saw it, and as postrouting-last saw it."""
    local = out = None
    for ev in ours:
        if ev["type"] == "packet" and ev["chain"] == "in_last":
            local = ev["pkt"]
        elif ev["type"] == "packet" and ev["chain"] == "post_last":
            out = ev["pkt"]
    return local, out


def nft_drop(steps):
    """The step that dropped the packet (last verdict drop/reject/queue), or None."""
    for st in reversed(steps):
        if st["verdict"] in ("drop", "reject") or st["verdict"].startswith("queue"):
            return st
    return None


def describe_step(st, steps=()):
    where = "%s %s %s" % (st["family"], st["table"], st.get("base_chain") or st["chain"])
    if st.get("base_chain") and st["base_chain"] != st["chain"]:
        where += ">" + st["chain"]
    if st["kind"] == "policy":
        # the chains this base chain jumped to without getting a verdict (like kernel-results)
        jumped = []
        for s in steps:
            if s is st:
                break
            if (s.get("base_chain"), s["family"], s["table"], s["hook"]) == (
                    st.get("base_chain"), st["family"], st["table"], st["hook"]) and \
                    s["verdict"].split()[0] in ("jump", "goto"):
                target = s["verdict"].split()[1]
                if target not in jumped:
                    jumped.append(target)
        extra = " (no verdict in %s)" % ", ".join(jumped) if jumped else ""
        return "%s: policy %s%s" % (where, st["verdict"], extra)
    return "%s: '%s' %s" % (where, st["rule"], st["verdict"])


def strip_internal(steps):
    """Steps in the exact kernel.jsonl shape (base_chain kept only where it differs)."""
    out = []
    for st in steps:
        s = dict(st)
        s.pop("base_chain", None)
        out.append(s)
    return out
