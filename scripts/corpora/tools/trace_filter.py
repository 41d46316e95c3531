#!/usr/bin/python3
"""Condense `nft monitor trace` output to the first packet of the traced flow.

Keeps the lines up to the point where a chain shows a second "packet:" line (the next
packet of the same flow; trace ids may change between hooks), drops the tracer's own table, and
shortens "packet:" lines to interfaces, addresses, ports and TCP flags.
"""
import re
import sys

KEEP = re.compile(r'(iif "[^"]*"|oif "[^"]*"|ip6? saddr \S+|ip6? daddr \S+|tcp sport \d+|tcp dport \d+|tcp flags == \S+)')
seen = set()
for line in sys.stdin:
    m = re.match(r"^trace id (\S+) (\S+ \S+ \S+) (.*)$", line.rstrip("\n"))
    if not m or "nftcc_trace" in line:
        continue
    tid, where, rest = m.groups()
    if rest.startswith("packet:"):
        if where in seen:
            break
        seen.add(where)
        rest = "packet: " + " ".join(KEEP.findall(rest))
    print("    | %s %s" % (where, rest))
