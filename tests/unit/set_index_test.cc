// SetIndex: indexed set/map lookups must give the same element as nft's membership rule
// (containment per concatenation component, first element wins) without scanning.
#include <catch2/catch.hpp>

#include <random>

#include "load/load_json.h"
#include "model/set_index.h"

using namespace nftc;

namespace {

Value V4(uint32_t a) { return Value::Int(a, 32); }
Value Port(uint32_t p) { return Value::Int(p, 16); }
Value S(const char* s) { return Value::Str(s); }
uint32_t Ip(int a, int b, int c, int d) { return uint32_t(a) << 24 | uint32_t(b) << 16 | uint32_t(c) << 8 | uint32_t(d); }

SetElem Elem(std::vector<Value> lo, std::vector<Value> hi) {
  SetElem e;
  e.lo = std::move(lo);
  e.hi = std::move(hi);
  return e;
}
SetElem Exact(std::vector<Value> k) { return Elem(k, k); }

/// The reference: the first element that matches, by a plain scan.
const SetElem* Scan(const Set& s, const std::vector<Value>& key) {
  for (const auto& e : s.elems)
    if (SetIndex::Matches(e, key.data(), key.size())) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("set index: interval set of prefixes, ranges and single addresses") {
  Set s;
  s.key = {DataType::kIpv4Addr};
  s.elems.push_back(Elem({V4(Ip(203, 0, 113, 0))}, {V4(Ip(203, 0, 113, 255))}));  // 203.0.113.0/24
  s.elems.push_back(Exact({V4(Ip(192, 0, 2, 7))}));
  s.elems.push_back(Elem({V4(Ip(198, 51, 100, 1))}, {V4(Ip(198, 51, 100, 9))}));  // range
  SetIndex idx(s);
  CHECK(idx.Lookup(V4(Ip(203, 0, 113, 0))) == &s.elems[0]);
  CHECK(idx.Lookup(V4(Ip(203, 0, 113, 255))) == &s.elems[0]);
  CHECK(idx.Lookup(V4(Ip(203, 0, 114, 0))) == nullptr);
  CHECK(idx.Lookup(V4(Ip(192, 0, 2, 7))) == &s.elems[1]);
  CHECK(idx.Lookup(V4(Ip(192, 0, 2, 8))) == nullptr);
  CHECK(idx.Lookup(V4(Ip(198, 51, 100, 1))) == &s.elems[2]);
  CHECK(idx.Lookup(V4(Ip(198, 51, 100, 9))) == &s.elems[2]);
  CHECK(idx.Lookup(V4(Ip(198, 51, 100, 10))) == nullptr);
  CHECK(idx.Lookup(V4(Ip(198, 51, 100, 0))) == nullptr);
  // A string key never matches an address element.
  CHECK(idx.Lookup(S("203.0.113.1")) == nullptr);
}

TEST_CASE("set index: kube-proxy style verdict map on ip daddr . l4proto . th dport") {
  Set m;
  m.is_map = true;
  m.key = {DataType::kIpv4Addr, DataType::kInetProto, DataType::kInetService};
  m.data = {DataType::kVerdict};
  for (uint32_t i = 0; i < 1000; ++i) {
    SetElem e = Exact({V4(Ip(10, 96, 0, 0) + i), Value::Int(i % 10 ? 6 : 17, 8), Port(80 + i % 3)});
    e.verdict = Verdict{VerdictKind::kGoto, "service-" + std::to_string(i)};
    m.elems.push_back(e);
  }
  SetIndex idx(m);
  const SetElem* e = idx.Lookup({V4(Ip(10, 96, 0, 0) + 42), Value::Int(6, 8), Port(80)});
  REQUIRE(e);
  CHECK(e->verdict.chain == "service-42");
  CHECK(idx.Lookup({V4(Ip(10, 96, 0, 0) + 42), Value::Int(17, 8), Port(80)}) == nullptr);  // udp: no
  CHECK(idx.Lookup({V4(Ip(10, 96, 0, 0) + 42), Value::Int(6, 8), Port(81)}) == nullptr);
  CHECK(idx.Lookup({V4(Ip(10, 96, 0, 0) + 42), Value::Int(6, 8)}) == nullptr);  // too short
}

TEST_CASE("set index: ifname sets, exact and wildcard") {
  Set s;
  s.key = {DataType::kIfname};
  s.elems.push_back(Exact({S("docker0")}));
  s.elems.push_back(Exact({S("veth*")}));
  s.elems.push_back(Exact({S("br-1234")}));
  SetIndex idx(s);
  CHECK(idx.Lookup(S("docker0")) == &s.elems[0]);
  CHECK(idx.Lookup(S("docker1")) == nullptr);
  CHECK(idx.Lookup(S("veth12ab")) == &s.elems[1]);
  CHECK(idx.Lookup(S("veth")) == &s.elems[1]);
  CHECK(idx.Lookup(S("vet")) == nullptr);
  CHECK(idx.Lookup(S("br-1234")) == &s.elems[2]);
}

TEST_CASE("set index: concatenations with ranges in later or first components") {
  Set s;
  s.key = {DataType::kIfname, DataType::kIpv4Addr, DataType::kInetService};
  // iifname . ip saddr . tcp dport { "eth0" . 10.0.0.0/8 . 22, "eth0" . 192.168.0.0/16 . 80-90 }
  s.elems.push_back(Elem({S("eth0"), V4(Ip(10, 0, 0, 0)), Port(22)}, {S("eth0"), V4(Ip(10, 255, 255, 255)), Port(22)}));
  s.elems.push_back(Elem({S("eth0"), V4(Ip(192, 168, 0, 0)), Port(80)}, {S("eth0"), V4(Ip(192, 168, 255, 255)), Port(90)}));
  s.elems.push_back(Exact({S("eth1"), V4(Ip(10, 1, 1, 1)), Port(443)}));
  SetIndex idx(s);
  CHECK(idx.Lookup({S("eth0"), V4(Ip(10, 9, 9, 9)), Port(22)}) == &s.elems[0]);
  CHECK(idx.Lookup({S("eth0"), V4(Ip(10, 9, 9, 9)), Port(23)}) == nullptr);
  CHECK(idx.Lookup({S("eth0"), V4(Ip(192, 168, 3, 4)), Port(85)}) == &s.elems[1]);
  CHECK(idx.Lookup({S("eth1"), V4(Ip(10, 9, 9, 9)), Port(22)}) == nullptr);
  CHECK(idx.Lookup({S("eth1"), V4(Ip(10, 1, 1, 1)), Port(443)}) == &s.elems[2]);

  Set r;  // ip saddr . tcp dport with a prefix first: { 10.0.0.0/8 . 22, 10.1.0.0/16 . 80 }
  r.key = {DataType::kIpv4Addr, DataType::kInetService};
  r.elems.push_back(Elem({V4(Ip(10, 0, 0, 0)), Port(22)}, {V4(Ip(10, 255, 255, 255)), Port(22)}));
  r.elems.push_back(Elem({V4(Ip(10, 1, 0, 0)), Port(80)}, {V4(Ip(10, 1, 255, 255)), Port(80)}));
  SetIndex ri(r);
  // 10.1.2.3 . 22 lies in the first element although a later, narrower first range starts
  // closer to the key: the backward scan must not stop at the nearer range.
  CHECK(ri.Lookup({V4(Ip(10, 1, 2, 3)), Port(22)}) == &r.elems[0]);
  CHECK(ri.Lookup({V4(Ip(10, 1, 2, 3)), Port(80)}) == &r.elems[1]);
  CHECK(ri.Lookup({V4(Ip(10, 2, 2, 3)), Port(80)}) == nullptr);
}

TEST_CASE("set index: overlapping elements resolve to the first one, duplicates too") {
  Set s;
  s.key = {DataType::kIpv4Addr};
  s.elems.push_back(Elem({V4(100)}, {V4(200)}));
  s.elems.push_back(Exact({V4(150)}));
  s.elems.push_back(Elem({V4(0)}, {V4(1000)}));
  s.elems.push_back(Exact({V4(150)}));
  SetIndex idx(s);
  CHECK(idx.Lookup(V4(150)) == &s.elems[0]);
  CHECK(idx.Lookup(V4(50)) == &s.elems[2]);
  CHECK(idx.Lookup(V4(1001)) == nullptr);
  Set d;
  d.key = {DataType::kIpv4Addr};
  d.elems.push_back(Exact({V4(7)}));
  d.elems.push_back(Exact({V4(7)}));
  CHECK(SetIndex(d).Lookup(V4(7)) == &d.elems[0]);
}

TEST_CASE("set index agrees with a plain scan on random sets") {
  std::mt19937 rng(12345);
  for (int round = 0; round < 20; ++round) {
    Set s;
    s.key = {DataType::kIpv4Addr, DataType::kInetService};
    int n = 1 + int(rng() % 300);
    for (int i = 0; i < n; ++i) {
      uint32_t a = rng() % 5000, len = rng() % 4 == 0 ? rng() % 200 : 0;
      uint32_t p = rng() % 20, plen = rng() % 3 == 0 ? rng() % 5 : 0;
      s.elems.push_back(Elem({V4(a), Port(p)}, {V4(a + len), Port(p + plen)}));
    }
    SetIndex idx(s);
    for (int q = 0; q < 2000; ++q) {
      std::vector<Value> key = {V4(rng() % 5300), Port(rng() % 26)};
      REQUIRE(idx.Lookup(key) == Scan(s, key));
    }
  }
}

TEST_CASE("set index over a loaded nft JSON set") {
  Ruleset rs;
  LoadNftJson(R"({"nftables": [
    {"table": {"family": "inet", "name": "f2b-table", "handle": 1}},
    {"set": {"family": "inet", "name": "bans", "table": "f2b-table", "type": "ipv4_addr", "handle": 2,
      "flags": ["interval"], "elem": [{"prefix": {"addr": "203.0.113.0", "len": 24}}, "192.0.2.7",
      {"range": ["198.51.100.1", "198.51.100.9"]}]}}]})",
              "t.json", rs);
  const Set* s = rs.tables.at(0).FindSet("bans");
  REQUIRE(s);
  SetIndex idx(*s);
  CHECK(idx.Lookup(V4(Ip(203, 0, 113, 77))) == &s->elems[0]);
  CHECK(idx.Lookup(V4(Ip(192, 0, 2, 7))) == &s->elems[1]);
  CHECK(idx.Lookup(V4(Ip(198, 51, 100, 5))) == &s->elems[2]);
  CHECK(idx.Lookup(V4(Ip(198, 51, 100, 10))) == nullptr);
}
