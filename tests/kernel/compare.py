"""Comparisons: harness vs kernel-results (self-check) and kernel vs simulator."""

STEP_KEYS = ("family", "table", "chain", "handle", "verdict", "kind", "hook")
DELIV_KEYS = ("to", "src", "dst", "proto", "sport", "dport")


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
