// The hook graph: for every pipeline (IPv4, IPv6, bridge, arp, netdev per device) and hook,
// the base chains of all tables in the order the kernel runs them, with the kernel's own
// fixed points (defrag, conntrack, NAT core, SELinux, helper, confirm) as markers.
//
// Kernel facts it encodes (shared/docs/netfilter-semantics.md):
//  - every base chain on a hook runs, in ascending priority (§1); `inet` chains are
//    registered on both the IPv4 and the IPv6 hook; iptables-legacy chains take part at
//    their classic priorities (§5);
//  - all NAT chains (ChainType::kNat) of a hook run inside the NAT core's slot (-100 at
//    prerouting/output, 100 at postrouting/input), among themselves by their own priority;
//    the first one that binds wins (§3);
//  - equal priorities run in registration order, which the analysis cannot know: they form
//    a tie group (§1).
// The graph points into the Ruleset it was built from; keep that alive and unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nftc/model.h"

namespace nftc {

/// One L3/L2 pipeline. Netdev pipelines are per device (HookView::device).
enum class Pipeline : uint8_t { kIpv4, kIpv6, kBridge, kArp, kNetdev };
std::string_view ToString(Pipeline p);

/// Kernel-internal fixed points on a hook (include/uapi/linux/netfilter_ipv4.h).
enum class MarkerKind : uint8_t {
  kDefrag,           ///< conntrack defrag, -400 (prerouting, output)
  kSelinuxFirst,     ///< SELinux, -225 (forward, output); only with SELinux enabled
  kConntrack,        ///< conntrack lookup, -200 (prerouting, output)
  kNatCore,          ///< the NAT core slot: -100 prerouting/output, 100 postrouting/input
  kSelinuxLast,      ///< SELinux, 225 (postrouting)
  kConntrackHelper,  ///< conntrack helpers, 300 (postrouting, input)
  kConfirm,          ///< conntrack confirm, INT_MAX (postrouting, input)
  kFlowtable,        ///< a flowtable's ingress hook on a device (netdev pipeline); established
                     ///< flows offloaded there skip prerouting/forward/postrouting of every
                     ///< table (semantics §4). GraphEntry::table is the flowtable's table.
};
std::string_view ToString(MarkerKind m);

/// One row of a hook: a base chain or a kernel marker.
struct GraphEntry {
  enum class Kind : uint8_t { kChain, kMarker };
  Kind kind = Kind::kChain;
  /// The priority the entry is ordered by: the chain's own priority, or the marker's.
  /// NAT chains keep their own priority here; they run at their slot's position.
  int32_t prio = 0;
  /// True for NAT chains: they run inside the preceding kNatCore marker's slot.
  bool in_nat_slot = false;
  int tie = -1;  ///< index into HookView::ties, or -1

  // kChain (and kFlowtable markers: the flowtable's table and the flowtable)
  const Table* table = nullptr;
  const Flowtable* flowtable = nullptr;
  const Chain* chain = nullptr;
  // kMarker
  MarkerKind marker = MarkerKind::kConntrack;
  std::string label;  ///< "conntrack", "NAT core (dstnat)", ...
  std::string note;   ///< "only with SELinux enabled", ...

  bool IsChain() const { return kind == Kind::kChain; }
  /// Owner of a chain entry ("kernel" for markers).
  std::string_view Owner() const;
};

/// Entries that share one position: equal priority at top level, or equal priority among
/// the NAT chains of one slot. Their relative order is registration order: undefined.
struct TieGroup {
  int32_t prio = 0;
  bool in_nat_slot = false;
  std::vector<size_t> entries;  ///< indices into HookView::entries, in listed order
};

/// One hook of one pipeline, entries in kernel order.
struct HookView {
  Pipeline pipeline = Pipeline::kIpv4;
  std::string device;  ///< netdev pipelines: the device ("" if the chain names none)
  Hook hook = Hook::kNone;
  std::vector<GraphEntry> entries;
  std::vector<TieGroup> ties;

  /// Number of chain entries.
  size_t ChainCount() const;
};

/// Chains on the same pipeline+hook+priority (a tie group) that differ in owner or table:
/// their order is undefined, and they come from different places.
struct PriorityClash {
  const HookView* hook = nullptr;
  const TieGroup* tie = nullptr;
  std::vector<const GraphEntry*> chains;  ///< the chain entries of the tie group
  bool owners_differ = false;             ///< at least two distinct owners
};

/// The hook graph of a whole ruleset.
class HookGraph {
 public:
  /// Builds the graph. Owners are read from Chain::owner (run AttributeOwners first to get
  /// them). Only hooks with at least one base chain (or, for netdev ingress, a flowtable)
  /// are included; markers of the kernel are added to those.
  static HookGraph Build(const Ruleset& rs);

  /// All hook views, ordered by pipeline, device, then hook in packet order (ingress,
  /// prerouting, input, forward, output, postrouting, egress).
  const std::vector<HookView>& hooks() const { return hooks_; }
  /// The view of one hook, or nullptr when no chain is registered there.
  const HookView* Find(Pipeline p, Hook h, std::string_view device = {}) const;
  /// Every tie group with two or more chains that differ in table or owner.
  std::vector<PriorityClash> Clashes() const;

 private:
  std::vector<HookView> hooks_;
};

/// The pipelines a chain of `family` at `hook` is registered on (inet: IPv4 and IPv6;
/// inet ingress and netdev: kNetdev).
std::vector<Pipeline> PipelinesOf(Family family, Hook hook);

}  // namespace nftc
