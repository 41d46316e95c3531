// Minimal raw netlink requests that libnftables does not expose: the nf_tables ruleset
// generation id (NFT_MSG_GETGEN) and creating a dummy interface in a throwaway namespace.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace nftc::live {

/// The current nf_tables generation id of the calling thread's network namespace. The
/// kernel bumps it on every committed ruleset change (any table, chain, rule, set or
/// element), so equal ids before and after a read prove that the read saw one ruleset.
/// Read-only (a GET request). nullopt with `err` set when it cannot be read.
std::optional<uint32_t> ReadNftGenId(std::string* err);

/// Creates a placeholder interface `name` (RTM_NEWLINK) in the calling thread's network
/// namespace: kind "dummy", or "ifb" / "bridge" on kernels built without dummy. Used only
/// inside a namespace this process created itself. An existing `name` counts as success.
bool AddPlaceholderInterface(const std::string& name, std::string* err);

}  // namespace nftc::live
