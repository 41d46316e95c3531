#!/usr/bin/python3
"""Kernel-differential harness for nft-coexist (see README.md).

  run.py kernel CAPTURE --packets P.jsonl --out K.jsonl     run packets through the kernel
  run.py gen CAPTURE --seed N --count K [--out P.jsonl]     seeded packet generator
  run.py selfcheck [--results DIR] [--captures DIR]         harness vs kernel-results
  run.py simulate CAPTURE --binary B --packets P --out S    ask `nft-coexist trace`
  run.py compare K.jsonl S.jsonl                             step-by-step comparison
  run.py diff CAPTURE --binary B --packets P [--workdir D]   kernel + simulate + compare
  run.py record K.jsonl --packets P --out R.jsonl            compact kernel record for the repo
"""

import argparse
import json
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compare  # noqa: E402
import gen_packets  # noqa: E402
from topology import leftover_namespaces, log  # noqa: E402

DEFAULT_SHARED = "/work/shared"


def read_jsonl(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except ValueError as e:
                raise SystemExit("%s:%d: bad JSON: %s" % (path, n, e))
    return out


def write_jsonl(path, objs):
    with open(path, "w") as f:
        for o in objs:
            f.write(json.dumps(o) + "\n")


def _raise_interrupt(signum, frame):
    log("got signal %d" % signum)
    raise KeyboardInterrupt("signal %d" % signum)


def run_kernel(capture, packets, verbose=False):
    """Runs ``packets`` through the kernel for ``capture``; returns the records."""
    if os.geteuid() != 0:
        raise SystemExit("run.py kernel: needs root (network namespaces)")
    from harness import Harness
    old = {s: signal.signal(s, _raise_interrupt) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    h = Harness(capture)
    out = []
    try:
        h.setup()
        for n in h.notes:
            log("%s: %s" % (os.path.basename(capture.rstrip("/")), n))
        h.prepare(packets)
        for p in packets:
            rec = h.run_packet(p)
            out.append(rec)
            if verbose:
                log("%s: %s" % (p.get("id"), rec["kernel"].get("fate") or rec["kernel"].get("error")))
    finally:
        h.teardown()
        for s, f in old.items():
            signal.signal(s, f)
        left = [n for n in leftover_namespaces() if n.startswith("nftck-" + h.topo.id)]
        if left:
            log("WARNING: namespaces left behind: %s" % " ".join(left))
    return out


def cmd_kernel(a):
    recs = run_kernel(a.capture, read_jsonl(a.packets), a.verbose)
    write_jsonl(a.out, recs)
    log("wrote %d records to %s" % (len(recs), a.out))
    return 0


def cmd_gen(a):
    pk = gen_packets.generate(a.capture, a.seed, a.count)
    if a.out:
        write_jsonl(a.out, pk)
    else:
        for p in pk:
            print(json.dumps(p))
    return 0


def cmd_selfcheck(a):
    results = a.results or os.path.join(DEFAULT_SHARED, "kernel-results")
    captures = a.captures or os.path.join(DEFAULT_SHARED, "captures")
    if not os.path.isdir(results) or not os.path.isdir(captures):
        log("selfcheck: %s or %s missing" % (results, captures))
        return 77
    bad = total = 0
    names = sorted(f[:-len(".packets.jsonl")] for f in os.listdir(results)
                   if f.endswith(".packets.jsonl"))
    if a.only:
        names = [n for n in names if n in a.only]
    for sc in names:
        packets = read_jsonl(os.path.join(results, sc + ".packets.jsonl"))
        ref = {r["id"]: r for r in read_jsonl(os.path.join(results, sc + ".kernel.jsonl"))}
        got = run_kernel(os.path.join(captures, sc), packets, a.verbose)
        if a.keep:
            write_jsonl(os.path.join(a.keep, sc + ".kernel.jsonl"), got)
        for rec in got:
            total += 1
            diffs = compare.diff_kernel_records(ref.get(rec["id"]), rec)
            if diffs:
                bad += 1
                print("DIFF %s %s" % (sc, rec["id"]))
                for d in diffs:
                    print("  " + d)
    print("selfcheck: %d/%d packets agree with kernel-results" % (total - bad, total))
    return 1 if bad or total == 0 else 0


def cmd_simulate(a):
    pk = read_jsonl(a.packets)
    kern = read_jsonl(a.kernel) if a.kernel else None
    res = compare.run_simulator(a.binary, a.capture, pk, kern)
    write_jsonl(a.out, res)
    return 0


def cmd_compare(a):
    ok = compare.main_compare(read_jsonl(a.kernel), read_jsonl(a.sim), a.verbose)
    return 0 if ok else 1


def cmd_diff(a):
    wd = a.workdir or "."
    os.makedirs(wd, exist_ok=True)
    name = os.path.basename(a.capture.rstrip("/"))
    pk = read_jsonl(a.packets)
    kern = run_kernel(a.capture, pk, a.verbose)
    write_jsonl(os.path.join(wd, name + ".kernel.jsonl"), kern)
    sim = compare.run_simulator(a.binary, a.capture, pk, kern)
    write_jsonl(os.path.join(wd, name + ".sim.jsonl"), sim)
    return 0 if compare.main_compare(kern, sim, a.verbose) else 1


def record_lines(kernel_recs, packets, meta):
    """The compact, reviewable form of a kernel run that the project keeps next to a corpus
    (corpora/<name>/kernel-record.jsonl; tests/unit/sim_kernel_record_test.cc replays it):
    a first line {"meta": ...}, then per packet its flags (local_out with the source the
    kernel chose), the nft steps (capture handles), the delivery and the fate."""
    pk = {p.get("id"): p for p in packets}
    out = [{"meta": meta}]
    for r in kernel_recs:
        k = r["kernel"]
        if "error" in k:
            raise SystemExit("record: %s: harness error: %s" % (r.get("id"), k["error"]))
        p = compare.packet_line(pk[r["id"]], (k.get("sent") or {}).get("src"))
        steps = []
        for st in k["steps"]:
            steps.append({"hook": st.get("hook"), "family": st["family"], "table": st["table"],
                          "chain": st["chain"],
                          "handle": st.get("capture_handle") if st.get("kind") == "rule" else None,
                          "verdict": st["verdict"], "kind": st.get("kind"), "rule": st.get("rule")})
        legacy = [{"family": m.get("family"), "table": m.get("table"), "chain": m.get("chain"), "rule": m.get("rule")}
                  for m in k.get("legacy_matches") or []]
        rec = {"id": r["id"], "packet": {x: v for x, v in p.items() if x != "id"},
               "steps": steps, "delivered": k.get("delivered"), "fate": k.get("fate")}
        if legacy:
            rec["legacy_matches"] = legacy
        out.append(rec)
    return out


def cmd_record(a):
    import platform
    import subprocess
    nft = subprocess.run(["nft", "--version"], capture_output=True, text=True).stdout.strip()
    meta = {"kernel": platform.release(), "nft": nft, "made_by": a.how or
            "tests/kernel/run.py kernel CAPTURE --packets P; run.py record",
            "compare": "tests/kernel/README.md (steps on hook, family, table, chain, handle, verdict; "
                       "reject prints as drop; fate; delivered addresses and ports)"}
    write_jsonl(a.out, record_lines(read_jsonl(a.kernel), read_jsonl(a.packets), meta))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-v", "--verbose", action="store_true")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("kernel")
    p.add_argument("capture"); p.add_argument("--packets", required=True)
    p.add_argument("--out", required=True); p.set_defaults(fn=cmd_kernel)
    p = sub.add_parser("gen")
    p.add_argument("capture"); p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=40); p.add_argument("--out")
    p.set_defaults(fn=cmd_gen)
    p = sub.add_parser("selfcheck")
    p.add_argument("--results"); p.add_argument("--captures"); p.add_argument("--keep")
    p.add_argument("--only", nargs="*"); p.set_defaults(fn=cmd_selfcheck)
    p = sub.add_parser("simulate")
    p.add_argument("capture"); p.add_argument("--binary", required=True)
    p.add_argument("--packets", required=True); p.add_argument("--out", required=True)
    p.add_argument("--kernel", help="kernel.jsonl: sources of local_out packets")
    p.set_defaults(fn=cmd_simulate)
    p = sub.add_parser("compare")
    p.add_argument("kernel"); p.add_argument("sim"); p.set_defaults(fn=cmd_compare)
    p = sub.add_parser("diff")
    p.add_argument("capture"); p.add_argument("--binary", required=True)
    p.add_argument("--packets", required=True); p.add_argument("--workdir")
    p.set_defaults(fn=cmd_diff)
    p = sub.add_parser("record")
    p.add_argument("kernel"); p.add_argument("--packets", required=True)
    p.add_argument("--out", required=True); p.add_argument("--how", help="how the run was made")
    p.set_defaults(fn=cmd_record)
    a = ap.parse_args(argv)
    try:
        return a.fn(a)
    except KeyboardInterrupt:
        log("interrupted; topology removed")
        return 130


if __name__ == "__main__":
    sys.exit(main())
