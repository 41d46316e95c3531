#!/usr/bin/env python3
"""Writes the hostile inputs for the other loaders and their expectations in EXPECT:
capture folders (capture/), iptables-save texts inside capture folders (iptables/), lint
config files (config/) and nft text (nft/). The nft JSON cases are made by
make_json_cases.py (json/, json/EXPECT); the CLI test runs those too.

EXPECT: one case per line, `<path> <expect> [substring]`, path relative to tests/hostile:
  error        `nft-coexist lint` exits 2, stderr names the place (the case's file or folder
               name) and contains the substring;
  degraded     exits 1 with a finding NC1001..NC1004 (a documented degraded analysis);
  finding:ID   exits 1 with finding ID (the input is understood and wrong);
  ok           exits 0 or 1: a normal analysis.
Config cases run as `lint --config <case> corpora/minimal/NC1002-neg.json`. Every case
runs under a CPU-time and memory limit: a crash, a hang or unbounded memory fails the test.
Run it again to regenerate; the files are committed."""
import json, os, shutil

here = os.path.dirname(os.path.abspath(__file__))
cases = []

def meta():
    return {"metainfo": {"version": "1.0.6", "release_name": "x", "json_schema_version": 1}}

def doc(*items):
    return json.dumps({"nftables": [meta(), *items]}, indent=1)

EMPTY = doc()
# iptables-nft's filter table as nft lists it: the merge target of iptables-nft-save.
IPT_FILTER = doc(
    {"table": {"family": "ip", "name": "filter", "handle": 1}},
    {"chain": {"family": "ip", "table": "filter", "name": "INPUT", "handle": 1, "type": "filter",
               "hook": "input", "prio": 0, "policy": "accept"}},
    {"rule": {"family": "ip", "table": "filter", "chain": "INPUT", "handle": 2,
              "expr": [{"xt": {"type": "match", "name": "conntrack"}}, {"counter": {"packets": 0, "bytes": 0}},
                       {"accept": None}]}})

def folder(sub, name, files, expect, substring=""):
    d = os.path.join(here, sub, name)
    os.makedirs(d)
    for rel, data in files.items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if isinstance(data, str):
            data = data.encode()
        if data is None:  # a folder where a file should be (with a file: git keeps no empty folders)
            os.makedirs(p)
            open(os.path.join(p, ".keep"), "w").close()
            continue
        with open(p, "wb") as f:
            f.write(data)
    cases.append(f"{sub}/{name} {expect} {substring}".rstrip())

def file(sub, name, data, expect, substring=""):
    os.makedirs(os.path.join(here, sub), exist_ok=True)
    with open(os.path.join(here, sub, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    cases.append(f"{sub}/{name} {expect} {substring}".rstrip())

for sub in ("capture", "iptables", "config", "nft"):
    shutil.rmtree(os.path.join(here, sub), ignore_errors=True)

# --- capture folders ----------------------------------------------------------------
BIN = bytes(range(256)) * 8
folder("capture", "no-ruleset", {"sysctl.txt": "net.ipv4.ip_forward=1\n"}, "error", "ruleset.json")
folder("capture", "empty-folder", {".keep": ""}, "error", "ruleset.json")
folder("capture", "empty-ruleset", {"ruleset.json": ""}, "error", "empty file")
folder("capture", "binary-ruleset", {"ruleset.json": BIN}, "error", "malformed JSON")
folder("capture", "ruleset-is-folder", {"ruleset.json": None}, "error", "ruleset.json")
folder("capture", "binary-sysctl", {"ruleset.json": EMPTY, "sysctl.txt": BIN}, "ok")
folder("capture", "binary-routes", {"ruleset.json": EMPTY, "routes.txt": BIN}, "ok")
folder("capture", "binary-interfaces-txt", {"ruleset.json": EMPTY, "interfaces.txt": BIN}, "ok")
folder("capture", "empty-host-files", {"ruleset.json": EMPTY, "sysctl.txt": "", "routes.txt": "",
                                       "interfaces.txt": "", "ip_tables_names.txt": ""}, "ok")
folder("capture", "malformed-interfaces-json", {"ruleset.json": EMPTY, "interfaces.json": "[{\"ifname\": "}, "error", "interfaces.json")
folder("capture", "interfaces-json-wrong-type", {"ruleset.json": EMPTY, "interfaces.json": "{\"ifname\": 5}"}, "error", "interfaces.json")
folder("capture", "legacy-names-without-save", {"ruleset.json": EMPTY, "ip_tables_names.txt": "filter\nnat\n"}, "degraded")
folder("capture", "binary-table-names", {"ruleset.json": EMPTY, "ip_tables_names.txt": BIN}, "ok")
folder("capture", "binary-legacy-save", {"ruleset.json": EMPTY, "ip_tables_names.txt": "filter\n",
                                         "iptables-legacy-save.txt": BIN}, "error", "iptables-legacy-save.txt")
folder("capture", "binary-config-copy", {"ruleset.json": EMPTY, "etc/docker/daemon.json": BIN}, "ok")
folder("capture", "malformed-daemon-json", {"ruleset.json": EMPTY, "etc/docker/daemon.json": "{\"firewall-backend\": "}, "ok")
folder("capture", "truncated-ruleset", {"ruleset.json": IPT_FILTER[: len(IPT_FILTER) // 3]}, "error", "malformed JSON")

# --- iptables-save (in capture folders: the only way the CLI reads them) ---------------
def legacy(name, save, expect, substring="", fam="ip"):
    folder("iptables", name, {"ruleset.json": EMPTY, f"{fam}_tables_names.txt": "filter\n",
                              f"{'ip6' if fam == 'ip6' else 'ip'}tables-legacy-save.txt": save}, expect, substring)

def nftsave(name, save, expect, substring=""):
    folder("iptables", name, {"ruleset.json": IPT_FILTER, "iptables-nft-save.txt": save}, expect, substring)

HEAD = "# Generated by iptables-save v1.8.9 on Sun Nov 29 03:42:34 2026\n"
F = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
legacy("unknown-match", HEAD + F + "-A INPUT -m frobnicate --level 3 -j DROP\nCOMMIT\n", "degraded")
legacy("unknown-target", HEAD + F + "-A INPUT -j FROBNICATE --hard\nCOMMIT\n", "degraded")
legacy("match-without-options", HEAD + F + "-A INPUT -m conntrack -j DROP\nCOMMIT\n", "ok")
legacy("truncated-line", HEAD + F + "-A INPUT -p tcp -m tcp --dpo", "error", "no COMMIT")
legacy("truncated-quote", HEAD + F + "-A INPUT -m comment --comment \"cut here\nCOMMIT\n", "error", "unterminated quote")
legacy("commit-missing", HEAD + F + "-A INPUT -j ACCEPT\n", "error", "no COMMIT")
legacy("unknown-table", HEAD + "*weird\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\nCOMMIT\n", "degraded")
legacy("huge-counters", HEAD + "*filter\n:INPUT ACCEPT [99999999999999999999999999:1]\nCOMMIT\n", "error", "counter")
legacy("counters-max-u64", HEAD + "*filter\n:INPUT ACCEPT [18446744073709551615:18446744073709551615]\n"
       "[18446744073709551615:18446744073709551615] -A INPUT -j ACCEPT\nCOMMIT\n", "ok")
legacy("counters-above-u64", HEAD + "*filter\n:INPUT ACCEPT [18446744073709551616:0]\nCOMMIT\n", "error", "counter")
legacy("negative-counters", HEAD + "*filter\n:INPUT ACCEPT [-1:-1]\nCOMMIT\n", "error", "counter")
legacy("huge-port", HEAD + F + "-A INPUT -p tcp -m tcp --dport 99999999999999999999 -j DROP\nCOMMIT\n", "degraded")
legacy("bad-address", HEAD + F + "-A INPUT -s 300.1.2.3/99 -j DROP\nCOMMIT\n", "degraded")
legacy("undeclared-chain", HEAD + F + "-A NOPE -j ACCEPT\nCOMMIT\n", "error", "not declared")
legacy("jump-missing-chain", HEAD + F + "-A INPUT -j MISSING\nCOMMIT\n", "degraded")
legacy("jump-cycle", HEAD + F + ":A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j A\nCOMMIT\n", "ok")
legacy("unknown-policy", HEAD + "*filter\n:INPUT MAYBE [0:0]\nCOMMIT\n", "error", "unknown chain policy")
legacy("binary-in-rule", HEAD + F + "-A INPUT -j \x00\x01\x02ACCEPT\nCOMMIT\n", "error", "binary")
legacy("nul-only", "\x00" * 4096, "error", "binary")
legacy("empty", "", "degraded")
legacy("long-line", HEAD + F + "-A INPUT -m comment --comment \"" + "x" * 200000 + "\" -j ACCEPT\nCOMMIT\n", "ok")
legacy("many-rules", HEAD + F + "".join(f"-A INPUT -s 10.{i // 256 % 256}.{i % 256}.0/24 -j DROP\n" for i in range(3000)) + "COMMIT\n", "ok")
legacy("v6-unknown-match", HEAD + F + "-A INPUT -m rt --rt-type 0 -m frob -j DROP\nCOMMIT\n", "degraded", fam="ip6")
nftsave("nft-xt-unmatched", "# Generated by iptables-nft-save v1.8.9 (nf_tables)\n*filter\n:INPUT ACCEPT [0:0]\n"
        "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n", "degraded")
nftsave("nft-save-missing", "", "degraded")
nftsave("nft-save-other-table", "# Generated by iptables-nft-save v1.8.9 (nf_tables)\n*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n", "degraded")

# --- lint config files -------------------------------------------------------------
file("config", "unknown-key.rc", "disable=NC2001\nfrobnicate=1\n", "error", "unknown key 'frobnicate'")
file("config", "unknown-rule.rc", "disable=NC9999\n", "error", "unknown rule 'NC9999'")
file("config", "bad-severity.rc", "severity=NC2001:loud\n", "error", "severity must be")
file("config", "bad-fail-on.rc", "fail-on=sometimes\n", "error", "fail-on must be")
file("config", "unterminated-quote.rc", "disable=NC2001 comment=\"open\n", "error", "unterminated quote")
file("config", "unknown-selector.rc", "disable=NC2001 colour=red\n", "error", "unknown selector 'colour'")
file("config", "no-equals.rc", "disable\n", "error", "expected key=value")
file("config", "empty-value.rc", "disable=\n", "error", "empty value")
file("config", "binary.rc", bytes(range(256)), "error", "binary.rc")
file("config", "nul-in-line.rc", b"disable=NC2001\x00NC2002\n", "error", "nul-in-line.rc")
file("config", "invalid-utf8.rc", b"disable=NC2001 owner=\xff\xfe\n", "ok")
file("config", "long-line.rc", "disable=" + ",".join(["NC2001"] * 50000) + "\n", "ok")
file("config", "empty.rc", "", "ok")
file("config", "only-comments.rc", "# nothing\n\n   # still nothing\n", "ok")
file("config", "severity-no-level.rc", "severity=NC2001\n", "error", "severity expects")
file("config", "inline-bad.rc", "inline=perhaps\n", "error", "expected on or off")
file("config", "fail-on-with-selector.rc", "fail-on=error owner=docker\n", "error", "takes no selectors")
cases.append("config/no-such-file.rc error not found")

# --- nft text (loaded in a throwaway namespace; skipped where none can be made) --------
file("nft", "syntax-error.nft", "table inet t {\n  chain c {\n    frobnicate everything\n  }\n}\n", "error", "syntax-error.nft")
file("nft", "truncated.nft", "table inet t {\n  chain c {\n    type filter hook input priority 0; policy drop;\n    tcp dport 22 acc", "error", "truncated.nft")
file("nft", "binary.nft", b"table \x00\xff\xfe" + BIN, "error", "binary.nft")
file("nft", "empty.nft", "", "ok")
file("nft", "include-missing.nft", "include \"/nonexistent/nftc-hostile.nft\"\n", "error", "include-missing.nft")
file("nft", "include-dev-zero.nft", "include \"/dev/zero\"\n", "error", "not a regular file")
file("nft", "include-dev-stdin.nft", "include \"/dev/stdin\"\n", "error", "not a regular file")
file("nft", "include-self.nft", "include \"include-self.nft\"\n", "error", "include-self.nft")
file("nft", "unknown-family.nft", "table ipx t {\n}\n", "error", "unknown-family.nft")
file("nft", "jump-missing.nft", "table inet t {\n  chain c {\n    type filter hook input priority 0;\n    jump nowhere\n  }\n}\n", "error", "jump-missing.nft")

with open(os.path.join(here, "EXPECT"), "w") as f:
    f.write("# Generated by make_cases.py (see there for the format); json/ has its own EXPECT.\n")
    f.write("\n".join(cases) + "\n")
print(len(cases), "cases")
