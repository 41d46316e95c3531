// Loader micro-benchmarks: nft JSON text -> Ruleset.
//
// Input: the file named by NFTC_BENCH_JSON (e.g. /tmp/nftc-bench/10k.json from run.sh, a
// real `nft -j list ruleset` dump); without it, an in-memory document with the rule shapes
// nft 1.0.6 prints for the generator's rules (tests/bench/gen_ruleset.py).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "load/load_json.h"

namespace {

// Rule bodies as nft -j prints them (taken from a dump of gen_ruleset.py output).
const char* kRuleShapes[] = {
    R"([{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":"10.96.0.47"}},{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":443}},{"match":{"op":"!=","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":"10.244.0.0","len":16}}}},{"jump":{"target":"mark-for-masquerade"}}])",
    R"([{"match":{"op":"==","left":{"meta":{"key":"l4proto"}},"right":"tcp"}},{"dnat":{"addr":"10.244.3.68","port":48860}}])",
    R"([{"match":{"op":"in","left":{"ct":{"key":"state"}},"right":["established","related"]}},{"counter":{"packets":0,"bytes":0}},{"accept":null}])",
    R"([{"match":{"op":"==","left":{"meta":{"key":"iifname"}},"right":"eth3"}},{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":"192.0.2.17"}},{"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"dport"}},"right":{"set":[53,123,{"range":[4000,4100]}]}}},{"accept":null}])",
    R"([{"match":{"op":"==","left":{"meta":{"key":"oifname"}},"right":"veth*"}},{"match":{"op":"in","left":{"ct":{"key":"state"}},"right":"new"}},{"counter":{"packets":0,"bytes":0}},{"drop":null}])",
    R"([{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":"@mgmt-nets"}},{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":"@allowed-ports"}},{"accept":null}])",
    R"([{"match":{"op":"==","left":{"meta":{"key":"mark"}},"right":64358}},{"jump":{"target":"host-52"}}])",
    R"([{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":"10.12.34.0","len":24}}}},{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":8443}},{"counter":{"packets":0,"bytes":0}},{"accept":null}],"comment":"rule 3.14")",
};

std::string Synthesize(int rules, int elems) {
  std::string s = R"({"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
{"table": {"family": "inet", "name": "hostfw", "handle": 1}},
{"set": {"family": "inet", "name": "mgmt-nets", "table": "hostfw", "type": "ipv4_addr", "handle": 2, "flags": ["interval"], "elem": [{"prefix": {"addr": "10.0.0.0", "len": 8}}]}},
{"set": {"family": "inet", "name": "allowed-ports", "table": "hostfw", "type": "inet_service", "handle": 3, "flags": ["interval"], "elem": [22, {"range": [5000, 5100]}]}},
{"set": {"family": "inet", "name": "bans", "table": "hostfw", "type": "ipv4_addr", "handle": 4, "flags": ["interval"], "elem": [)";
  for (int i = 0; i < elems; ++i) {
    uint32_t a = 0x01000000u + uint32_t(i) * 4096u;
    std::string ip = std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." + std::to_string((a >> 8) & 255) + ".0";
    if (i) s += ",";
    s += i % 2 ? "\"" + ip + "\"" : R"({"prefix": {"addr": ")" + ip + R"(", "len": 24}})";
  }
  s += "]}}";
  int chains = rules / 40 + 1;
  for (int c = 0; c < chains; ++c)
    s += R"(,{"chain": {"family": "inet", "table": "hostfw", "name": "host-)" + std::to_string(c) + R"(", "handle": )" +
         std::to_string(10 + c) + "}}";
  for (int r = 0; r < rules; ++r) {
    std::string body = kRuleShapes[r % (sizeof kRuleShapes / sizeof *kRuleShapes)];
    std::string extra;
    if (auto p = body.find("],\"comment\""); p != std::string::npos) {
      extra = body.substr(p + 1);
      body.resize(p + 1);
    }
    s += R"(,{"rule": {"family": "inet", "table": "hostfw", "chain": "host-)" + std::to_string(r / 40) +
         R"(", "handle": )" + std::to_string(100000 + r) + R"(, "expr": )" + body + extra + "}}";
  }
  s += "]}";
  return s;
}

const std::string& Input() {
  static const std::string text = [] {
    if (const char* f = std::getenv("NFTC_BENCH_JSON")) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      if (in) return ss.str();
    }
    return Synthesize(10000, 20000);
  }();
  return text;
}

void BM_LoadNftJson(benchmark::State& state) {
  const std::string& text = Input();
  size_t rules = 0;
  for (auto _ : state) {
    nftc::Ruleset rs;
    nftc::LoadNftJson(text, "bench.json", rs);
    rules = rs.RuleCount();
    benchmark::DoNotOptimize(rs);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
  state.counters["rules"] = double(rules);
  state.counters["MB"] = double(text.size()) / 1e6;
}
BENCHMARK(BM_LoadNftJson)->Unit(benchmark::kMillisecond);

/// Rules only (no elements): the per-rule cost.
void BM_LoadRules(benchmark::State& state) {
  std::string text = Synthesize(int(state.range(0)), 0);
  for (auto _ : state) {
    nftc::Ruleset rs;
    nftc::LoadNftJson(text, "bench.json", rs);
    benchmark::DoNotOptimize(rs);
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * state.range(0));
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
}
BENCHMARK(BM_LoadRules)->Arg(10000)->Arg(20000)->Unit(benchmark::kMillisecond);

/// Set elements only: the per-element cost.
void BM_LoadElems(benchmark::State& state) {
  std::string text = Synthesize(0, int(state.range(0)));
  for (auto _ : state) {
    nftc::Ruleset rs;
    nftc::LoadNftJson(text, "bench.json", rs);
    benchmark::DoNotOptimize(rs);
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * state.range(0));
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
}
BENCHMARK(BM_LoadElems)->Arg(100000)->Arg(200000)->Unit(benchmark::kMillisecond);

}  // namespace
