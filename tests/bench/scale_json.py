#!/usr/bin/env python3
"""Scale a real `nft -j list ruleset` dump without the kernel, for linearity checks.

nft 1.0.6 needs tens of minutes to load 200k rules on a small VM, so the 200k-rule rows can
be made from the 100k dump instead: the dump's tables are repeated COPIES times (table names
suffixed "-2", "-3", ...; every item keeps nft's exact shape), and --elems adds one more
interval set in nft's element forms (address, prefix, range) until the total element count
is reached. The result is marked synthetic in RESULTS.md: no kernel listed it.

  scale_json.py IN.json OUT.json --copies 2 [--elems 1000000]
"""

import argparse
import json
import random


def ip4(n):
    return "%d.%d.%d.%d" % ((n >> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--copies", type=int, default=2)
    ap.add_argument("--elems", type=int, default=0, help="total set elements wanted (0: keep)")
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    with open(a.src) as f:
        items = json.load(f)["nftables"]
    out = [items[0]] if "metainfo" in items[0] else []
    body = items[1:] if out else items
    have = 0
    for c in range(a.copies):
        for it in body:
            kind, obj = next(iter(it.items()))
            obj = dict(obj)
            if c:
                if kind == "table":
                    obj["name"] = "%s-%d" % (obj["name"], c + 1)
                elif "table" in obj:
                    obj["table"] = "%s-%d" % (obj["table"], c + 1)
            if kind in ("set", "map"):
                have += len(obj.get("elem", []))
            out.append({kind: obj})
    if a.elems > have:
        r = random.Random(a.seed)
        elems, cur = [], 0x01000000
        span = max(16, (0xDF000000 - cur) // (a.elems - have))
        for _ in range(a.elems - have):
            cur += r.randint(2, max(3, span // 2)) + 1
            x = r.random()
            if x < 0.55:
                elems.append(ip4(cur))
                cur += 1
            elif x < 0.85:
                plen = r.choice((24, 26, 28, 29, 30))
                size = 1 << (32 - plen)
                cur = (cur + size - 1) & ~(size - 1)
                elems.append({"prefix": {"addr": ip4(cur), "len": plen}})
                cur += size
            else:
                ln = r.randint(2, 40)
                elems.append({"range": [ip4(cur), ip4(cur + ln)]})
                cur += ln + 1
        out.append({"table": {"family": "ip", "name": "crowdsec-extra", "handle": 9999}})
        out.append({"set": {"family": "ip", "name": "crowdsec-blacklists", "table": "crowdsec-extra",
                            "type": "ipv4_addr", "handle": 1, "flags": ["interval"], "elem": elems}})
    with open(a.dst, "w") as f:
        json.dump({"nftables": out}, f)


if __name__ == "__main__":
    main()
