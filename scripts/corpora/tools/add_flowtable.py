#!/usr/bin/env python3
"""Add a flowtable and a `flow add` rule to a captured ruleset (JSON and text).

This kernel lacks the flowtable module, so a ruleset with a flowtable cannot be loaded
and listed back. The corpus script loads a stand-in where the `flow add @ft` rule is a
placeholder (`meta l4proto { tcp, udp } counter`) and no flowtable exists; this step then
edits nft's real output, and nothing else:

  JSON: inserts {"flowtable": {family, name, table, handle, hook, prio, dev}} right after
        the table object, and replaces the placeholder's {"counter": ...} expression by
        {"flow": {"op": "add", "flowtable": "@<name>"}} (the form nft 1.0.6 prints).
  text: inserts the flowtable block at the top of the table and replaces the placeholder
        statement "counter packets N bytes M" by "flow add @<name>".

Usage: add_flowtable.py DIR FAMILY TABLE CHAIN NAME HOOK PRIO DEV[,DEV...]
"""
import json
import re
import sys

d, fam, table, chain, name, hook, prio, devs = sys.argv[1:9]
devs = devs.split(",")
prio = int(prio)

path = d + "/ruleset.json"
doc = json.load(open(path))
items = doc["nftables"]
handles = [o[k]["handle"] for o in items for k in o if isinstance(o[k], dict) and "handle" in o[k]
           and o[k].get("table", o[k].get("name")) == table and o[k].get("family") == fam]
ft = {"flowtable": {"family": fam, "name": name, "table": table, "handle": max(handles) + 1,
                    "hook": hook, "prio": prio, "dev": devs}}
out, done_ft, done_rule = [], False, False
for o in items:
    if "rule" in o and o["rule"]["family"] == fam and o["rule"]["table"] == table \
            and o["rule"]["chain"] == chain and not done_rule:
        expr = o["rule"]["expr"]
        idx = [i for i, e in enumerate(expr) if "counter" in e]
        assert len(idx) == 1, "placeholder rule must have exactly one counter"
        expr[idx[0]] = {"flow": {"op": "add", "flowtable": "@" + name}}
        done_rule = True
    out.append(o)
    if "table" in o and o["table"]["family"] == fam and o["table"]["name"] == table:
        out.append(ft)
        done_ft = True
assert done_ft and done_rule
doc["nftables"] = out
with open(path, "w") as f:
    json.dump(doc, f, separators=(", ", ": "))
    f.write("\n")

tpath = d + "/ruleset.nft"
text = open(tpath).read()
block = "\tflowtable %s {\n\t\thook %s priority %s\n\t\tdevices = { %s }\n\t}\n\n" % (
    name, hook, "filter" if prio == 0 else str(prio), ", ".join(sorted(devs)))
text, n1 = re.subn(r"(table %s %s \{\n)" % (fam, re.escape(table)), lambda m: m.group(1) + block, text, 1)
m = re.search(r"table %s %s \{.*?\n\}" % (fam, re.escape(table)), text, re.S)
seg = m.group(0)
seg2, n2 = re.subn(r"(chain %s \{.*?)counter packets \d+ bytes \d+" % re.escape(chain),
                   lambda mm: mm.group(1) + "flow add @" + name, seg, 1, re.S)
assert n1 == 1 and n2 == 1
open(tpath, "w").write(text.replace(seg, seg2))
