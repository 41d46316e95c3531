// Internal state of one simulation path: the symbolic packet and where it is.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/set_index.h"
#include "nftc/packet_path.h"
#include "sim/domain.h"

namespace nftc::sim {

/// Packet fields with a domain of their own.
enum class F : uint8_t {
  kSaddr, kDaddr, kL4proto, kSport, kDport, kIcmpType, kIcmpCode,
  kMark, kCtMark, kCtState, kCtStatus, kCtDir, kPktType,
  kOrigSaddr, kOrigDaddr, kOrigSport, kOrigDport,  ///< ct original tuple (before NAT)
  kCount
};

/// A base chain on a hook, in run order.
struct HookEntry {
  const Table* table = nullptr;
  const Chain* chain = nullptr;
  Hook hook = Hook::kNone;
  int32_t prio = 0;       ///< declared (legacy: classic) priority
  int32_t slot = 0;       ///< where it runs: prio, or the NAT core slot for nat chains
  bool nat = false;
  bool legacy = false;
  bool tie = false;
};

struct Frame {
  const Chain* chain = nullptr;
  size_t rule = 0;
};

/// Where a path is. kOnly: a single hook was asked for (SimulateHook).
enum class Stage : uint8_t { kStart, kPre, kRoute, kIn, kFwd, kOutRoute, kOut, kPost, kOnly, kDone };
enum class RuleState : uint8_t { kRunning, kNoMatch, kVerdict };

/// One path through the ruleset: the symbolic packet, its position and its trace so far.
struct Ctx {
  bool v6 = false;
  std::array<FieldDom, static_cast<size_t>(F::kCount)> f;
  std::map<std::string, FieldDom> other;  ///< fields not modelled, keyed by their text
  std::map<std::string, bool> memo;       ///< decided opaque conditions (text -> result)
  IfDom iif, oif;
  IfDom out_dev;        ///< the routed output device (oif of later hooks)
  bool nat_done_dst = false, nat_done_src = false;  ///< NAT manip initialized (bound or null)
  bool dnat = false, snat = false;
  bool local_out = false, local_dest = false;
  std::string dnat_text, snat_text;
  std::vector<std::string> conds;
  std::vector<std::string> notes;

  // Position.
  Stage stage = Stage::kStart;
  Hook hook = Hook::kNone;
  const std::vector<HookEntry>* entries = nullptr;
  size_t entry = 0;                 ///< next/current base chain index in entries
  std::vector<Frame> stack;         ///< empty: between base chains
  size_t stmt = 0;                  ///< next statement of the current rule
  RuleState rstate = RuleState::kRunning;
  Verdict rverdict;                 ///< verdict of the current rule (kVerdict)
  bool rreject = false;             ///< the current rule rejects
  bool rbinds = false;              ///< the current rule set a NAT binding
  size_t budget = 0;

  // Result.
  std::vector<TraceStep> steps;
  bool done = false;
  Outcome out;

  FieldDom& fd(F x) { return f[static_cast<size_t>(x)]; }
  const FieldDom& fd(F x) const { return f[static_cast<size_t>(x)]; }
  const HookEntry& cur() const { return (*entries)[entry]; }
};

/// What every simulation over one ruleset shares: the base chains of each hook in run
/// order and whether conntrack runs (PlanHooks; built once per lint run, not per packet).
struct HookPlan {
  const Ruleset* rs = nullptr;  ///< the ruleset it was built for (checked on use)
  bool include_legacy = true;
  /// Per hook and family (0 IPv4, 1 IPv6): base chains in run order.
  std::map<std::pair<Hook, int>, std::vector<HookEntry>> hooks;
  /// Per family (0 IPv4, 1 IPv6): is conntrack on? The kernel tracks connections of a
  /// family in a network namespace only while some rule needs it (nf_ct_netns_get: a ct
  /// expression, a NAT statement, an xt conntrack/state/NAT/CT extension...; inet and bridge
  /// tables count for both families). Without it packets have no conntrack entry, and the
  /// NAT core never runs the nat chains of that family.
  bool conntrack[2] = {true, true};
};

/// Everything a path needs to look at, computed once per simulation.
struct World {
  const Ruleset* rs = nullptr;
  const SimOptions* opt = nullptr;
  std::shared_ptr<const HookPlan> plan;  ///< never null once MakeWorld ran
  const HostContext* host = nullptr;     ///< SimOptions::host, else the ruleset's
  std::vector<std::string> warnings;
  std::string default_dev;  ///< interface of the default route (from routes or a guess)
  /// A named set's SetIndex for concrete keys (cached on the Set, see set_lookup.cc).
  /// `usable` is false when an element has a value the simulator cannot compare.
  struct IndexedSet {
    SetIndex index;
    bool usable = true;
  };
};

}  // namespace nftc::sim
