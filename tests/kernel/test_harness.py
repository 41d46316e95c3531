"""Unit tests of the harness parts that need no root: trace parsing, the comparator (with
hand-made simulator output), the packet generator.  Run: /usr/bin/python3 -m unittest
discover -s tests/kernel -p 'test_*.py'
"""

import contextlib
import copy
import io
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compare  # noqa: E402
import gen_packets  # noqa: E402
import trace_parse  # noqa: E402

SHARED = os.environ.get("NFTC_SHARED_DIR", "/work/shared")

# Lines as nft 1.0.6 printed them here (see README.md), incl. our own trace table.
LINES = """\
trace id c018eaed inet nftck_trace pre packet: iif "eth0" ether saddr 0e:c1:0f:41:ed:7e ether daddr 0e:19:01:4b:e7:1d ip saddr 198.51.100.1 ip daddr 198.51.100.10 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 20481 ip protocol tcp ip length 40 tcp sport 40000 tcp dport 22 tcp flags == syn tcp window 8192
trace id c018eaed inet nftck_trace pre rule ip saddr . ip daddr . ip id @m4 meta nftrace set 1 # handle 4 (verdict continue)
trace id c018eaed inet nftck_trace pre policy accept
trace id c018eaed ip t in packet: iif "eth0" ether saddr 0e:c1:0f:41:ed:7e ip saddr 198.51.100.1 ip daddr 198.51.100.10 ip id 20481 ip length 40 tcp sport 40000 tcp dport 22 tcp flags == syn
trace id c018eaed ip t in rule jump c # handle 3 (verdict jump c)
trace id c018eaed ip t c rule counter packets 0 bytes 0 return # handle 7 (verdict return)
trace id c018eaed ip t in rule counter packets 0 bytes 0 # handle 4 (verdict continue)
trace id c018eaed ip t in rule tcp dport 22 accept # handle 5 (verdict accept)
trace id c018eaed inet nftck_trace in_last packet: iif "eth0" ip saddr 198.51.100.1 ip daddr 198.51.100.10 ip id 20481 tcp sport 40000 tcp dport 22
trace id c018eaed inet nftck_trace in_last rule ip id @id4 counter packets 0 bytes 0 # handle 9 (verdict continue)
""".splitlines()

BASE = {("ip", "t", "in"): "input", ("inet", "nftck_trace", "pre"): "prerouting",
        ("inet", "nftck_trace", "in_last"): "input"}


class TraceParseTest(unittest.TestCase):
    def test_steps(self):
        ev = trace_parse.parse_lines(LINES)
        steps, ours, extra = trace_parse.build_steps(ev, BASE, {("ip", "t", "in", 3): 30})
        self.assertEqual([(s["chain"], s["handle"], s["verdict"], s["kind"], s["hook"])
                          for s in steps],
                         [("in", 3, "jump c", "rule", "input"),
                          ("c", 7, "return", "rule", "input"),
                          ("in", 4, "continue", "rule", "input"),
                          ("in", 5, "accept", "rule", "input")])
        self.assertEqual(steps[0]["rule"], "jump c")
        self.assertEqual(steps[1]["rule"], "counter return")  # counter values stripped
        self.assertEqual(steps[0]["capture_handle"], 30)
        self.assertEqual(steps[0]["pkt"], {"iif": "eth0", "src": "198.51.100.1",
                                           "dst": "198.51.100.10", "proto": "tcp",
                                           "sport": 40000, "dport": 22})
        local, out = trace_parse.delivery_from_ours(ours)
        self.assertEqual(local["dst"], "198.51.100.10")
        self.assertIsNone(out)
        self.assertEqual(extra, [])

    def test_policy_and_bare_verdict(self):
        ev = trace_parse.parse_lines([
            "trace id 1 ip filter FORWARD rule counter jump DOCKER-USER # handle 9 (verdict jump DOCKER-USER)",
            "trace id 1 ip filter DOCKER-USER verdict continue",
            "trace id 1 ip filter FORWARD policy drop "])
        steps, _, extra = trace_parse.build_steps(ev, {("ip", "filter", "FORWARD"): "forward"})
        self.assertEqual([(s["kind"], s["verdict"], s["handle"]) for s in steps],
                         [("rule", "jump DOCKER-USER", 9), ("policy", "drop", None)])
        self.assertEqual(extra[0]["chain"], "DOCKER-USER")
        st = trace_parse.nft_drop(steps)
        self.assertEqual(trace_parse.describe_step(st, steps),
                         "ip filter FORWARD: policy drop (no verdict in DOCKER-USER)")


def _krec(steps, delivered):
    return {"id": "p1", "kernel": {"steps": steps, "delivered": delivered, "fate": "x"}}


K_STEPS = [
    {"family": "ip", "table": "nat", "chain": "PREROUTING", "handle": 7, "capture_handle": 70,
     "rule": "fib daddr type local counter jump DOCKER", "verdict": "jump DOCKER",
     "kind": "rule", "hook": "prerouting"},
    {"family": "ip", "table": "nat", "chain": "DOCKER", "handle": 13, "capture_handle": 13,
     "rule": "...dnat to 172.17.0.2:80", "verdict": "accept", "kind": "rule",
     "hook": "prerouting"},
    {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": None, "rule": None,
     "verdict": "drop", "kind": "policy", "hook": "forward"},
]


def _sim_from(krec, verdict):
    steps = [{"hook": s["hook"], "family": s["family"], "table": s["table"],
              "chain": s["chain"], "handle": s.get("capture_handle") if s["kind"] == "rule" else None,
              "rule": s["rule"], "verdict": s["verdict"]} for s in krec["kernel"]["steps"]]
    return {"id": krec["id"], "sim": {"schema_version": 1, "verdict": verdict, "outcomes": [
        {"verdict": verdict, "condition": "", "steps": steps, "nat": {"dst": "172.17.0.2"}}]}}


class CompareTest(unittest.TestCase):
    def setUp(self):
        self.k = _krec(copy.deepcopy(K_STEPS), None)
        self.s = _sim_from(self.k, "drop")

    def test_agree(self):
        self.assertEqual(compare.compare_one(self.k, self.s), [])

    def test_reject_is_drop_and_legacy_steps_skipped(self):
        self.s["sim"]["outcomes"][0]["steps"][2]["verdict"] = "reject"
        self.s["sim"]["outcomes"][0]["steps"].insert(2, {
            "hook": "prerouting", "family": "ip", "table": "nat", "chain": "PREROUTING",
            "handle": None, "verdict": "accept", "source": "legacy"})
        self.assertEqual(compare.compare_one(self.k, self.s), [])

    def test_wrong_handle(self):
        self.s["sim"]["outcomes"][0]["steps"][0]["handle"] = 7  # the reload's, not the capture's
        d = compare.compare_one(self.k, self.s)
        self.assertTrue(d and d[0].startswith("step 1 differs"), d)

    def test_missing_step_and_fate(self):
        o = self.s["sim"]["outcomes"][0]
        o["steps"] = o["steps"][:2]
        o["verdict"] = self.s["sim"]["verdict"] = "accept"
        d = compare.compare_one(self.k, self.s)
        self.assertTrue(any("step 3 differs" in x for x in d), d)
        self.assertTrue(any(x.startswith("fate: kernel dropped") for x in d), d)

    def test_depends_is_a_disagreement(self):
        self.s["sim"]["verdict"] = "depends"
        self.assertTrue(compare.compare_one(self.k, self.s))

    def test_nat_addresses(self):
        k = _krec(copy.deepcopy(K_STEPS[:2]), {"to": "peer-docker0", "src": "192.0.2.99",
                                                "dst": "172.17.0.2", "proto": "tcp"})
        s = _sim_from(k, "accept")
        self.assertEqual(compare.compare_one(k, s), [])
        s["sim"]["outcomes"][0]["nat"]["dst"] = "172.17.0.3"
        self.assertTrue(compare.compare_one(k, s))

    def test_delivered_in_the_simulators_shape(self):
        # analyzer/sim/output.cc: "delivered": {iif/oif, src, dst, proto, sport, dport
        # (strings), "to": "host" | output interface}
        k = _krec(copy.deepcopy(K_STEPS[:2]), {"to": "peer-docker0", "src": "192.0.2.99",
                                                "dst": "172.17.0.2", "proto": "tcp",
                                                "sport": 40001, "dport": 80})
        s = _sim_from(k, "accept")
        o = s["sim"]["outcomes"][0]
        o["nat"] = {"dnat": "172.17.0.2:80"}
        o["delivered"] = {"iif": "eth0", "oif": "docker0", "src": "192.0.2.99",
                          "dst": "172.17.0.2", "proto": "tcp", "sport": "40001",
                          "dport": "80", "to": "docker0"}
        self.assertEqual(compare.compare_one(k, s), [])
        o["delivered"]["to"] = "host"
        o["delivered"]["dport"] = "8082"
        d = compare.compare_one(k, s)
        self.assertEqual(len(d), 2, d)

    def test_random_port_range_holds_the_kernels_port(self):
        # masquerade fully-random: the simulator answers the range the kernel picks from
        k = _krec(copy.deepcopy(K_STEPS[:2]), {"to": "peer-docker0", "src": "172.17.0.1",
                                                "dst": "172.17.0.2", "proto": "tcp",
                                                "sport": 9277, "dport": 80})
        s = _sim_from(k, "accept")
        o = s["sim"]["outcomes"][0]
        o["delivered"] = {"src": "172.17.0.1", "dst": "172.17.0.2", "sport": "1024-65535",
                          "dport": "80", "to": "docker0"}
        self.assertEqual(compare.compare_one(k, s), [])
        o["delivered"]["sport"] = "10000-65535"
        self.assertEqual(len(compare.compare_one(k, s)), 1)
        self.assertFalse(compare.value_agrees("1024-65535", "192.0.2.1"))
        self.assertFalse(compare.value_agrees("10.0.0.1", "10.0.0.2"))

    def test_main_compare_counts(self):
        k2 = copy.deepcopy(self.k)
        k2["id"] = "p2"
        with contextlib.redirect_stdout(io.StringIO()):
            ok = compare.main_compare([self.k, k2], [self.s])
        self.assertFalse(ok)  # p2 has no simulator output

    def test_simulator_args(self):
        a = compare.simulator_args("nft-coexist", "/cap", {"local_out": True, "dst": "8.8.8.8",
                                                           "proto": "icmp"}, "198.51.100.10")
        self.assertEqual(a, ["nft-coexist", "trace", "/cap", "--local-out", "--src",
                             "198.51.100.10", "--dst", "8.8.8.8", "--proto", "icmp",
                             "--icmp-type", "echo-request", "--format", "json"])


@unittest.skipUnless(os.path.isdir(os.path.join(SHARED, "captures")), "no ../shared")
class GenTest(unittest.TestCase):
    CAP = os.path.join(SHARED, "captures", "combined-firewalld-fail2ban-iptnft-legacy")

    def test_deterministic_and_covering(self):
        a = gen_packets.generate(self.CAP, 5, 40)
        self.assertEqual(a, gen_packets.generate(self.CAP, 5, 40))
        self.assertEqual(len(a), 40)
        kinds = {p["id"].split("-", 2)[2] for p in a}
        self.assertTrue({"host", "across", "dnat", "banned", "container", "local"} <= kinds,
                        kinds)
        # DNAT'ed ports from nft (8082, 8444) and from iptables-legacy (8443) are all used
        self.assertEqual({p["dport"] for p in a if p["id"].endswith("dnat")} >= {8082, 8443, 8444},
                         True)
        self.assertTrue(any(p.get("src") == "192.0.2.10" for p in a))  # an f2b ban
        for p in a:
            json.dumps(p)
            self.assertIn(p["proto"], ("tcp", "udp", "icmp", "icmpv6"))


@unittest.skipUnless(os.path.isdir(os.path.join(SHARED, "kernel-results")), "no ../shared")
class ReferenceShapeTest(unittest.TestCase):
    def test_sim_built_from_reference_agrees(self):
        path = os.path.join(SHARED, "kernel-results", "iptables-nft-docker-libvirt.kernel.jsonl")
        with open(path) as f:
            recs = [json.loads(l) for l in f]
        sims = []
        for r in recs:
            v = "accept" if r["kernel"]["delivered"] else "drop"
            s = _sim_from(r, v)
            for st, ks in zip(s["sim"]["outcomes"][0]["steps"], r["kernel"]["steps"]):
                st["handle"] = ks["handle"]  # the reference has only reload handles
            s["sim"]["outcomes"][0]["nat"] = {}
            sims.append(s)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            self.assertTrue(compare.main_compare(recs, sims))
            sims[3]["sim"]["outcomes"][0]["steps"].pop()
            self.assertFalse(compare.main_compare(recs, sims))
        self.assertIn("12/13 agree", buf.getvalue())
        self.assertIn("DISAGREE l04-eth0-to-vm", buf.getvalue())

    def test_driver_end_to_end_with_fake_simulator(self):
        sc = "iptables-nft-docker-libvirt"
        kpath = os.path.join(SHARED, "kernel-results", sc + ".kernel.jsonl")
        with open(kpath) as f:
            recs = [json.loads(l) for l in f]
        with open(os.path.join(SHARED, "kernel-results", sc + ".packets.jsonl")) as f:
            pk = [json.loads(l) for l in f]
        cap = os.path.join(SHARED, "captures", sc)
        fake = os.path.join(HERE, "fake_sim.py")
        env = dict(os.environ, FAKE_SIM_KERNEL=kpath)
        old = os.environ.copy()
        try:
            os.environ.update(env)
            self.assertTrue(compare.supports_batch(fake))
            sims = compare.run_simulator(fake, cap, pk, recs)  # batch: trace --packets
            single = compare.run_simulator(fake, cap, pk, recs, batch=False)
            os.environ["FAKE_SIM_BREAK"] = "l13-local-out-to-vm"
            broken = compare.run_simulator(fake, cap, pk, recs)
        finally:
            os.environ.clear()
            os.environ.update(old)
        self.assertEqual([s.get("error") for s in sims], [None] * len(pk))
        self.assertEqual(sims, single)  # one process or one per packet: the same answers
        # local_out gets the source the kernel chose
        self.assertIn("192.168.122.1", sims[-1]["argv"])
        with contextlib.redirect_stdout(io.StringIO()) as buf:
            self.assertTrue(compare.main_compare(recs, sims))
            self.assertFalse(compare.main_compare(recs, broken))
        self.assertIn("DISAGREE l13-local-out-to-vm", buf.getvalue())


if __name__ == "__main__":
    unittest.main()
