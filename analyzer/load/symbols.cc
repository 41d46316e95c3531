#include "load/symbols.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <utility>
#include <vector>

namespace nftc {

namespace {

struct Sym {
  std::string_view name;
  uint32_t value;
};

// Values from nftables' datatype tables (src/proto.c, src/ct.c, src/fib.c, src/meta.c)
// and the kernel's uapi headers.
constexpr Sym kInetProto[] = {{"ip", 0},       {"icmp", 1},    {"igmp", 2},   {"ipip", 4},   {"tcp", 6},
                              {"egp", 8},      {"pup", 12},    {"udp", 17},   {"idp", 22},   {"dccp", 33},
                              {"ipv6", 41},    {"ipv6-route", 43}, {"ipv6-frag", 44}, {"rsvp", 46},
                              {"gre", 47},     {"esp", 50},    {"ah", 51},    {"icmpv6", 58}, {"ipv6-icmp", 58},
                              {"ipv6-nonxt", 59}, {"ipv6-opts", 60}, {"ospf", 89}, {"ipcomp", 108},
                              {"vrrp", 112},   {"l2tp", 115},  {"sctp", 132}, {"udplite", 136}, {"mpls-in-ip", 137}};
constexpr Sym kNfProto[] = {{"inet", 1}, {"ipv4", 2}, {"arp", 3}, {"netdev", 5}, {"bridge", 7}, {"ipv6", 10}};
constexpr Sym kCtState[] = {{"invalid", 1}, {"established", 2}, {"related", 4}, {"new", 8}, {"untracked", 64}};
constexpr Sym kCtStatus[] = {{"expected", 1}, {"seen-reply", 2}, {"assured", 4}, {"confirmed", 8},
                             {"snat", 16},    {"dnat", 32},       {"dying", 512}};
constexpr Sym kCtDir[] = {{"original", 0}, {"reply", 1}};
constexpr Sym kFibType[] = {{"unspec", 0},    {"unicast", 1},  {"local", 2},       {"broadcast", 3},
                            {"anycast", 4},   {"multicast", 5}, {"blackhole", 6},  {"unreachable", 7},
                            {"prohibit", 8},  {"throw", 9},    {"nat", 10},        {"xresolve", 11}};
constexpr Sym kIcmpType[] = {{"echo-reply", 0},           {"destination-unreachable", 3},
                             {"source-quench", 4},        {"redirect", 5},
                             {"echo-request", 8},         {"router-advertisement", 9},
                             {"router-solicitation", 10}, {"time-exceeded", 11},
                             {"parameter-problem", 12},   {"timestamp-request", 13},
                             {"timestamp-reply", 14},     {"info-request", 15},
                             {"info-reply", 16},          {"address-mask-request", 17},
                             {"address-mask-reply", 18}};
constexpr Sym kIcmp6Type[] = {{"destination-unreachable", 1}, {"packet-too-big", 2},
                              {"time-exceeded", 3},           {"parameter-problem", 4},
                              {"echo-request", 128},          {"echo-reply", 129},
                              {"mld-listener-query", 130},    {"mld-listener-report", 131},
                              {"mld-listener-done", 132},     {"mld-listener-reduction", 132},
                              {"nd-router-solicit", 133},     {"nd-router-advert", 134},
                              {"nd-neighbor-solicit", 135},   {"nd-neighbor-advert", 136},
                              {"nd-redirect", 137},           {"router-renumbering", 138},
                              {"ind-neighbor-solicit", 141},  {"ind-neighbor-advert", 142},
                              {"mld2-listener-report", 143}};
constexpr Sym kIcmpCode[] = {{"net-unreachable", 0},  {"host-unreachable", 1}, {"prot-unreachable", 2},
                             {"port-unreachable", 3}, {"frag-needed", 4},      {"net-prohibited", 9},
                             {"host-prohibited", 10}, {"admin-prohibited", 13}, {"no-route", 0},
                             {"addr-unreachable", 3}, {"policy-fail", 5},      {"reject-route", 6}};
constexpr Sym kPktType[] = {{"host", 0}, {"unicast", 0}, {"broadcast", 1}, {"multicast", 2}, {"other", 3}};
constexpr Sym kTcpFlags[] = {{"fin", 1}, {"syn", 2},  {"rst", 4},  {"psh", 8},
                             {"ack", 16}, {"urg", 32}, {"ecn", 64}, {"cwr", 128}};
constexpr Sym kEtherType[] = {{"ip", 0x0800}, {"arp", 0x0806}, {"ip6", 0x86dd}, {"vlan", 0x8100}, {"8021q", 0x8100},
                              {"8021ad", 0x88a8}};
constexpr Sym kServices[] = {{"ftp-data", 20}, {"ftp", 21},      {"ssh", 22},       {"telnet", 23},  {"smtp", 25},
                             {"domain", 53},   {"bootps", 67},   {"bootpc", 68},    {"tftp", 69},    {"http", 80},
                             {"kerberos", 88}, {"pop3", 110},    {"sunrpc", 111},   {"ntp", 123},    {"imap", 143},
                             {"snmp", 161},    {"ldap", 389},    {"https", 443},    {"submission", 587},
                             {"ldaps", 636},   {"imaps", 993},   {"pop3s", 995},    {"openvpn", 1194},
                             {"mysql", 3306},  {"postgresql", 5432}, {"dhcpv6-client", 546},
                             {"dhcpv6-server", 547}, {"http-alt", 8080}, {"webcache", 8080}};
constexpr Sym kBool[] = {{"exists", 1}, {"missing", 0}, {"true", 1}, {"false", 0}};

template <size_t N>
std::optional<u128> Find(const Sym (&table)[N], std::string_view s) {
  for (const auto& e : table)
    if (e.name == s) return e.value;
  return std::nullopt;
}

template <size_t N>
std::string_view Name(const Sym (&table)[N], u128 v) {
  for (const auto& e : table)
    if (e.value == v) return e.name;
  return {};
}

std::string U128ToString(u128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v) {
    s.insert(s.begin(), char('0' + int(v % 10)));
    v /= 10;
  }
  return s;
}

}  // namespace

std::optional<u128> ParseNumber(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  u128 v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    if (v > (~u128(0) - u128(d)) / u128(base)) return std::nullopt;  // overflow
    v = v * base + d;
  }
  return v;
}

DataType ParseDataTypeName(std::string_view n) {
  static const std::pair<std::string_view, DataType> kNames[] = {
      {"ipv4_addr", DataType::kIpv4Addr},   {"ipv6_addr", DataType::kIpv6Addr},
      {"inet_service", DataType::kInetService}, {"inet_proto", DataType::kInetProto},
      {"nf_proto", DataType::kNfProto},     {"ifname", DataType::kIfname},
      {"iface_index", DataType::kIfindex},  {"mark", DataType::kMark},
      {"ct_state", DataType::kCtState},     {"ct_status", DataType::kCtStatus},
      {"ct_dir", DataType::kCtDir},         {"fib_addrtype", DataType::kFibAddrType},
      {"icmp_type", DataType::kIcmpType},   {"icmpv6_type", DataType::kIcmpv6Type},
      {"icmp_code", DataType::kIcmpCode},   {"icmpx_code", DataType::kIcmpCode},
      {"tcp_flag", DataType::kTcpFlags},    {"ether_addr", DataType::kEtherAddr},
      {"ether_type", DataType::kEtherType}, {"pkt_type", DataType::kPktType},
      {"verdict", DataType::kVerdict},      {"string", DataType::kString},
      {"integer", DataType::kInteger},      {"boolean", DataType::kBoolean},
      {"ipsec_spi", DataType::kInteger},    {"dscp", DataType::kInteger},
      {"ecn", DataType::kInteger},          {"uid", DataType::kInteger},
      {"gid", DataType::kInteger},          {"realm", DataType::kInteger},
      {"ct_label", DataType::kInteger},     {"time", DataType::kInteger},
      {"classid", DataType::kInteger},      {"devgroup", DataType::kInteger},
      {"cgroupsv2", DataType::kString},     {"day", DataType::kInteger},
      {"hour", DataType::kInteger},         {"iface_type", DataType::kInteger},
  };
  for (const auto& [k, v] : kNames)
    if (k == n) return v;
  return DataType::kUnknown;
}

uint8_t DataTypeBits(DataType t) {
  switch (t) {
    case DataType::kIpv4Addr: return 32;
    case DataType::kIpv6Addr: return 128;
    case DataType::kInetService: return 16;
    case DataType::kInetProto: return 8;
    case DataType::kNfProto: return 8;
    case DataType::kIfindex: return 32;
    case DataType::kMark: return 32;
    case DataType::kCtState: return 32;
    case DataType::kCtStatus: return 32;
    case DataType::kCtDir: return 8;
    case DataType::kFibAddrType: return 32;
    case DataType::kIcmpType: return 8;
    case DataType::kIcmpv6Type: return 8;
    case DataType::kIcmpCode: return 8;
    case DataType::kTcpFlags: return 8;
    case DataType::kEtherAddr: return 48;
    case DataType::kEtherType: return 16;
    case DataType::kPktType: return 8;
    case DataType::kBoolean: return 8;
    case DataType::kInteger: return 32;
    default: return 0;
  }
}

bool IsBitmaskType(DataType t) {
  return t == DataType::kCtState || t == DataType::kCtStatus || t == DataType::kTcpFlags;
}

std::optional<u128> LookupSymbol(DataType t, std::string_view s) {
  switch (t) {
    case DataType::kInetProto: return Find(kInetProto, s);
    case DataType::kNfProto: return Find(kNfProto, s);
    case DataType::kCtState: return Find(kCtState, s);
    case DataType::kCtStatus: return Find(kCtStatus, s);
    case DataType::kCtDir: return Find(kCtDir, s);
    case DataType::kFibAddrType: return Find(kFibType, s);
    case DataType::kIcmpType: return Find(kIcmpType, s);
    case DataType::kIcmpv6Type: return Find(kIcmp6Type, s);
    case DataType::kIcmpCode: return Find(kIcmpCode, s);
    case DataType::kPktType: return Find(kPktType, s);
    case DataType::kTcpFlags: return Find(kTcpFlags, s);
    case DataType::kEtherType: return Find(kEtherType, s);
    case DataType::kInetService: return Find(kServices, s);
    case DataType::kBoolean: return Find(kBool, s);
    default: return std::nullopt;
  }
}

std::optional<u128> ParseIpAddress(std::string_view s, bool* v6) {
  if (s.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  unsigned char out[16];
  if (inet_pton(AF_INET, buf, out) == 1) {
    if (v6) *v6 = false;
    return (u128(out[0]) << 24) | (u128(out[1]) << 16) | (u128(out[2]) << 8) | u128(out[3]);
  }
  if (inet_pton(AF_INET6, buf, out) == 1) {
    if (v6) *v6 = true;
    u128 v = 0;
    for (unsigned char c : out) v = (v << 8) | c;
    return v;
  }
  return std::nullopt;
}

std::string FormatIp(u128 a, bool v6) {
  char buf[INET6_ADDRSTRLEN];
  if (!v6) {
    unsigned char b[4] = {uint8_t(a >> 24), uint8_t(a >> 16), uint8_t(a >> 8), uint8_t(a)};
    inet_ntop(AF_INET, b, buf, sizeof buf);
  } else {
    unsigned char b[16];
    for (int i = 15; i >= 0; --i) {
      b[i] = uint8_t(a);
      a >>= 8;
    }
    inet_ntop(AF_INET6, b, buf, sizeof buf);
  }
  return buf;
}

Value MakeValue(DataType t, u128 number) { return Value::Int(number, DataTypeBits(t)); }

Value MakeValue(DataType t, std::string_view text, bool* ok) {
  if (ok) *ok = true;
  if (t == DataType::kIfname || t == DataType::kIfindex || t == DataType::kString)
    return Value::Str(std::string(text));
  if (t == DataType::kIpv4Addr || t == DataType::kIpv6Addr || t == DataType::kUnknown) {
    bool v6 = false;
    if (auto a = ParseIpAddress(text, &v6)) return Value::Int(*a, v6 ? 128 : 32);
  }
  if (auto sym = LookupSymbol(t, text)) return MakeValue(t, *sym);
  if (auto n = ParseNumber(text)) return MakeValue(t, *n);
  if (t == DataType::kEtherAddr) {
    u128 v = 0;
    int parts = 0;
    size_t i = 0;
    while (i < text.size()) {
      size_t j = text.find(':', i);
      if (j == std::string_view::npos) j = text.size();
      auto n = ParseNumber(std::string("0x") + std::string(text.substr(i, j - i)));
      if (!n) break;
      v = (v << 8) | *n;
      ++parts;
      i = j + 1;
    }
    if (parts == 6) return Value::Int(v, 48);
  }
  if (ok) *ok = (t == DataType::kUnknown);
  return Value::Str(std::string(text));
}

std::string FormatValue(const Value& v, DataType t) {
  if (v.kind == Value::Kind::kString) {
    if (t == DataType::kIfname || t == DataType::kIfindex || t == DataType::kString || t == DataType::kUnknown)
      return "\"" + v.str + "\"";
    return v.str;
  }
  if (v.kind == Value::Kind::kNone) return "?";
  std::string_view n;
  switch (t) {
    case DataType::kIpv4Addr: return FormatIp(v.num, false);
    case DataType::kIpv6Addr: return FormatIp(v.num, true);
    case DataType::kInetProto: n = Name(kInetProto, v.num); break;
    case DataType::kNfProto: n = Name(kNfProto, v.num); break;
    case DataType::kCtDir: n = Name(kCtDir, v.num); break;
    case DataType::kFibAddrType: n = Name(kFibType, v.num); break;
    case DataType::kIcmpType: n = Name(kIcmpType, v.num); break;
    case DataType::kIcmpv6Type: n = Name(kIcmp6Type, v.num); break;
    case DataType::kPktType: n = Name(kPktType, v.num); break;
    case DataType::kEtherType: n = Name(kEtherType, v.num); break;
    case DataType::kCtState:
    case DataType::kCtStatus:
    case DataType::kTcpFlags: {
      std::string out;
      u128 rest = v.num;
      auto add = [&](const Sym* b, const Sym* e) {
        for (auto* p = b; p != e; ++p)
          if (p->value && (rest & p->value) == p->value) {
            if (!out.empty()) out += ",";
            out += p->name;
            rest &= ~u128(p->value);
          }
      };
      if (t == DataType::kCtState) add(std::begin(kCtState), std::end(kCtState));
      else if (t == DataType::kCtStatus) add(std::begin(kCtStatus), std::end(kCtStatus));
      else add(std::begin(kTcpFlags), std::end(kTcpFlags));
      if (rest || out.empty()) {
        if (!out.empty()) out += ",";
        out += U128ToString(rest);
      }
      return out;
    }
    case DataType::kMark: {
      char buf[32];
      snprintf(buf, sizeof buf, "0x%08llx", (unsigned long long)v.num);
      return buf;
    }
    default: break;
  }
  if (!n.empty()) return std::string(n);
  if (v.bits == 32 && t == DataType::kUnknown && v.num > 0xffff) return FormatIp(v.num, false);
  return U128ToString(v.num);
}

}  // namespace nftc
