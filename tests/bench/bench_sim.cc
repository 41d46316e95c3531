// Simulator micro-benchmarks (issue 7): one simulated packet (the step every lint probe and
// `trace` packet costs) and the forwarding pass of NC3001 (rules/nc3001_too-broad-forwarding.cc):
// interfaces no rule names form one class "any other", every other class is a named
// interface, and one forward-hook simulation runs per ordered pair of classes, so the pass
// grows with the square of the named interfaces, not with the host's interfaces or the rules.
//
// Inputs: NFTC_BENCH_DIR (default /tmp/nftc-bench) /{small,10k,100k}.json as run.sh writes
// them; a scale whose file is missing is skipped. Argument = index into kScales.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <sys/stat.h>

#include "../../rules/iface_names.h"
#include "input.h"
#include "nftc/packet_path.h"

namespace {

using namespace nftc;

const char* kScales[] = {"small", "10k", "100k"};

const Ruleset* Get(int i) {
  static std::map<int, std::unique_ptr<Ruleset>> cache;
  auto it = cache.find(i);
  if (it != cache.end()) return it->second.get();
  const char* dir = std::getenv("NFTC_BENCH_DIR");
  std::string path = std::string(dir ? dir : "/tmp/nftc-bench") + "/" + kScales[i] + ".json";
  struct stat st {};
  std::unique_ptr<Ruleset> rs;
  if (stat(path.c_str(), &st) == 0) rs = std::make_unique<Ruleset>(LoadInput(InputSpec{path, ""}));
  return (cache[i] = std::move(rs)).get();
}

PacketQuery Inbound(uint16_t dport, u128 src) {
  PacketQuery q;
  q.iif = "eth0";
  q.ipv6 = false;
  q.src = src;
  q.dst = u128{0xC0000201};  // 192.0.2.1
  q.proto = 6;
  q.sport = 40000;
  q.dport = dport;
  return q;
}

// One new TCP connection from outside through every hook of its path, all fields known.
void BM_SimulatePacket(benchmark::State& state) {
  const Ruleset* rs = Get(int(state.range(0)));
  if (!rs) return state.SkipWithError("no input (run tests/bench/run.sh first)");
  uint16_t ports[] = {22, 80, 443, 8080, 30080};
  size_t i = 0, outcomes = 0;
  for (auto _ : state) {
    TraceResult r = Simulate(*rs, Inbound(ports[i++ % 5], u128{0xC6336407}));
    outcomes += r.outcomes.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["rules"] = double(rs->RuleCount());
  state.counters["outcomes/pkt"] = double(outcomes) / double(state.iterations());
  state.SetLabel(kScales[state.range(0)]);
}
BENCHMARK(BM_SimulatePacket)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

// The same packet with the destination port unknown (what lint's coverage checks ask):
// forks per port class the rules tell apart.
void BM_SimulateAnyPort(benchmark::State& state) {
  const Ruleset* rs = Get(int(state.range(0)));
  if (!rs) return state.SkipWithError("no input (run tests/bench/run.sh first)");
  size_t outcomes = 0;
  for (auto _ : state) {
    PacketQuery q = Inbound(0, u128{0xC6336407});
    q.dport.reset();
    TraceResult r = SimulateHook(*rs, Hook::kInput, q);
    outcomes += r.outcomes.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["outcomes/pkt"] = double(outcomes) / double(state.iterations());
  state.SetLabel(kScales[state.range(0)]);
}
BENCHMARK(BM_SimulateAnyPort)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

// One forward-hook simulation of a new connection between two interfaces, other fields any.
void BM_ForwardPair(benchmark::State& state) {
  const Ruleset* rs = Get(int(state.range(0)));
  if (!rs) return state.SkipWithError("no input (run tests/bench/run.sh first)");
  for (auto _ : state) benchmark::DoNotOptimize(SimulateForwardPair(*rs, "eth0", "eth1"));
  state.SetLabel(kScales[state.range(0)]);
}
BENCHMARK(BM_ForwardPair)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

// NC3001's forwarding pass: interface classes, then one forward simulation per ordered pair.
void BM_ForwardingPass(benchmark::State& state) {
  const Ruleset* rs = Get(int(state.range(0)));
  if (!rs) return state.SkipWithError("no input (run tests/bench/run.sh first)");
  size_t pairs = 0, classes = 0;
  for (auto _ : state) {
    std::set<std::string> named = iface::NamedInRules(*rs);
    std::vector<std::string> cls(named.begin(), named.end());
    cls.push_back(iface::kOther);
    classes = cls.size();
    pairs = 0;
    for (const std::string& a : cls)
      for (const std::string& b : cls) {
        if (a == b && a != iface::kOther) continue;
        benchmark::DoNotOptimize(SimulateForwardPair(*rs, a, a == b ? "nftc-other1" : b));
        ++pairs;
      }
  }
  state.counters["classes"] = double(classes);
  state.counters["pairs"] = double(pairs);
  state.SetLabel(kScales[state.range(0)]);
}
BENCHMARK(BM_ForwardingPass)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
