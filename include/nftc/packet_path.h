// The packet-path simulator: what the kernel does with one packet across every table of
// every program (nftables, iptables-nft and iptables-legacy), hook by hook, chain by chain.
//
// Semantics (see ../shared/docs/netfilter-semantics.md; every point was checked against
// the kernel traces in ../shared/kernel-results):
// - Paths: arriving: prerouting -> routing -> input | forward -> postrouting;
//   local out: routing -> output -> (re-routing after DNAT) -> postrouting, and for a local
//   destination then prerouting (iif lo) -> input.
// - At a hook every base chain of the packet's pipeline (IPv4: ip + inet, IPv6: ip6 + inet,
//   legacy tables included) runs in ascending priority. accept ends only the base chain;
//   drop/reject/queue are final. Equal priorities: nftables chains before legacy chains
//   (as the kernel runs showed), among nftables chains the table listed later first (the
//   kernel runs the chain registered last first); such steps carry `tie`.
// - NAT chains run in the NAT core's slot (-100 prerouting/output, 100 input/postrouting)
//   ordered by their own priority, only for ct state new, and only until one binds.
// - Unspecified fields are "any": a rule that may or may not match forks the result.
//   A received packet carries mark 0 and a new connection ct mark 0 unless given.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nftc/model.h"

namespace nftc {

/// ct state bits as the kernel (and nft) number them.
enum CtStateBit : uint32_t {
  kCtInvalid = 1, kCtEstablished = 2, kCtRelated = 4, kCtNew = 8, kCtUntracked = 64
};

/// The packet to simulate. An unset optional means "any value".
struct PacketQuery {
  std::optional<std::string> iif;  ///< arriving interface (ignored with local_out)
  bool local_out = false;          ///< sent by the host itself
  std::optional<std::string> oif;  ///< only used where routing cannot derive the interface
  std::optional<bool> ipv6;        ///< family; else from the addresses, else IPv4
  std::optional<u128> src, dst;
  std::optional<uint8_t> proto;    ///< l4 protocol number
  std::optional<uint16_t> sport, dport;
  std::optional<uint8_t> icmp_type, icmp_code;
  std::optional<uint32_t> ct_state = kCtNew;  ///< one CtStateBit
  std::optional<uint32_t> mark = 0u;
  std::optional<uint32_t> ct_mark = 0u;
};

namespace sim {
struct HookPlan;
}

struct SimOptions {
  size_t max_outcomes = 4096;     ///< forks beyond this are cut (TraceResult::truncated)
  size_t max_rules = 200000;      ///< evaluation budget per outcome (loop guard)
  bool include_legacy = true;     ///< run Backend::kIptablesLegacy tables
  /// The hook lists of PlanHooks(rs) for the ruleset simulated, shared by many simulations;
  /// ignored (and built anew) when made for another Ruleset object or legacy choice.
  std::shared_ptr<const sim::HookPlan> plan;
  /// Interfaces, addresses, routes and sysctls to simulate with instead of the ruleset's
  /// (lint: AssumedOutside when no interfaces were captured).
  std::shared_ptr<const HostContext> host;
  /// Non-empty: stop as soon as one outcome has this verdict (an "is there a path that
  /// accepts?" question); TraceResult::stopped tells that outcomes may be missing.
  std::string stop_at;
};

/// The base chains of every hook in run order, computed once for a ruleset that does not
/// change while the plan is used (lint's probe rules simulate thousands of packets).
std::shared_ptr<const sim::HookPlan> PlanHooks(const Ruleset& rs, bool include_legacy = true);

/// One line of the trace, as `nft monitor trace` prints it: a rule that matched fully
/// (verdict continue for rules without one), or a base chain's policy (no handle).
struct TraceStep {
  Hook hook = Hook::kNone;
  Family family = Family::kIp;
  std::string table, chain;
  std::string base_chain;            ///< the base chain this traversal started in
  std::optional<uint64_t> handle;    ///< nullopt: the policy of base_chain
  std::string rule;                  ///< rule text (nft syntax; legacy: the iptables line)
  std::string verdict;               ///< accept drop continue return queue "jump X" "goto X"
  bool legacy = false;               ///< an iptables-legacy chain (invisible to nft trace)
  bool tie = false;                  ///< base chain shares hook and priority with another
  std::string owner = "unknown";     ///< owner of the rule (or chain, table)
  const Table* table_ref = nullptr;
  const Chain* chain_ref = nullptr;  ///< the chain holding the rule (policy: the base chain)
  const Rule* rule_ref = nullptr;    ///< nullptr for a policy step
  bool is_policy() const { return !handle.has_value(); }
};

/// A packet address and ports as text ("any" where unknown).
struct PacketView {
  std::string iif, oif, src, dst, proto, sport, dport;
};

/// One possible fate of the packet, and the condition that leads to it.
struct Outcome {
  std::string verdict;      ///< accept (delivered or sent), drop, reject, queue
  std::string condition;    ///< "" when unconditional; forks joined by " and "
  std::vector<TraceStep> steps;
  std::optional<Hook> final_hook;  ///< the hook where it died (drop/reject/queue)
  std::string delivered;    ///< "host", or the output interface; empty when it died
  PacketView original, final;  ///< before and after NAT
  std::string dnat, snat;   ///< "198.51.100.10:8082 -> 172.17.0.2:80" or empty
  const TraceStep* decided_by() const;  ///< the step that decided (last one), or nullptr
  std::vector<std::string> notes;  ///< assumptions and unknowns on this path
};

struct TraceResult {
  std::string verdict;      ///< accept drop reject queue, or depends when outcomes differ
  std::vector<Outcome> outcomes;
  bool truncated = false;
  bool stopped = false;     ///< SimOptions::stop_at was reached; later paths not run
  std::vector<std::string> warnings;
};

/// Walks the packet through every hook of its path.
TraceResult Simulate(const Ruleset& rs, const PacketQuery& q, const SimOptions& opt = {});

/// Runs only the base chains of one hook (no routing, no other hook). iif/oif come from
/// the query as given (unset = any name; set oif to "" for "no output device").
TraceResult SimulateHook(const Ruleset& rs, Hook hook, const PacketQuery& q,
                         const SimOptions& opt = {});

/// The forward hook alone for a new connection from `iif` to `oif`, every other field any.
TraceResult SimulateForwardPair(const Ruleset& rs, const std::string& iif, const std::string& oif,
                                bool ipv6 = false, const SimOptions& opt = {});

/// How one base chain ended for an outcome at a hook.
struct ChainVerdict {
  const Table* table = nullptr;
  const Chain* chain = nullptr;   ///< the base chain
  std::string verdict;            ///< accept, drop, queue (reject counts as drop)
  bool by_policy = false;         ///< decided by the chain policy
  const TraceStep* step = nullptr;  ///< the deciding step (rule or policy)
};

/// Per base chain of `hook` that this outcome traversed: its verdict, in run order.
/// Chains that printed no step (no rule matched, policy not reached) are absent only when
/// the packet never got to them.
std::vector<ChainVerdict> ChainVerdicts(const Outcome& o, Hook hook);

/// True when the outcome went through `hook` and no chain there dropped it.
bool PassedHook(const Outcome& o, Hook hook);

/// Output formats of `nft-coexist trace`.
std::string TraceToJson(const TraceResult& r);
std::string TraceToText(const TraceResult& r);

/// Parses "192.0.2.1" or "2001:db8::1". Returns false on malformed input.
bool ParseIpAddress(const std::string& s, u128& out, bool& v6);
std::string FormatIpAddress(u128 a, bool v6);

}  // namespace nftc
