#include "iptables/translate_util.h"

#include <arpa/inet.h>

#include <cctype>

#include "load/symbols.h"
#include <cstring>

namespace nftc::ipt::detail {

std::optional<uint64_t> ParseNum(std::string_view s, uint64_t max) {
  auto v = ParseNumber(s);  // the loaders share one number syntax (load/symbols.h)
  if (!v || *v > max) return std::nullopt;
  return static_cast<uint64_t>(*v);
}

std::optional<u128> ParseAddr(std::string_view s, bool v6) {
  if (s.empty() || s.size() > 63) return std::nullopt;
  char buf[64];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  unsigned char b[16];
  if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, b) != 1) return std::nullopt;
  u128 v = 0;
  for (int i = 0; i < (v6 ? 16 : 4); ++i) v = (v << 8) | b[i];
  return v;
}

std::optional<uint8_t> ProtoNumber(std::string_view s) {
  static const std::pair<const char*, uint8_t> kNames[] = {
      {"all", 0},      {"icmp", 1},       {"igmp", 2},   {"ipencap", 4}, {"ipip", 4},
      {"tcp", 6},      {"egp", 8},        {"udp", 17},   {"ipv6", 41},   {"gre", 47},
      {"esp", 50},     {"ah", 51},        {"ipv6-icmp", 58}, {"icmpv6", 58}, {"icmp6", 58},
      {"ospf", 89},    {"pim", 103},      {"vrrp", 112}, {"l2tp", 115},  {"sctp", 132},
      {"mh", 135},     {"ipv6-mh", 135},  {"udplite", 136}, {"dccp", 33}};
  std::string l;
  for (char c : s) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [n, v] : kNames)
    if (l == n) return v;
  if (auto n = ParseNum(s, 255)) return static_cast<uint8_t>(*n);
  return std::nullopt;
}

std::optional<uint16_t> ParsePort(std::string_view s) {
  if (auto n = ParseNum(s, 65535)) return static_cast<uint16_t>(*n);
  static const std::pair<const char*, uint16_t> kServices[] = {
      {"ftp", 21},   {"ssh", 22},    {"telnet", 23}, {"smtp", 25},   {"domain", 53}, {"bootps", 67},
      {"bootpc", 68}, {"tftp", 69},  {"http", 80},   {"pop3", 110},  {"ntp", 123},   {"imap", 143},
      {"snmp", 161}, {"ldap", 389},  {"https", 443}, {"smtps", 465}, {"submission", 587},
      {"imaps", 993}, {"pop3s", 995}, {"mysql", 3306}, {"postgresql", 5432}};
  for (const auto& [n, v] : kServices)
    if (s == n) return v;
  return std::nullopt;
}

Expr ValueExpr(u128 v, uint8_t bits, DataType t) {
  Expr e;
  e.kind = ExprKind::kValue;
  e.type = t;
  e.value = Value::Int(v, bits);
  return e;
}
Expr StrExpr(std::string s, DataType t) {
  Expr e;
  e.kind = ExprKind::kValue;
  e.type = t;
  e.value = Value::Str(std::move(s));
  return e;
}
Expr PayloadExpr(Field f, DataType t) {
  Expr e;
  e.kind = ExprKind::kPayload;
  e.type = t;
  e.key = static_cast<uint16_t>(f);
  return e;
}
Expr MetaExpr(MetaKey k, DataType t) {
  Expr e;
  e.kind = ExprKind::kMeta;
  e.type = t;
  e.key = static_cast<uint16_t>(k);
  return e;
}
Expr CtExpr(CtKey k, DataType t, CtDir dir) {
  Expr e;
  e.kind = ExprKind::kCt;
  e.type = t;
  e.key = static_cast<uint16_t>(k);
  e.aux = static_cast<uint32_t>(dir);
  return e;
}
Expr RangeExpr(Expr lo, Expr hi) {
  Expr e;
  e.kind = ExprKind::kRange;
  e.type = lo.type;
  e.kids = {std::move(lo), std::move(hi)};
  return e;
}
Expr BinopExpr(BinOp op, Expr a, Expr b) {
  Expr e;
  e.kind = ExprKind::kBinop;
  e.type = a.type;
  e.aux = static_cast<uint32_t>(op);
  e.kids = {std::move(a), std::move(b)};
  return e;
}
Expr AbsentExpr() {
  Expr e;
  e.kind = ExprKind::kSymbol;
  return e;
}

Stmt MatchStmt(Expr lhs, Expr rhs, bool neg, MatchOp op) {
  Stmt s;
  s.kind = StmtKind::kMatch;
  s.op = neg ? MatchOp::kNe : op;
  s.e = {std::move(lhs), std::move(rhs)};
  return s;
}
Stmt UnknownStmt(std::string what, std::string detail) {
  Stmt s;
  s.kind = StmtKind::kUnknown;
  s.text = std::move(what);
  s.json = std::move(detail);
  return s;
}
Stmt OtherStmt(std::string what) {
  Stmt s;
  s.kind = StmtKind::kOther;
  s.text = std::move(what);
  return s;
}

std::optional<Expr> AddrOperand(std::string_view s, bool v6, std::optional<u128>* mask) {
  const uint8_t bits = v6 ? 128 : 32;
  const DataType t = v6 ? DataType::kIpv6Addr : DataType::kIpv4Addr;
  const u128 all = v6 ? ~u128{0} : u128{0xffffffffu};
  *mask = std::nullopt;
  size_t slash = s.find('/');
  auto addr = ParseAddr(s.substr(0, slash), v6);
  if (!addr) return std::nullopt;
  unsigned len = bits;
  if (slash != std::string_view::npos) {
    std::string_view m = s.substr(slash + 1);
    if (auto n = ParseNum(m, bits)) {
      len = static_cast<unsigned>(*n);
    } else if (auto mv = ParseAddr(m, v6)) {
      // Dotted mask: contiguous -> prefix length, else an explicit mask.
      u128 mk = *mv;
      unsigned ones = 0;
      while (ones < bits && ((mk >> (bits - 1 - ones)) & 1)) ++ones;
      u128 want = ones == 0 ? 0 : (all << (bits - ones)) & all;
      if (mk != want) {
        *mask = mk;
        return ValueExpr(*addr & mk, bits, t);
      }
      len = ones;
    } else {
      return std::nullopt;
    }
  }
  if (len == bits) return ValueExpr(*addr, bits, t);
  u128 net = len == 0 ? 0 : *addr & ((all << (bits - len)) & all);
  Expr p;
  p.kind = ExprKind::kPrefix;
  p.type = t;
  p.aux = len;
  p.kids = {ValueExpr(net, bits, t)};
  return p;
}

void AddAddrMatch(Expr lhs, std::string_view s, bool v6, bool neg, std::string_view what,
                  Translation& out) {
  if (s.find(',') != std::string_view::npos) {  // "-s a,b" (restore syntax): a set
    Expr set;
    set.kind = ExprKind::kSet;
    set.type = lhs.type;
    for (auto item : SplitList(s)) {
      std::optional<u128> mask;
      auto op = AddrOperand(item, v6, &mask);
      if (!op || mask) {
        out.unknown.push_back(std::string(what) + " " + std::string(s));
        out.stmts.push_back(UnknownStmt(std::string(what), std::string(s)));
        return;
      }
      set.kids.push_back(std::move(*op));
    }
    out.stmts.push_back(MatchStmt(std::move(lhs), std::move(set), neg));
    return;
  }
  std::optional<u128> mask;
  auto op = AddrOperand(s, v6, &mask);
  if (!op) {
    out.unknown.push_back(std::string(what) + " " + std::string(s));
    out.stmts.push_back(UnknownStmt(std::string(what), std::string(s)));
    return;
  }
  if (mask) {
    DataType t = lhs.type;
    lhs = BinopExpr(BinOp::kAnd, std::move(lhs), ValueExpr(*mask, v6 ? 128 : 32, t));
  }
  out.stmts.push_back(MatchStmt(std::move(lhs), std::move(*op), neg));
}

std::optional<Expr> PortOperand(std::string_view s, bool dash) {
  const char sep = dash ? '-' : ':';
  size_t at = s.find(sep);
  if (at == std::string_view::npos) {
    auto p = ParsePort(s);
    if (!p) return std::nullopt;
    return ValueExpr(*p, 16, DataType::kInetService);
  }
  std::string_view a = s.substr(0, at), b = s.substr(at + 1);
  auto lo = a.empty() ? std::optional<uint16_t>(0) : ParsePort(a);
  auto hi = b.empty() ? std::optional<uint16_t>(65535) : ParsePort(b);
  if (!lo || !hi) return std::nullopt;
  if (*lo == *hi) return ValueExpr(*lo, 16, DataType::kInetService);
  return RangeExpr(ValueExpr(*lo, 16, DataType::kInetService), ValueExpr(*hi, 16, DataType::kInetService));
}

std::optional<Expr> PortListOperand(std::string_view s) {
  auto items = SplitList(s);
  if (items.size() == 1) return PortOperand(items[0]);
  Expr set;
  set.kind = ExprKind::kSet;
  set.type = DataType::kInetService;
  for (auto item : items) {
    auto op = PortOperand(item);
    if (!op) return std::nullopt;
    set.kids.push_back(std::move(*op));
  }
  return set;
}

Field SportField(std::string_view p) {
  if (p == "tcp" || p == "6") return Field::kTcpSport;
  if (p == "udp" || p == "17") return Field::kUdpSport;
  if (p == "sctp" || p == "132") return Field::kSctpSport;
  if (p == "dccp" || p == "33") return Field::kDccpSport;
  if (p == "udplite" || p == "136") return Field::kUdpliteSport;
  return Field::kThSport;
}
Field DportField(std::string_view p) {
  if (p == "tcp" || p == "6") return Field::kTcpDport;
  if (p == "udp" || p == "17") return Field::kUdpDport;
  if (p == "sctp" || p == "132") return Field::kSctpDport;
  if (p == "dccp" || p == "33") return Field::kDccpDport;
  if (p == "udplite" || p == "136") return Field::kUdpliteDport;
  return Field::kThDport;
}

std::vector<std::string_view> SplitList(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

std::string Upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += ' ';
    s += x;
  }
  return s;
}

std::vector<Opt> SplitOpts(const std::vector<std::string>& args) {
  std::vector<Opt> out;
  bool neg = false;
  auto is_opt = [](const std::string& a) {
    return a.size() > 1 && a[0] == '-' && !(a[1] >= '0' && a[1] <= '9');
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "!") {
      bool before_opt = i + 1 < args.size() && is_opt(args[i + 1]);
      if (!before_opt && !out.empty() && out.back().values.empty()) out.back().neg = true;  // "--dport ! 80"
      else neg = true;
      continue;
    }
    if (is_opt(a)) {
      out.push_back(Opt{a, {}, neg});
      neg = false;
      continue;
    }
    if (out.empty()) out.push_back(Opt{"", {}, false});  // a value before any option
    out.back().values.push_back(a);
  }
  return out;
}

}  // namespace nftc::ipt::detail
