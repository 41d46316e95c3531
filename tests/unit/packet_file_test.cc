// One line of a `trace --packets` file -> PacketQuery plus its id; the same conversion as
// the trace flags (analyzer/sim/packet_file.h).
#include <catch2/catch.hpp>

#include "nftc/error.h"
#include "sim/packet_file.h"

using namespace nftc;

TEST_CASE("a --packets line becomes the packet its flags would describe, with its id", "[sim][batch]") {
  SourceRef where{"pk.jsonl", -1, 4};
  PacketLine p = ParsePacketLine(R"({"id": {"n": [1, 2]}, "iif": "eth0"})", where);
  CHECK(p.id_json == R"({"n":[1,2]})");  // echoed as given (compact JSON)
  REQUIRE(p.query.iif);
  CHECK(*p.query.iif == "eth0");
  CHECK_FALSE(p.query.local_out);
  p = ParsePacketLine(
      R"({"id": "x", "iif": "eth0", "src": "192.0.2.20", "dst": "198.51.100.10", "proto": "tcp", "sport": 42001, "dport": "443", "ct_state": "established"})",
      where);
  CHECK(p.id_json == "\"x\"");
  CHECK(p.query.src == u128(0xC0000214));  // 192.0.2.20
  CHECK(p.query.dst == u128(0xC633640A));  // 198.51.100.10
  CHECK(p.query.ipv6 == false);
  CHECK(p.query.proto == uint8_t(6));      // IPPROTO_TCP
  CHECK(p.query.sport == uint16_t(42001));
  CHECK(p.query.dport == uint16_t(443));
  CHECK(p.query.ct_state == uint32_t(kCtEstablished));
  CHECK(p.query.mark == 0u);               // as received

  // Keys a line leaves out come from the defaults (trace --ct-state/--mark in batch mode).
  PacketSpec defaults;
  defaults.ct_state = "any";
  defaults.mark = "0x10";
  p = ParsePacketLine(R"({"local_out": true, "dst": "2001:db8::1", "proto": "icmpv6", "icmp_type": "echo-request"})",
                      where, defaults);
  CHECK(p.id_json.empty());
  CHECK(p.query.local_out);
  CHECK(p.query.ipv6 == true);
  CHECK(p.query.icmp_type == uint8_t(128));  // ICMPv6 echo request
  CHECK_FALSE(p.query.ct_state.has_value());
  CHECK(p.query.mark == 0x10u);
}

TEST_CASE("a bad --packets line is an input error at its file and line", "[sim][batch]") {
  SourceRef where{"pk.jsonl", -1, 3};
  auto error_of = [&](const std::string& line) -> std::string {
    try {
      ParsePacketLine(line, where);
    } catch (const InputError& e) {
      return e.Describe();
    }
    return "no error";
  };
  CHECK(error_of(R"({"ifi": "eth0"})") == "pk.jsonl:3: unknown packet key \"ifi\"");
  CHECK(error_of(R"({"iif": "eth0", "dst": "not-an-address"})") == "pk.jsonl:3: invalid --dst address: 'not-an-address'");
  CHECK(error_of(R"({"iif": "eth0", "local_out": true})") == "pk.jsonl:3: --iif and --local-out exclude each other");
  CHECK(error_of(R"({"iif": "eth0", "dport": 70000})") == "pk.jsonl:3: \"dport\" must be a port number");
  CHECK(error_of(R"({"iif": )") == "pk.jsonl:3: not a JSON object");
  CHECK(error_of("[1, 2]") == "pk.jsonl:3: a packet must be a JSON object");
}

TEST_CASE("the trace flags convert with the same rules, the errors naming the flag", "[sim]") {
  PacketSpec s;
  s.iif = "eth0";
  s.proto = "ipv6-icmp";
  PacketQuery q = BuildPacketQuery(s);
  CHECK(q.proto == uint8_t(58));
  CHECK(q.ipv6 == true);  // ICMPv6 implies IPv6 when no address says otherwise
  s.src = "2001:db8::1";
  s.family = "ip";
  CHECK_THROWS_WITH(BuildPacketQuery(s), "--family contradicts the addresses");
  PacketSpec none;
  CHECK_THROWS_WITH(BuildPacketQuery(none), "say where the packet comes from: --iif IF or --local-out");
}
