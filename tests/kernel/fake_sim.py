#!/usr/bin/python3
"""A stand-in for `nft-coexist trace` used to test the simulator driver and comparator
end to end: it answers from a kernel.jsonl (env FAKE_SIM_KERNEL), looking the packet up by
its flags.  FAKE_SIM_BREAK=<id> makes it answer one packet wrongly (drops its last step).
"""

import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd")
    ap.add_argument("capture")
    ap.add_argument("--iif")
    ap.add_argument("--local-out", action="store_true")
    for k in ("src", "dst", "proto", "sport", "dport", "icmp-type", "format"):
        ap.add_argument("--" + k)
    a = ap.parse_args()
    if a.cmd != "trace" or a.format != "json":
        print("fake_sim: only 'trace --format json'", file=sys.stderr)
        return 2
    with open(os.environ["FAKE_SIM_KERNEL"]) as f:
        recs = [json.loads(l) for l in f if l.strip()]
    for r in recs:
        k = r["kernel"]
        s = k["sent"]
        first = (k["steps"][0].get("pkt") or {}) if k["steps"] else {}
        if s["dst"] != a.dst or s["src"] != a.src:
            continue
        if a.sport is not None and str(first.get("sport", a.sport)) != a.sport:
            continue
        steps = [{"hook": st["hook"], "family": st["family"], "table": st["table"],
                  "chain": st["chain"],
                  "handle": st.get("capture_handle", st.get("handle")) if st["kind"] == "rule" else None,
                  "rule": st["rule"], "verdict": st["verdict"]} for st in k["steps"]]
        if os.environ.get("FAKE_SIM_BREAK") == r["id"] and steps:
            steps.pop()
        v = "accept" if k["delivered"] else "drop"
        print(json.dumps({"schema_version": 1, "verdict": v, "outcomes": [
            {"verdict": v, "condition": "", "steps": steps, "nat": {}}]}))
        return 0
    print("fake_sim: unknown packet", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
