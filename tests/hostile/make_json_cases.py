#!/usr/bin/env python3
"""Writes the hostile nft JSON inputs of tests/hostile/json/ and their expectations.

Each case is one file plus a line in json/EXPECT: `<file> error <substring>` (loading must fail
with an InputError whose message names the place and contains the substring) or
`<file> degraded <substring>` (loading succeeds and leaves a LoadNote containing it) or
`<file> ok` (loads cleanly). Run it again to regenerate; the files are committed."""
import json, os

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "json")
os.makedirs(here, exist_ok=True)
cases = []

def meta(v=1):
    return {"metainfo": {"version": "1.0.6", "release_name": "x", "json_schema_version": v}}

T = {"table": {"family": "inet", "name": "t", "handle": 1}}
C = {"chain": {"family": "inet", "table": "t", "name": "c", "handle": 2, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}}

def rule(expr, chain="c", handle=3):
    return {"rule": {"family": "inet", "table": "t", "chain": chain, "handle": handle, "expr": expr}}

def doc(*items):
    return json.dumps({"nftables": list(items)})

def add(name, text, kind, expect=""):
    mode = "wb" if isinstance(text, bytes) else "w"
    with open(os.path.join(here, name), mode) as f:
        f.write(text)
    cases.append(f"{name} {kind} {expect}".rstrip())

full = doc(meta(), T, C, rule([{"accept": None}]))
add("empty.json", "", "error", "empty file")
add("whitespace.json", "  \n\t ", "error", "empty file")
add("truncated-half.json", full[: len(full) // 2], "error", "malformed JSON at byte")
add("truncated-last-byte.json", full[:-1], "error", "malformed JSON at byte")
add("binary.json", bytes(range(256)) * 4, "error", "malformed JSON")
add("invalid-utf8.json", b'{"nftables": [{"table": {"family": "inet", "name": "\xff\xfe", "handle": 1}}]}', "error", "malformed JSON")
add("top-array.json", "[1, 2, 3]", "error", "top level is an array")
add("top-string.json", '"nftables"', "error", "top level is not an object")
add("no-nftables.json", '{"foo": []}', "error", "no \"nftables\" array")
add("nftables-object.json", '{"nftables": {}}', "error", "\"nftables\" is not an array")
add("nftables-number.json", '{"nftables": 5}', "error", "\"nftables\" is not an array")
add("schema-v2.json", doc(meta(2), T), "error", "unsupported json_schema_version 2")
add("schema-string.json", doc({"metainfo": {"json_schema_version": "1"}}), "error", "json_schema_version is not a number")
add("item-not-object.json", doc(meta(), 42), "error", "item is not an object")
add("item-two-members.json", json.dumps({"nftables": [{"table": T["table"], "chain": C["chain"]}]}), "error", "item is not an object with one member")
add("table-body-array.json", json.dumps({"nftables": [{"table": [1]}]}), "error", "\"table\" is not an object")
add("unknown-family.json", doc({"table": {"family": "ipx", "name": "t"}}), "error", "unknown family \"ipx\"")
add("family-number.json", doc({"table": {"family": 2, "name": "t"}}), "error", "missing or non-string \"family\"")
add("table-no-name.json", doc({"table": {"family": "ip"}}), "error", "missing or non-string \"name\"")
add("duplicate-table.json", doc(T, T), "error", "defined twice")
add("chain-missing-table.json", doc(C), "error", "not defined before it")
add("duplicate-chain.json", doc(T, C, C), "error", "defined twice")
add("unknown-hook.json", doc(T, {"chain": dict(C["chain"], hook="sideways")}), "error", "unknown hook \"sideways\"")
add("unknown-chain-type.json", doc(T, {"chain": dict(C["chain"], type="mangle")}), "error", "unknown type \"mangle\"")
add("base-chain-no-prio.json", doc(T, {"chain": {k: v for k, v in C["chain"].items() if k != "prio"}}), "error", "has no priority")
add("prio-huge.json", doc(T, {"chain": dict(C["chain"], prio=99999999999999)}), "error", "priority out of range")
add("prio-float.json", doc(T, {"chain": dict(C["chain"], prio=1.5)}), "error", "priority is not a number")
add("huge-integer.json", doc(T, {"chain": dict(C["chain"], prio=int("9" * 40))}), "error", "priority is not a number")
add("rule-missing-chain.json", doc(T, C, rule([{"accept": None}], chain="nope")), "error", "not defined in table")
add("rule-no-expr.json", doc(T, C, {"rule": {"family": "inet", "table": "t", "chain": "c"}}), "error", "without an \"expr\" array")
add("rule-expr-object.json", doc(T, C, {"rule": {"family": "inet", "table": "t", "chain": "c", "expr": {}}}), "error", "without an \"expr\" array")
add("deep-nesting.json", '{"nftables": [' + "[" * 100000 + "]" * 100000 + "]}", "error", "nested deeper")
add("set-missing-table.json", doc({"set": {"family": "ip", "table": "x", "name": "s", "type": "ipv4_addr"}}), "error", "not defined before it")
add("duplicate-set.json", doc(T, {"set": {"family": "inet", "table": "t", "name": "s", "type": "ipv4_addr"}},
                               {"set": {"family": "inet", "table": "t", "name": "s", "type": "ipv4_addr"}}), "error", "defined twice")
add("element-unknown-set.json", doc(T, {"element": {"family": "inet", "table": "t", "name": "nope", "elem": ["1.2.3.4"]}}), "error", "not defined in table")
# Degradations: loaded, with a note naming what the verdict may depend on.
add("unknown-statement.json", doc(meta(), T, C, rule([{"frobnicate": {"level": 3}}, {"drop": None}])), "degraded", "unknown statement 'frobnicate'")
add("unknown-expression.json", doc(meta(), T, C, rule([{"match": {"op": "==", "left": {"quantum": {"spin": "up"}}, "right": 1}}, {"drop": None}])), "degraded", "unknown expression 'quantum'")
add("unknown-meta-key.json", doc(meta(), T, C, rule([{"match": {"op": "==", "left": {"meta": {"key": "moonphase"}}, "right": 1}}, {"accept": None}])), "degraded", "meta moonphase")
add("unknown-payload-field.json", doc(meta(), T, C, rule([{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "mood"}}, "right": 1}}, {"accept": None}])), "degraded", "payload tcp mood")
add("tproxy.json", doc(meta(), T, C, rule([{"tproxy": {"port": 1234}}])), "degraded", "unknown statement 'tproxy'")
add("float-literal.json", doc(meta(), T, C, rule([{"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": 1.5}}, {"accept": None}])), "degraded", "unknown expression 'float'")
add("statement-two-members.json", doc(meta(), T, C, rule([{"accept": None, "drop": None}])), "degraded", "unknown statement 'statement'")
add("match-no-right.json", doc(meta(), T, C, rule([{"match": {"op": "==", "left": {"meta": {"key": "mark"}}}}])), "degraded", "unknown statement 'match'")
add("unknown-item-kind.json", doc(meta(), T, {"quantum-object": {"family": "inet", "table": "t"}}), "ok")
add("unknown-root-member.json", json.dumps({"extra": {"a": [1, 2, {"b": 3}]}, "nftables": [meta(), T]}), "ok")
add("jump-missing-chain.json", doc(meta(), T, C, rule([{"jump": {"target": "nowhere"}}])), "ok")
add("setref-missing.json", doc(meta(), T, C, rule([{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@nope"}}, {"drop": None}])), "ok")
add("jump-cycle.json", doc(meta(), T, C, {"chain": {"family": "inet", "table": "t", "name": "a", "handle": 4}},
                           {"chain": {"family": "inet", "table": "t", "name": "b", "handle": 5}},
                           rule([{"jump": {"target": "a"}}]), rule([{"jump": {"target": "b"}}], chain="a", handle=6),
                           rule([{"jump": {"target": "a"}}], chain="b", handle=7)), "ok")
add("duplicate-handles.json", doc(meta(), T, C, rule([{"accept": None}], handle=9), rule([{"drop": None}], handle=9)), "ok")

# Session 2 (issue 8): more numbers, names, references and shapes.
S = {"set": {"family": "inet", "table": "t", "name": "s", "type": "ipv4_addr", "handle": 8}}
def match(left, right):
    return {"match": {"op": "==", "left": left, "right": right}}
SADDR = {"payload": {"protocol": "ip", "field": "saddr"}}
MARK = {"meta": {"key": "mark"}}
add("schema-huge.json", doc({"metainfo": {"json_schema_version": int("9" * 30)}}, T), "error", "json_schema_version")
add("schema-negative.json", doc(meta(-1), T), "error", "unsupported json_schema_version -1")
add("match-huge-int.json", doc(meta(), T, C, rule([match(MARK, 2 ** 100), {"drop": None}])), "degraded", "")
add("match-int-beyond-u32.json", doc(meta(), T, C, rule([match(MARK, 2 ** 40), {"drop": None}])), "degraded", "")
add("handle-negative.json", doc(meta(), T, C, rule([{"accept": None}], handle=-5)), "error", "handle")
add("handle-huge.json", doc(meta(), T, C, rule([{"accept": None}], handle=2 ** 70)), "error", "handle")
add("counter-huge.json", doc(meta(), T, C, rule([{"counter": {"packets": 2 ** 64, "bytes": 2 ** 80}}, {"accept": None}])), "ok")
add("name-nul.json", doc(meta(), {"table": {"family": "inet", "name": "a\u0000b", "handle": 1}}), "ok")
add("name-long.json", doc(meta(), T, {"chain": dict(C["chain"], name="c" * 100000)}), "ok")
add("jump-self.json", doc(meta(), T, C, rule([{"jump": {"target": "c"}}])), "ok")
add("goto-cycle.json", doc(meta(), T, C, {"chain": {"family": "inet", "table": "t", "name": "a", "handle": 4}},
                           rule([{"goto": {"target": "a"}}]), rule([{"goto": {"target": "a"}}], chain="a", handle=6)), "ok")
add("vmap-missing-chain.json", doc(meta(), T, C, rule([{"vmap": {"key": MARK, "data": {"set": [[1, {"jump": {"target": "nowhere"}}]]}}}])), "ok")
add("set-elem-bad-addr.json", doc(meta(), T, dict(S, set=dict(S["set"], elem=["300.1.2.3", "not-an-ip"]))), "ok")
add("set-elem-object.json", doc(meta(), T, dict(S, set=dict(S["set"], elem=[{"quantum": 1}]))), "ok")
add("set-unknown-type.json", doc(meta(), T, {"set": {"family": "inet", "table": "t", "name": "q", "type": "quantum_addr"}}), "ok")
add("expr-null.json", doc(meta(), T, C, rule([None, {"accept": None}])), "degraded", "")
add("expr-nested-binop.json", doc(meta(), T, C, rule([match(json.loads('{"&": [' * 300 + '{"meta": {"key": "mark"}}' + ', 1]}' * 300), 0), {"drop": None}])), "error", "nested deeper")
add("rule-family-mismatch.json", doc(meta(), T, C, {"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [{"accept": None}]}}), "error", "not defined")
add("prio-int32-min.json", doc(meta(), T, {"chain": dict(C["chain"], prio=-2 ** 31)}), "ok")
add("flowtable-unknown-hook.json", doc(meta(), T, {"flowtable": {"family": "inet", "table": "t", "name": "f", "hook": "sideways", "prio": 0, "dev": ["eth0"]}}), "ok")
add("policy-unknown.json", doc(meta(), T, {"chain": dict(C["chain"], policy="maybe")}), "error", "policy")

with open(os.path.join(here, "EXPECT"), "w") as f:
    f.write("\n".join(cases) + "\n")
print(len(cases), "cases")
