// The host's routing as far as the simulator needs it: which destinations are local, which
// interface a destination leaves through, address types for `fib`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/state.h"

namespace nftc::sim {

/// One region of destination addresses and where routing sends it.
struct RouteHop {
  NumSet dst;
  bool local = false;     ///< one of the host's addresses (or loopback, broadcast, multicast)
  std::string dev;        ///< output interface ("lo" for local); empty when unknown
  std::string type = "unicast";  ///< route type: unicast, blackhole, unreachable, prohibit
  bool assumed = false;   ///< the default route was guessed (no routes captured)
};

/// Splits `dom` (destination addresses) by the routing decision.
std::vector<RouteHop> RoutePartition(const World& w, bool v6, const NumSet& dom);

/// The host's own addresses (all interfaces, or only `dev`), plus loopback when `dev` is null.
NumSet LocalAddrs(const HostContext& h, bool v6, const std::string* dev);
/// Limited and subnet-directed broadcast addresses (IPv4 only).
NumSet BroadcastAddrs(const HostContext& h, bool v6);
NumSet MulticastAddrs(bool v6);
/// The first (global) address of `dev` in the family, e.g. for masquerade.
std::optional<u128> PrimaryAddr(const HostContext& h, const std::string& dev, bool v6);
/// The default route's interface: from routes, else a guess (one UP uplink with a global
/// address that is not a container/VM bridge). Empty when unknown. Guesses are noted.
std::string DefaultDev(const HostContext& h, std::vector<std::string>& warnings);
/// Interface name without an "@peer" suffix ("eth0@eth0-peer" -> "eth0").
std::string BaseIfName(const std::string& n);
/// Is forwarding enabled for the family? nullopt when the sysctl was not captured.
std::optional<bool> ForwardingOn(const HostContext& h, bool v6);

}  // namespace nftc::sim
