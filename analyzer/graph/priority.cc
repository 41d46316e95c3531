// Named priorities, as nftables src/rule.c (std_prios, bridge_std_prios,
// std_prio_family_hook_compat, prio2str) and src/evaluate.c (std_prio_lookup) define them.
#include "nftc/priority.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "model/text.h"

namespace nftc {
namespace {

// nft looks names up in the ip table for every family except bridge; arp and netdev then
// only accept `filter` (std_prio_family_hook_compat).
const std::vector<NamedPriority> kIpPrios = {
    {"raw", -300}, {"mangle", -150}, {"dstnat", -100}, {"filter", 0}, {"security", 50}, {"srcnat", 100},
};
const std::vector<NamedPriority> kBridgePrios = {
    {"dstnat", -300}, {"filter", -200}, {"out", 100}, {"srcnat", 300},
};
const std::vector<NamedPriority> kFilterOnly = {{"filter", 0}};

const std::vector<NamedPriority>& LookupTable(Family f) {
  return f == Family::kBridge ? kBridgePrios : kIpPrios;
}

// A decimal integer, optionally signed; the whole string must be consumed.
std::optional<int64_t> ParseInt(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<int32_t> ToI32(int64_t v) {
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
    return std::nullopt;
  return static_cast<int32_t>(v);
}

}  // namespace

const std::vector<NamedPriority>& StandardPriorities(Family family) {
  switch (family) {
    case Family::kBridge: return kBridgePrios;
    case Family::kArp:
    case Family::kNetdev: return kFilterOnly;
    default: return kIpPrios;
  }
}

bool PriorityNameAllowed(Family family, Hook hook, int32_t value, PriorityStyle style) {
  const bool v109 = style == PriorityStyle::kNft109;
  if (family == Family::kBridge) {
    switch (value) {
      case -300: return hook == Hook::kPrerouting;
      case -200: return true;
      case 100: return hook == Hook::kOutput;
      case 300: return hook == Hook::kPostrouting;
      default: return false;
    }
  }
  const bool l3 = family == Family::kIp || family == Family::kIp6 || family == Family::kInet;
  switch (value) {
    case 0: return true;  // filter: inet/ip/ip6/arp/netdev
    case -300:
    case -150:
    case 50: return l3;
    case -100: return l3 && (hook == Hook::kPrerouting || (v109 && hook == Hook::kOutput));
    case 100: return l3 && (hook == Hook::kPostrouting || (v109 && hook == Hook::kInput));
    default: return false;
  }
}

std::optional<int32_t> ParsePriority(Family family, Hook hook, std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty()) return std::nullopt;
  if (auto n = ParseInt(s)) return ToI32(*n);
  // "<name>", "<name> + N", "<name> - N"; nft's scanner allows no space around the sign.
  size_t i = 0;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
  std::string_view name = s.substr(0, i);
  std::string_view rest = Trim(s.substr(i));
  int64_t offset = 0;
  if (!rest.empty()) {
    char sign = rest.front();
    if (sign != '+' && sign != '-') return std::nullopt;
    std::string_view num = Trim(rest.substr(1));
    if (num.empty() || !std::isdigit(static_cast<unsigned char>(num.front()))) return std::nullopt;
    auto n = ParseInt(num);
    if (!n) return std::nullopt;
    offset = sign == '+' ? *n : -*n;
  }
  for (const auto& p : LookupTable(family)) {
    if (p.name != name) continue;
    if (!PriorityNameAllowed(family, hook, p.value, PriorityStyle::kNft109)) return std::nullopt;
    return ToI32(int64_t{p.value} + offset);
  }
  return std::nullopt;
}

std::string RenderPriority(Family family, Hook hook, int32_t prio, PriorityStyle style) {
  constexpr int64_t kReach = 10;
  for (const auto& p : LookupTable(family)) {
    int64_t off = int64_t{prio} - p.value;
    if (std::llabs(off) > kReach) continue;
    // prio2str stops at the first standard priority in reach, named or not.
    if (!PriorityNameAllowed(family, hook, p.value, style)) break;
    std::string out(p.name);
    if (off > 0) out += " + " + std::to_string(off);
    if (off < 0) out += " - " + std::to_string(-off);
    return out;
  }
  return std::to_string(prio);
}

std::optional<int32_t> ClassicPriority(Family family, std::string_view table, std::string_view chain,
                                       Backend backend) {
  auto one_of = [&](std::initializer_list<std::string_view> names) {
    for (auto n : names)
      if (n == chain) return true;
    return false;
  };
  if (family == Family::kIp || family == Family::kIp6) {
    if (table == "raw" && one_of({"PREROUTING", "OUTPUT"})) return -300;
    if (table == "mangle" && one_of({"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"}))
      return -150;
    if (table == "nat") {
      if (one_of({"PREROUTING", "OUTPUT"})) return -100;
      if (one_of({"INPUT", "POSTROUTING"})) return 100;
    }
    if (table == "filter" && one_of({"INPUT", "FORWARD", "OUTPUT"})) return 0;
    // iptables-nft registers security at 150, x_tables' iptable_security at 50.
    if (table == "security" && one_of({"INPUT", "FORWARD", "OUTPUT"}))
      return backend == Backend::kIptablesLegacy ? 50 : 150;
    return std::nullopt;
  }
  if (family == Family::kBridge) {
    if (table == "filter" && one_of({"INPUT", "FORWARD", "OUTPUT"})) return -200;
    if (table == "nat") {
      if (chain == "PREROUTING") return -300;
      if (chain == "OUTPUT") return 100;
      if (chain == "POSTROUTING") return 300;
    }
    return std::nullopt;
  }
  if (family == Family::kArp && table == "filter" && one_of({"INPUT", "OUTPUT", "FORWARD"})) return 0;
  return std::nullopt;
}

}  // namespace nftc
