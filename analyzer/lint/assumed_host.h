// Lint's stand-in host when the input has no interfaces (a bare `nft -j list ruleset`):
// one outside interface with a documentation address, so that a probe "from outside to
// the host" has a concrete local destination. Without it every address-specific rule
// (Docker's per-container raw drops, kube-proxy's fib checks) forked the probe into "it
// depends", and a port published past the host firewall was never reported.
#pragma once

#include <memory>

#include "nftc/model.h"

namespace nftc {

inline constexpr const char* kAssumedOutsideIf = "eth0";
/// 198.51.100.1/24 (TEST-NET-2): eth0's address in the stand-in host.
inline constexpr u128 kAssumedOutsideAddr = 0xC6336401;
inline constexpr uint8_t kAssumedOutsidePlen = 24;

/// `h` with the stand-in outside interface added, or nullptr when `h` has interfaces.
std::shared_ptr<const HostContext> AssumedHost(const HostContext& h);

}  // namespace nftc
