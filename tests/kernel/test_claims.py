"""Unit tests of claims.py (no root): witness parsing, claims and their check against kernel
records. The witness texts are the ones the rules print (NC3002, NC3003, NC3004, NC3005)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import claims  # noqa: E402


def finding(rid, witness, family="ip", table="filter", chain="FORWARD", backend="nftables"):
    return {"id": rid, "witness": witness, "message": "m",
            "location": {"family": family, "table": table, "chain": chain, "backend": backend}}


class WitnessTest(unittest.TestCase):
    def test_published_port(self):
        pkt, claim = claims.claim_of(finding(
            "NC3002", "tcp 192.0.2.99:40000 -> 198.51.100.10:8082 iif eth0: sent out docker0"))
        self.assertEqual(pkt, {"iif": "eth0", "src": "192.0.2.99", "dst": "198.51.100.10", "proto": "tcp",
                               "sport": 40000, "dport": 8082})
        self.assertEqual(claim, {"fate": "delivered", "to": "peer-docker0"})

    def test_ban_misses(self):
        pkt, claim = claims.claim_of(finding(
            "NC3003", "tcp 192.0.2.20:40000 -> 198.51.100.10:8080 iif eth0: dnat 198.51.100.10:8080 -> "
                      "172.17.0.2:80, sent out docker0"))
        self.assertEqual(pkt["src"], "192.0.2.20")
        self.assertEqual(claim["to"], "peer-docker0")

    def test_accept_not_final(self):
        pkt, claim = claims.claim_of(finding(
            "NC3004", "tcp 192.0.2.99:40000 -> 198.51.100.10:8443 (published port) iif eth0",
            backend="iptables-legacy"))
        self.assertEqual(pkt["dport"], 8443)
        self.assertEqual(claim, {"fate": "dropped", "family": "ip", "table": "filter", "chain": "FORWARD",
                                 "source": "legacy"})
        pkt, claim = claims.claim_of(finding(
            "NC3004", "tcp 172.17.0.50:40000 -> 198.51.100.59:443 iif docker0 oif eth0 (new connection "
                      "from docker0 to eth0, forward hook)", backend="iptables-nft"))
        self.assertEqual((pkt["iif"], pkt["src"], pkt["dst"]), ("docker0", "172.17.0.50", "198.51.100.59"))
        self.assertEqual(claim["source"], "nft")

    def test_not_a_packet(self):
        pkt, why = claims.claim_of(finding("NC3004", "new connection from docker0 to eth0 (forward hook)"))
        self.assertIsNone(pkt)
        self.assertIn("not a concrete packet", why)

    def test_bridged(self):
        f = finding("NC3005", "IPv4 new TCP connection bridged vnet0 -> vnet1 on virbr0 (forward hook: iif "
                              "virbr0 oif virbr0): drop")
        self.assertEqual(claims.bridged_packet(f), ("virbr0", ("vnet0", "vnet1")))
        f["witness"] = ("IPv4 new TCP connection bridged a port of virbr0 -> another port of virbr0 on virbr0 "
                        "(forward hook: iif virbr0 oif virbr0): drop")
        self.assertEqual(claims.bridged_packet(f), ("virbr0", ("vport0", "vport1")))
        f["witness"] = ("IPv4 new TCP connection bridged vnet0 -> another port of virbr0 on virbr0 "
                        "(forward hook: iif virbr0 oif virbr0): drop")
        self.assertEqual(claims.bridged_packet(f), ("virbr0", ("vnet0", "vport1")))
        f["witness"] = f["witness"].replace("IPv4", "IPv6")
        self.assertIsNone(claims.bridged_packet(f))


class CheckTest(unittest.TestCase):
    DROP = {"fate": "dropped", "family": "ip", "table": "filter", "chain": "FORWARD", "source": "legacy"}

    def test_delivered(self):
        ok, _ = claims.check({"fate": "delivered", "to": "peer-docker0"},
                             {"delivered": {"to": "peer-docker0"}, "fate": "delivered to peer-docker0"})
        self.assertTrue(ok)
        ok, _ = claims.check({"fate": "delivered", "to": "peer-docker0"},
                             {"delivered": None, "dropped_by": {}, "fate": "dropped"})
        self.assertFalse(ok)

    def test_dropped_in_the_named_chain_only(self):
        k = {"delivered": None, "fate": "x",
             "dropped_by": {"source": "legacy", "family": "ip", "table": "filter", "chain": "FORWARD"}}
        self.assertTrue(claims.check(self.DROP, k)[0])
        k["dropped_by"]["source"] = "nft"  # the iptables-nft chain of the same name is another chain
        self.assertFalse(claims.check(self.DROP, k)[0])
        self.assertFalse(claims.check(self.DROP, {"delivered": {"to": "host"}, "dropped_by": None})[0])
        self.assertFalse(claims.check(self.DROP, {"error": "boom"})[0])


if __name__ == "__main__":
    unittest.main()
