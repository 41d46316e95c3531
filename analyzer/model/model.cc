// Names and lookups of the model types.
#include <stdexcept>
#include "nftc/model.h"

#include <array>

namespace nftc {

namespace {
constexpr std::array<std::string_view, 6> kFamilies = {"ip", "ip6", "inet", "arp", "bridge", "netdev"};
constexpr std::array<std::string_view, 8> kHooks = {"prerouting", "input",   "forward", "output",
                                                    "postrouting", "ingress", "egress",  "none"};
constexpr std::array<std::string_view, 3> kChainTypes = {"filter", "nat", "route"};
}  // namespace

std::string_view ToString(Family f) { return kFamilies[static_cast<size_t>(f)]; }
std::string_view ToString(Hook h) { return kHooks[static_cast<size_t>(h)]; }
std::string_view ToString(ChainType t) { return kChainTypes[static_cast<size_t>(t)]; }
std::string_view ToString(Backend b) {
  switch (b) {
    case Backend::kNftables: return "nftables";
    case Backend::kIptablesNft: return "iptables-nft";
    case Backend::kIptablesLegacy: return "iptables-legacy";
  }
  return "?";
}

std::optional<Family> ParseFamily(std::string_view s) {
  for (size_t i = 0; i < kFamilies.size(); ++i)
    if (kFamilies[i] == s) return static_cast<Family>(i);
  return std::nullopt;
}
std::optional<Hook> ParseHook(std::string_view s) {
  for (size_t i = 0; i + 1 < kHooks.size(); ++i)
    if (kHooks[i] == s) return static_cast<Hook>(i);
  return std::nullopt;
}
std::optional<ChainType> ParseChainType(std::string_view s) {
  for (size_t i = 0; i < kChainTypes.size(); ++i)
    if (kChainTypes[i] == s) return static_cast<ChainType>(i);
  return std::nullopt;
}

std::string_view ToString(VerdictKind v) {
  switch (v) {
    case VerdictKind::kNone: return "none";
    case VerdictKind::kAccept: return "accept";
    case VerdictKind::kDrop: return "drop";
    case VerdictKind::kContinue: return "continue";
    case VerdictKind::kReturn: return "return";
    case VerdictKind::kJump: return "jump";
    case VerdictKind::kGoto: return "goto";
    case VerdictKind::kQueue: return "queue";
  }
  return "?";
}

std::string_view ToString(MatchOp op) {
  switch (op) {
    case MatchOp::kImplicit: return "";
    case MatchOp::kEq: return "==";
    case MatchOp::kNe: return "!=";
    case MatchOp::kLt: return "<";
    case MatchOp::kGt: return ">";
    case MatchOp::kLe: return "<=";
    case MatchOp::kGe: return ">=";
    case MatchOp::kIn: return "in";
  }
  return "?";
}

std::string_view ToString(DataType t) {
  switch (t) {
    case DataType::kUnknown: return "unknown";
    case DataType::kInteger: return "integer";
    case DataType::kIpv4Addr: return "ipv4_addr";
    case DataType::kIpv6Addr: return "ipv6_addr";
    case DataType::kInetService: return "inet_service";
    case DataType::kInetProto: return "inet_proto";
    case DataType::kNfProto: return "nf_proto";
    case DataType::kIfname: return "ifname";
    case DataType::kIfindex: return "iface_index";
    case DataType::kMark: return "mark";
    case DataType::kCtState: return "ct_state";
    case DataType::kCtStatus: return "ct_status";
    case DataType::kCtDir: return "ct_dir";
    case DataType::kFibAddrType: return "fib_addrtype";
    case DataType::kIcmpType: return "icmp_type";
    case DataType::kIcmpv6Type: return "icmpv6_type";
    case DataType::kIcmpCode: return "icmp_code";
    case DataType::kTcpFlags: return "tcp_flag";
    case DataType::kEtherAddr: return "ether_addr";
    case DataType::kEtherType: return "ether_type";
    case DataType::kPktType: return "pkt_type";
    case DataType::kVerdict: return "verdict";
    case DataType::kString: return "string";
    case DataType::kBoolean: return "boolean";
  }
  return "?";
}

Value& ValueList::Throw() { throw std::out_of_range("ValueList::at"); }

void Table::Reindex() {
  chain_index.clear();
  set_index.clear();
  for (uint32_t i = 0; i < chains.size(); ++i) chain_index.emplace(chains[i].name, i);
  for (uint32_t i = 0; i < sets.size(); ++i) set_index.emplace(sets[i].name, i);
}

const Chain* Table::FindChain(std::string_view n) const {
  if (chain_index.size() == chains.size()) {
    auto it = chain_index.find(n);
    if (it == chain_index.end()) return nullptr;
    if (it->second < chains.size() && chains[it->second].name == n) return &chains[it->second];
  }
  for (const auto& c : chains)
    if (c.name == n) return &c;
  return nullptr;
}
Chain* Table::FindChain(std::string_view n) {
  return const_cast<Chain*>(static_cast<const Table*>(this)->FindChain(n));
}
const Set* Table::FindSet(std::string_view n) const {
  if (set_index.size() == sets.size()) {
    auto it = set_index.find(n);
    if (it == set_index.end()) return nullptr;
    if (it->second < sets.size() && sets[it->second].name == n) return &sets[it->second];
  }
  for (const auto& s : sets)
    if (s.name == n) return &s;
  return nullptr;
}
Set* Table::FindSet(std::string_view n) { return const_cast<Set*>(static_cast<const Table*>(this)->FindSet(n)); }

std::string Table::Id() const {
  std::string s = std::string(ToString(family)) + " " + name;
  if (backend == Backend::kIptablesLegacy) s += " (legacy)";
  return s;
}

const Interface* HostContext::FindInterface(std::string_view name) const {
  for (const auto& i : interfaces)
    if (i.name == name) return &i;
  return nullptr;
}
std::optional<std::string> HostContext::Sysctl(std::string_view key) const {
  auto it = sysctl.find(std::string(key));
  if (it == sysctl.end()) return std::nullopt;
  return it->second;
}

const Table* Ruleset::FindTable(Family f, std::string_view name, Backend b) const {
  for (const auto& t : tables) {
    bool legacy = t.backend == Backend::kIptablesLegacy;
    if (t.family == f && t.name == name && legacy == (b == Backend::kIptablesLegacy)) return &t;
  }
  return nullptr;
}
Table* Ruleset::FindTable(Family f, std::string_view name, Backend b) {
  return const_cast<Table*>(static_cast<const Ruleset*>(this)->FindTable(f, name, b));
}
size_t Ruleset::ChainCount() const {
  size_t n = 0;
  for (const auto& t : tables) n += t.chains.size();
  return n;
}
size_t Ruleset::RuleCount() const {
  size_t n = 0;
  for (const auto& t : tables)
    for (const auto& c : t.chains) n += c.rules.size();
  return n;
}

}  // namespace nftc
