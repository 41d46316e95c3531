#!/usr/bin/python3
"""A stand-in for `nft-coexist trace` used to test the simulator driver and comparator
end to end: it answers from a kernel.jsonl (env FAKE_SIM_KERNEL), looking the packet up by
its flags, or each line of --packets FILE (batch mode, as `trace --packets`).
FAKE_SIM_BREAK=<id> makes it answer one packet wrongly (drops its last step).
"""

import argparse
import json
import os
import sys


def answer(recs, src, dst, sport):
    """The trace json for the packet (src, dst, sport as a string or None), or None."""
    for r in recs:
        k = r["kernel"]
        s = k["sent"]
        first = (k["steps"][0].get("pkt") or {}) if k["steps"] else {}
        if s["dst"] != dst or s["src"] != src:
            continue
        if sport is not None and str(first.get("sport", sport)) != sport:
            continue
        steps = [{"hook": st["hook"], "family": st["family"], "table": st["table"],
                  "chain": st["chain"],
                  "handle": st.get("capture_handle", st.get("handle")) if st["kind"] == "rule" else None,
                  "rule": st["rule"], "verdict": st["verdict"]} for st in k["steps"]]
        if os.environ.get("FAKE_SIM_BREAK") == r["id"] and steps:
            steps.pop()
        v = "accept" if k["delivered"] else "drop"
        return {"schema_version": 1, "verdict": v, "outcomes": [
            {"verdict": v, "condition": "", "steps": steps, "nat": {}}]}
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd")
    ap.add_argument("capture")
    ap.add_argument("--iif")
    ap.add_argument("--local-out", action="store_true")
    ap.add_argument("--packets", help="batch mode: one packet per JSON line")
    for k in ("src", "dst", "proto", "sport", "dport", "icmp-type", "format"):
        ap.add_argument("--" + k)
    a = ap.parse_args()
    if a.cmd != "trace" or (a.format != "json" and not a.packets):
        print("fake_sim: only 'trace --format json' or 'trace --packets'", file=sys.stderr)
        return 2
    with open(os.environ["FAKE_SIM_KERNEL"]) as f:
        recs = [json.loads(l) for l in f if l.strip()]
    if a.packets:
        with open(a.packets) as f:
            for line in f:
                p = json.loads(line)
                sp = str(p["sport"]) if p.get("sport") is not None else None
                doc = answer(recs, p.get("src"), p["dst"], sp)
                if doc is None:
                    print("fake_sim: unknown packet %s" % p.get("id"), file=sys.stderr)
                    return 2
                print(json.dumps(dict({"id": p.get("id")}, **doc)))
        return 0
    doc = answer(recs, a.src, a.dst, a.sport)
    if doc is None:
        print("fake_sim: unknown packet", file=sys.stderr)
        return 2
    print(json.dumps(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
