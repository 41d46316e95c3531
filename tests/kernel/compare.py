"""Comparisons: the harness against kernel-results (self-check), and the kernel against the
simulator (`nft-coexist trace --format json`, schema_version 1, issue 3).

Simulator file: JSON lines, one per packet, either {"id": ID, "sim": <trace json>} (what
``run_simulator`` writes) or the trace json itself with an added "id".
"""

import json
import subprocess
import tempfile

STEP_KEYS = ("family", "table", "chain", "handle", "verdict", "kind", "hook")
DELIV_KEYS = ("to", "src", "dst", "proto", "sport", "dport")
SIM_KEYS = ("hook", "family", "table", "chain", "handle", "verdict")


def _step_str(s):
    return "%s %s %s h=%s %s/%s @%s" % tuple(s.get(k) for k in STEP_KEYS)


def diff_kernel_records(ref, got):
    """Differences between two kernel.jsonl records (steps and delivery)."""
    if ref is None:
        return ["no reference record"]
    r, g = ref["kernel"], got["kernel"]
    if "error" in g:
        return ["harness error: " + g["error"]]
    out = []
    rs = [tuple(s.get(k) for k in STEP_KEYS) for s in r["steps"]]
    gs = [tuple(s.get(k) for k in STEP_KEYS) for s in g["steps"]]
    if rs != gs:
        i = 0
        while i < min(len(rs), len(gs)) and rs[i] == gs[i]:
            i += 1
        out.append("steps differ at %d (ref %d steps, got %d)" % (i, len(rs), len(gs)))
        out.append("  ref: " + (_step_str(r["steps"][i]) if i < len(rs) else "(end)"))
        out.append("  got: " + (_step_str(g["steps"][i]) if i < len(gs) else "(end)"))
    rd, gd = r.get("delivered"), g.get("delivered")
    rdt = tuple(rd.get(k) for k in DELIV_KEYS) if rd else None
    gdt = tuple(gd.get(k) for k in DELIV_KEYS) if gd else None
    if rdt != gdt:
        out.append("delivered: ref %s, got %s" % (rdt, gdt))
    return out


# ---- kernel vs simulator -----------------------------------------------------------------
def _verdict(v):
    """Normalises a verdict: the kernel prints reject as drop; case and spacing vary."""
    v = " ".join(str(v or "").lower().split())
    return "drop" if v.startswith("reject") else v


def kernel_steps(rec):
    """(hook, family, table, chain, handle, verdict) per kernel step; handle = capture's."""
    out = []
    for s in rec["kernel"]["steps"]:
        h = s.get("capture_handle", s.get("handle")) if s.get("kind") != "policy" else None
        out.append((s.get("hook"), s["family"], s["table"], s["chain"], h, _verdict(s["verdict"])))
    return out


def _is_legacy(step):
    return (step.get("source") == "legacy" or step.get("legacy") is True
            or str(step.get("table", "")).startswith("legacy"))


def sim_steps(outcome):
    """Simulator steps in kernel-comparable form; iptables-legacy steps are left out because
    ``nft monitor trace`` cannot show them (they are compared through the final fate)."""
    out = []
    for s in outcome.get("steps", []):
        if _is_legacy(s):
            continue
        out.append((s.get("hook"), s.get("family"), s.get("table"), s.get("chain"),
                    s.get("handle"), _verdict(s.get("verdict"))))
    return out


def kernel_fate(rec):
    d = rec["kernel"].get("delivered")
    return "delivered" if d else "dropped"


def sim_fate(outcome_or_verdict):
    v = _verdict(outcome_or_verdict)
    return "delivered" if v == "accept" else "dropped" if v in ("drop", "queue") else v


def value_agrees(sim_value, kernel_value):
    """The simulator's value is the kernel's, or a port range "LO-HI" (a NAT with
    random/fully-random picks the port at random, nf_nat_core.c) that holds it."""
    sv, kv = str(sim_value), str(kernel_value)
    if sv == kv:
        return True
    lo, sep, hi = sv.partition("-")
    if sep and lo.isdigit() and hi.isdigit() and kv.isdigit():
        return int(lo) <= int(kv) <= int(hi)
    return False


def compare_one(krec, srec):
    """List of disagreements (empty = agree) between a kernel record and simulator output."""
    if srec is None:
        return ["no simulator output"]
    if "error" in srec:
        return ["simulator failed: %s" % srec["error"]]
    if "error" in krec["kernel"]:
        return ["kernel harness failed: %s" % krec["kernel"]["error"]]
    sim = srec.get("sim", srec)
    if sim.get("schema_version") != 1:
        return ["simulator output has schema_version %r, expected 1" % sim.get("schema_version")]
    outcomes = sim.get("outcomes") or []
    if sim.get("verdict") == "depends" or len(outcomes) != 1:
        conds = "; ".join("%s -> %s" % (o.get("condition"), o.get("verdict")) for o in outcomes)
        return ["simulator did not decide (verdict %r, %d outcomes: %s) for a fully specified "
                "packet" % (sim.get("verdict"), len(outcomes), conds)]
    o = outcomes[0]
    ks, ss = kernel_steps(krec), sim_steps(o)
    out = []
    if ks != ss:
        i = 0
        while i < min(len(ks), len(ss)) and ks[i] == ss[i]:
            i += 1
        out.append("step %d differs (kernel %d steps, simulator %d)" % (i + 1, len(ks), len(ss)))
        out.append("  kernel:    %s" % (" ".join(map(str, ks[i])) if i < len(ks) else "(end)"))
        out.append("  simulator: %s" % (" ".join(map(str, ss[i])) if i < len(ss) else "(end)"))
    kf, sf = kernel_fate(krec), sim_fate(o.get("verdict", sim.get("verdict")))
    if kf != sf:
        out.append("fate: kernel %s (%s), simulator %s" % (kf, krec["kernel"].get("fate"),
                                                           o.get("verdict")))
    d = krec["kernel"].get("delivered")
    sd = o.get("delivered")
    if d and isinstance(sd, dict):
        kto = d.get("to", "")
        kto = kto[len("peer-"):] if kto.startswith("peer-") else kto
        if sd.get("to") not in (None, "?", "any") and str(sd["to"]) != kto:
            out.append("delivered to: kernel %s, simulator %s" % (kto, sd["to"]))
        for k in ("src", "dst", "sport", "dport"):
            if sd.get(k) in (None, "", "?", "any") or d.get(k) is None:
                continue
            if not value_agrees(sd[k], d[k]):
                out.append("delivered %s: kernel %s, simulator %s" % (k, d[k], sd[k]))
    nat = o.get("nat") or {}
    if d and isinstance(nat, dict):
        for k in ("src", "dst", "sport", "dport"):
            if nat.get(k) is not None and d.get(k) is not None and not value_agrees(nat[k], d[k]):
                out.append("nat %s: kernel delivered %s, simulator %s" % (k, d[k], nat[k]))
    return out


def main_compare(kernel_recs, sim_recs, verbose=False):
    """Prints per-packet disagreements and "N/M agree"; returns True when all agree."""
    sims = {}
    for s in sim_recs:
        sims[s.get("id")] = s
    agree = total = 0
    for k in kernel_recs:
        total += 1
        diffs = compare_one(k, sims.get(k.get("id")))
        if diffs:
            print("DISAGREE %s" % k.get("id"))
            for d in diffs:
                print("  " + d)
        else:
            agree += 1
            if verbose:
                print("agree %s: %s" % (k.get("id"), k["kernel"].get("fate")))
    print("%d/%d agree" % (agree, total))
    return agree == total and total > 0


def simulator_args(binary, capture, pkt, src=None):
    args = [binary, "trace", capture]
    if pkt.get("local_out"):
        args.append("--local-out")
    else:
        args += ["--iif", pkt["iif"]]
    src = pkt.get("src") or src
    if src:
        args += ["--src", src]
    args += ["--dst", pkt["dst"], "--proto", str(pkt.get("proto", "tcp"))]
    for k in ("sport", "dport"):
        if pkt.get(k) is not None:
            args += ["--" + k, str(pkt[k])]
    if pkt.get("proto") in ("icmp", "icmpv6"):
        args += ["--icmp-type", "echo-request"]
    return args + ["--format", "json"]


def packet_line(pkt, src=None):
    """The packet as a line of `trace --packets` (keys named like the flags of
    ``simulator_args``, so both ask the same question)."""
    d = {"id": pkt.get("id")}
    if pkt.get("local_out"):
        d["local_out"] = True
    else:
        d["iif"] = pkt["iif"]
    src = pkt.get("src") or src
    if src:
        d["src"] = src
    d["dst"] = pkt["dst"]
    d["proto"] = str(pkt.get("proto", "tcp"))
    for k in ("sport", "dport"):
        if pkt.get(k) is not None:
            d[k] = int(pkt[k])
    if pkt.get("proto") in ("icmp", "icmpv6"):
        d["icmp_type"] = "echo-request"
    return d


def supports_batch(binary):
    """True when `BINARY trace --help` offers --packets (one process for all packets)."""
    try:
        r = subprocess.run([binary, "trace", "--help"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--packets" in r.stdout


def _sources(kernel_recs):
    sent = {}
    for k in kernel_recs or []:
        sent[k.get("id")] = (k.get("kernel", {}).get("sent") or {}).get("src")
    return sent


def run_simulator(binary, capture, packets, kernel_recs=None, timeout=60, batch=None):
    """Asks ``nft-coexist trace`` about every packet; returns [{"id", "sim"|"error", "argv"}].

    With ``trace --packets`` (``batch``; default: when the binary offers it) one process
    answers all packets; otherwise one process per packet. "argv" is always the single-packet
    command line that reproduces the answer. For local_out packets the source is the one the
    kernel picked (kernel record "sent").
    """
    sent = _sources(kernel_recs)
    if batch is None:
        batch = supports_batch(binary)
    if batch:
        return _run_batch(binary, capture, packets, sent, timeout)
    out = []
    for p in packets:
        args = simulator_args(binary, capture, p, sent.get(p.get("id")))
        rec = {"id": p.get("id"), "argv": args[1:]}
        try:
            r = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
            if r.returncode != 0:
                rec["error"] = "exit %d: %s" % (r.returncode, r.stderr.strip()[:500])
            else:
                rec["sim"] = json.loads(r.stdout)
        except (OSError, ValueError, subprocess.TimeoutExpired) as e:
            rec["error"] = "%s: %s" % (type(e).__name__, e)
        out.append(rec)
    return out


def _run_batch(binary, capture, packets, sent, timeout):
    out = [{"id": p.get("id"), "argv": simulator_args(binary, capture, p, sent.get(p.get("id")))[1:]}
           for p in packets]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", prefix="nftck-sim-") as f:
        for p in packets:
            f.write(json.dumps(packet_line(p, sent.get(p.get("id")))) + "\n")
        f.flush()
        args = [binary, "trace", capture, "--packets", f.name]
        try:
            r = subprocess.run(args, capture_output=True, text=True,
                               timeout=timeout + 2 * len(packets))
        except (OSError, subprocess.TimeoutExpired) as e:
            for rec in out:
                rec["error"] = "%s: %s" % (type(e).__name__, e)
            return out
    lines = [l for l in r.stdout.splitlines() if l.strip()]
    for i, rec in enumerate(out):
        if i >= len(lines):
            rec["error"] = "trace --packets: exit %d, no answer: %s" % (r.returncode, r.stderr.strip()[:500])
            continue
        try:
            sim = json.loads(lines[i])
        except ValueError as e:
            rec["error"] = "trace --packets: bad JSON line %d: %s" % (i + 1, e)
            continue
        if sim.pop("id", None) != rec["id"]:
            rec["error"] = "trace --packets: line %d answers another packet" % (i + 1)
            continue
        rec["sim"] = sim
    return out
