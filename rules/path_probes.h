// Shared helpers of the packet-path rules (NC3002-NC3004): the ports programs DNAT, the
// host's outside interfaces, and probe packets for the simulator.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "nftc/model.h"
#include "nftc/packet_path.h"

namespace nftc::probes {

/// A port that may be DNAT'ed: from a DNAT rule's `dport` match (rule set), or from a set or
/// map key of a table that DNATs (rule nullptr; the simulator finds the DNAT rule).
struct DnatPort {
  const Table* table = nullptr;
  const Chain* chain = nullptr;
  const Rule* rule = nullptr;
  uint8_t proto = 6;   ///< 6 tcp, 17 udp
  uint16_t port = 0;
};

/// Candidate published ports: every `dnat` rule (nft, or iptables DNAT merged with its
/// arguments) that matches a fixed destination port (value or anonymous set), one entry per
/// port; plus inet_service keys of sets/maps in tables that DNAT. Probe them with Simulate.
std::vector<DnatPort> FindDnatPorts(const Ruleset& rs);

/// An interface packets arrive on from outside: not loopback, not a bridge or veth of a
/// container or VM network. With its first IPv4 address (0 when none is known).
struct OutsideIf {
  std::string name;
  std::optional<u128> addr4;
  bool assumed = false;  ///< the stand-in of lint/assumed_host.h (no interfaces captured)
};
/// " (eth0 and 198.51.100.1 assumed: the input has no interfaces)" for a stand-in, else "".
std::string AssumedNote(const OutsideIf& i);
/// The host's outside interfaces; when interfaces were not captured, the stand-in "eth0"
/// with 198.51.100.1 (lint/assumed_host.h; simulate with RuleContext::SimOpts).
std::vector<OutsideIf> OutsideInterfaces(const Ruleset& rs);

/// True for names of container/VM bridges and their ports (docker0, br-*, virbr*, veth*, ...).
bool IsGuestSideInterface(const std::string& name);

/// A new connection from outside to the host on `port`.
PacketQuery InboundQuery(const OutsideIf& i, uint8_t proto, uint16_t port,
                         std::optional<u128> src = std::nullopt);

/// The outcome in which the packet was DNAT'ed and sent out an interface (not delivered
/// to the host), or nullptr; nullptr also when some path of the packet dies.
const Outcome* ForwardedAfterDnat(const TraceResult& r);

/// The step of `o` whose rule did the DNAT, or nullptr.
const TraceStep* DnatStep(const Outcome& o);

/// "tcp" / "udp".
std::string ProtoName(uint8_t proto);

/// True when the rule's statements hold no match: an unconditional drop/reject.
bool IsCatchAll(const Rule& r);

/// True when step `s` of `o` is a drop that stands for "everything else" of its base chain:
/// the policy, or a rule without matches reached from the base chain through jumps without
/// matches only (a drop at the end of a chain a vmap dispatches to decides one destination
/// on purpose and does not count).
bool CatchAllDrop(const Outcome& o, const TraceStep& s);

}  // namespace nftc::probes
