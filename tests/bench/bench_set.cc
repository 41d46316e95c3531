// Set lookup micro-benchmarks: SetIndex over interval sets, exact sets and concat maps,
// against the plain scan it replaces.
#include <benchmark/benchmark.h>

#include <random>

#include "model/set_index.h"

namespace {

using nftc::Set;
using nftc::SetElem;
using nftc::SetIndex;
using nftc::Value;

/// n disjoint IPv4 elements (half /24 prefixes, half single addresses), ascending.
Set IntervalSet(size_t n) {
  Set s;
  s.key = {nftc::DataType::kIpv4Addr};
  s.flags = nftc::kSetInterval;
  s.elems.reserve(n);
  uint32_t cur = 0x01000000;
  for (size_t i = 0; i < n; ++i) {
    SetElem e;
    cur += 1024;
    uint32_t lo = cur & ~255u, hi = i % 2 ? lo : lo | 255u;
    e.lo = {Value::Int(lo, 32)};
    e.hi = {Value::Int(hi, 32)};
    s.elems.push_back(std::move(e));
  }
  return s;
}

/// kube-proxy service-ips: ip daddr . l4proto . th dport : goto service-N.
Set ServiceMap(size_t n) {
  Set s;
  s.is_map = true;
  s.key = {nftc::DataType::kIpv4Addr, nftc::DataType::kInetProto, nftc::DataType::kInetService};
  for (size_t i = 0; i < n; ++i) {
    SetElem e;
    e.lo = e.hi = {Value::Int(0x0A600000 + i, 32), Value::Int(6, 8), Value::Int(80 + i % 7, 16)};
    e.verdict = nftc::Verdict{nftc::VerdictKind::kGoto, "service-" + std::to_string(i)};
    s.elems.push_back(std::move(e));
  }
  return s;
}

void BM_IntervalLookup(benchmark::State& state) {
  Set s = IntervalSet(size_t(state.range(0)));
  SetIndex idx(s);
  std::mt19937 rng(1);
  std::vector<Value> keys;
  for (int i = 0; i < 4096; ++i) keys.push_back(Value::Int(0x01000000 + rng() % (uint32_t(state.range(0)) * 1024u), 32));
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    hits += idx.Lookup(keys[i++ & 4095]) != nullptr;
  }
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(int64_t(state.iterations()));
}
BENCHMARK(BM_IntervalLookup)->Arg(1000)->Arg(200000)->Arg(1000000);

void BM_IntervalScan(benchmark::State& state) {  // what an unindexed simulator would do
  Set s = IntervalSet(size_t(state.range(0)));
  std::mt19937 rng(1);
  size_t hits = 0;
  for (auto _ : state) {
    Value k = Value::Int(0x01000000 + rng() % (uint32_t(state.range(0)) * 1024u), 32);
    for (const auto& e : s.elems)
      if (SetIndex::Matches(e, &k, 1)) {
        ++hits;
        break;
      }
  }
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(int64_t(state.iterations()));
}
BENCHMARK(BM_IntervalScan)->Arg(1000)->Arg(200000);

void BM_ServiceMapLookup(benchmark::State& state) {
  Set s = ServiceMap(size_t(state.range(0)));
  SetIndex idx(s);
  std::mt19937 rng(2);
  std::vector<std::vector<Value>> keys;
  for (int i = 0; i < 4096; ++i) {
    uint32_t k = rng() % uint32_t(state.range(0) + 100);
    keys.push_back({Value::Int(0x0A600000 + k, 32), Value::Int(6, 8), Value::Int(80 + k % 7, 16)});
  }
  size_t i = 0, hits = 0;
  for (auto _ : state) hits += idx.Lookup(keys[i++ & 4095]) != nullptr;
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(int64_t(state.iterations()));
}
BENCHMARK(BM_ServiceMapLookup)->Arg(10000)->Arg(20000);

void BM_SetIndexBuild(benchmark::State& state) {
  Set s = IntervalSet(size_t(state.range(0)));
  for (auto _ : state) {
    SetIndex idx(s);
    benchmark::DoNotOptimize(idx);
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * state.range(0));
}
BENCHMARK(BM_SetIndexBuild)->Arg(200000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
