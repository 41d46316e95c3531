#!/usr/bin/env python3
"""Rewrite a real firewalld 1.x `inet firewalld` listing into the 2.x layout.

Debian 12 ships firewalld 1.3.3; Fedora 43 ships firewalld 2.x. The zone and
policy chains (filter_IN_<zone>, ..._allow, filter_FWD_policy_<name>, ...) are the
same in both; what changed in 2.x is the dispatch layer (generators.md section 2,
firewalld testsuite goldens in reference-rulesets/firewalld/testsuite-expected__*):

  1.x: <t>_<HOOK>_ZONES (goto zone by iifname/oifname) and
       <t>_<HOOK>_POLICIES_pre/_post, jumped to from every zone chain;
  2.x: <t>_<HOOK>_dispatch -> <t>_<ZN>_<zone>_dispatch_stage2 (by oifname)
       -> <t>_<ZN>_<ingress>_to_<egress> (jump policy chains, jump zone chain,
       then the zone's final reject/drop), and <t>_<ZN>_<zone>_to_HOST /
       <t>_OUT_HOST_to_<zone> for traffic to / from the host.

The rewrite keeps every zone and policy chain and all of their rules, removes
the POLICIES_pre/_post jumps from zone chains, moves a zone chain's final
reject/drop into its _to_ chains, adds the (empty) filter_OUT_<zone> and
nat_OUT_<zone> chains that 2.x creates for host output, and builds the dispatch
chains from the interface bindings of the 1.x *_ZONES chains.

Usage: firewalld1to2.py IN.nft > OUT.nft   (IN = `nft list table inet firewalld`
or a whole `nft list ruleset`; only the inet firewalld table is read).
"""
import re
import sys

SUB = ["pre", "log", "deny", "allow", "post"]


def parse(text):
    """Returns (items, chains): items = ordered list of (kind, name, lines)."""
    m = re.search(r"^table inet firewalld \{\n(.*?)^\}", text, re.S | re.M)
    if not m:
        sys.exit("no table inet firewalld in input")
    body = m.group(1).splitlines()
    items, i = [], 0
    while i < len(body):
        line = body[i]
        hm = re.match(r"^\t(chain|set|map|ct helper|flowtable) (\S+) \{$", line)
        if not hm:
            i += 1
            continue
        j = i + 1
        inner = []
        while body[j] != "\t}":
            inner.append(body[j].strip())
            j += 1
        items.append((hm.group(1), hm.group(2), [l for l in inner if l]))
        i = j + 1
    chains = {n: l for k, n, l in items if k == "chain"}
    return items, chains


def bindings(chains, zname, pfx):
    """[(iface, zone)], default zone from a 1.x *_ZONES chain."""
    out, default = [], None
    for r in chains.get(zname, []):
        m = re.match(r'^(?:iifname|oifname) "([^"]+)" goto ' + pfx + r"_(\S+)$", r)
        if m:
            out.append((m.group(1), m.group(2)))
            continue
        m = re.match(r"^goto " + pfx + r"_(\S+)$", r)
        if m:
            default = m.group(1)
    return out, default


def main():
    text = open(sys.argv[1]).read()
    items, chains = parse(text)
    binds, default = bindings(chains, "filter_INPUT_ZONES", "filter_IN")
    iface_zone = dict(binds)
    zones = []
    for _, z in binds + [(None, default)]:
        if z not in zones:
            zones.append(z)

    # Policies: (ingress, egress) from the filter hooks' POLICIES chains.
    pol = {}
    for hook, base, ing_default, eg_default in (
        ("INPUT", "filter_IN_policy_", "ANY", "HOST"),
        ("FORWARD", "filter_FWD_policy_", "ANY", "ANY"),
        ("OUTPUT", "filter_OUT_policy_", "HOST", "ANY"),
    ):
        for part in ("pre", "post"):
            for r in chains.get("filter_%s_POLICIES_%s" % (hook, part), []):
                # `oifname "x" jump ...` or, for a zone with several interfaces,
                # `oifname { "x", "y" } jump ...` (all of one zone).
                m = re.match(r'^(?:(iifname|oifname) ("[^"]+"|\{ [^}]+ \}) )?jump ' + base + r"(\S+)$", r)
                if not m:
                    continue
                ing, eg = ing_default, eg_default
                if m.group(1):
                    zs = {iface_zone[i] for i in re.findall(r'"([^"]+)"', m.group(2))}
                    assert len(zs) == 1, r
                    if m.group(1) == "iifname":
                        ing = zs.pop()
                    else:
                        eg = zs.pop()
                pol[m.group(3)] = (ing, eg)

    def pols(prefix, ing, eg):
        res = []
        for p, (pi, pe) in pol.items():
            if (pi == ing or pi == "ANY") and (pe == eg or (pe == "ANY" and eg != "HOST")):
                if prefix + "_policy_" + p in chains:
                    res.append(prefix + "_policy_" + p)
        return res

    out_chains = {}  # name -> rules (base chains keep their header line)
    order = []

    def add(name, rules):
        out_chains[name] = rules
        order.append(name)

    # Terminal verdict of each zone chain moves to the _to_ chains.
    terminal = {}
    for z in zones:
        for pfx in ("filter_IN", "filter_FWD"):
            rules = chains.get("%s_%s" % (pfx, z), [])
            if rules and re.match(r"^(reject|drop)\b", rules[-1]):
                terminal[(pfx, z)] = rules[-1]

    # Base chains.
    for k, n, rules in items:
        if k != "chain" or not rules or not rules[0].startswith("type "):
            continue
        new = []
        for r in rules:
            m = re.match(r"^jump (\S+)_ZONES$", r)
            if m:
                new.append("jump %s_dispatch" % m.group(1))
            elif re.match(r"^jump \S+_POLICIES_pre$", r):
                new.append("jump %s_dispatch" % n)
            elif re.match(r"^jump \S+_POLICIES_post$", r):
                continue
            else:
                new.append(r)
        add(n, new)

    def hostbound(pfx, base, nat):
        """Dispatch for prerouting-style hooks: stage2 by oifname plus _to_HOST."""
        d = []
        for iface, z in binds:
            d.append('iifname "%s" jump %s_%s_dispatch_stage2' % (iface, pfx, z))
            d.append('iifname "%s" jump %s_%s_to_HOST' % (iface, pfx, z))
        d.append("jump %s_%s_dispatch_stage2" % (pfx, default))
        d.append("jump %s_%s_to_HOST" % (pfx, default))
        add(base + "_dispatch", d)
        for z in zones:
            s2 = ['oifname "%s" jump %s_%s_to_%s' % (i, pfx, z, z2) for i, z2 in binds]
            s2.append("jump %s_%s_to_%s" % (pfx, z, default))
            add("%s_%s_dispatch_stage2" % (pfx, z), s2)
            for z2 in zones:
                add("%s_%s_to_%s" % (pfx, z, z2),
                    ["jump " + c for c in pols(pfx, z, z2)] + ["jump %s_%s" % (pfx, z), "return"])
            add("%s_%s_to_HOST" % (pfx, z),
                ["jump " + c for c in pols(pfx, z, "HOST")] + ["jump %s_%s" % (pfx, z), "return"])

    hostbound("mangle_PRE", "mangle_PREROUTING", False)
    hostbound("nat_PRE", "nat_PREROUTING", True)

    # nat POSTROUTING: ingress stage, egress stage, egress zone's chain.
    d = ['iifname "%s" jump nat_POST_%s_dispatch_stage2' % (i, z) for i, z in binds]
    d.append("jump nat_POST_%s_dispatch_stage2" % default)
    add("nat_POSTROUTING_dispatch", d)
    for z in zones:
        s2 = ['oifname "%s" jump nat_POST_%s_to_%s' % (i, z, z2) for i, z2 in binds]
        s2.append("jump nat_POST_%s_to_%s" % (z, default))
        add("nat_POST_%s_dispatch_stage2" % z, s2)
        for z2 in zones:
            add("nat_POST_%s_to_%s" % (z, z2),
                ["jump " + c for c in pols("nat_POST", z, z2)] + ["jump nat_POST_%s" % z2, "return"])

    # Output hooks: HOST -> zone.
    for pfx, base in (("nat_OUT", "nat_OUTPUT"), ("filter_OUT", "filter_OUTPUT")):
        d = ['oifname "%s" jump %s_HOST_to_%s' % (i, pfx, z) for i, z in binds]
        d.append("jump %s_HOST_to_%s" % (pfx, default))
        add(base + "_dispatch", d)
        for z in zones:
            add("%s_HOST_to_%s" % (pfx, z),
                ["jump " + c for c in pols(pfx, "HOST", z)] + ["jump %s_%s" % (pfx, z), "return"])

    # filter INPUT and FORWARD.
    d = ['iifname "%s" jump filter_IN_%s_to_HOST' % (i, z) for i, z in binds]
    d.append("jump filter_IN_%s_to_HOST" % default)
    add("filter_INPUT_dispatch", d)
    for z in zones:
        r = ["jump " + c for c in pols("filter_IN", z, "HOST")] + ["jump filter_IN_%s" % z]
        if ("filter_IN", z) in terminal:
            r.append(terminal[("filter_IN", z)])
        add("filter_IN_%s_to_HOST" % z, r)
    d = ['iifname "%s" jump filter_FWD_%s_dispatch_stage2' % (i, z) for i, z in binds]
    d.append("jump filter_FWD_%s_dispatch_stage2" % default)
    add("filter_FORWARD_dispatch", d)
    for z in zones:
        s2 = ['oifname "%s" jump filter_FWD_%s_to_%s' % (i, z, z2) for i, z2 in binds]
        s2.append("jump filter_FWD_%s_to_%s" % (z, default))
        add("filter_FWD_%s_dispatch_stage2" % z, s2)
        for z2 in zones:
            r = ["jump " + c for c in pols("filter_FWD", z, z2)] + ["jump filter_FWD_%s" % z]
            if ("filter_FWD", z) in terminal:
                r.append(terminal[("filter_FWD", z)])
            add("filter_FWD_%s_to_%s" % (z, z2), r)

    # Zone chains (without POLICIES jumps and without the moved terminal verdict),
    # their sub-chains, policy chains; plus 2.x's output zone chains.
    for k, n, rules in items:
        if k != "chain" or n in out_chains or re.search(r"_(ZONES|POLICIES_pre|POLICIES_post)$", n):
            continue
        new = [r for r in rules if not re.match(r"^jump \S+_POLICIES_(pre|post)$", r)]
        m = re.match(r"^(filter_IN|filter_FWD)_([^_]+)$", n)
        if m and (m.group(1), m.group(2)) in terminal and new and new[-1] == terminal[(m.group(1), m.group(2))]:
            new = new[:-1]
        add(n, new)
    for z in zones:
        for pfx in ("filter_OUT", "nat_OUT"):
            name = "%s_%s" % (pfx, z)
            if name not in out_chains:
                add(name, ["jump %s_%s" % (name, s) for s in SUB])
                for s in SUB:
                    add("%s_%s" % (name, s), [])

    # Emit.
    print("table inet firewalld {")
    first = True
    for k, n, rules in items:
        if k == "chain":
            continue
        if not first:
            print()
        first = False
        print("\t%s %s {" % (k, n))
        for r in rules:
            print("\t\t" + r)
        print("\t}")
    for n in order:
        if not first:
            print()
        first = False
        print("\tchain %s {" % n)
        for r in out_chains[n]:
            print("\t\t" + r)
        print("\t}")
    print("}")


if __name__ == "__main__":
    main()
