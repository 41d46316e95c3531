// "-m NAME opts" -> model match statements.
#include <iterator>
#include <map>

#include "iptables/translate.h"
#include "iptables/translate_util.h"

namespace nftc::ipt {

using namespace detail;

namespace {

struct MCtx {
  const Module& m;
  const RuleCtx& rc;
  Translation& out;
  bool v6() const { return rc.family == Family::kIp6; }
  /// Keeps one option the model cannot evaluate as kUnknown (the verdict may depend on it).
  void Unknown(const Opt& o) {
    std::string t = (o.neg ? "! " : "") + o.name;
    for (const auto& v : o.values) t += " " + v;
    out.unknown.push_back("-m " + m.name + " " + t);
    out.stmts.push_back(UnknownStmt("match " + m.name, "-m " + m.name + " " + t));
  }
  void Add(Stmt s) { out.stmts.push_back(std::move(s)); }
};

const std::string& Val(const Opt& o, size_t i = 0) {
  static const std::string kEmpty;
  return i < o.values.size() ? o.values[i] : kEmpty;
}

void Ports(MCtx& c, const Opt& o, Field f) {
  auto op = PortOperand(Val(o));
  if (!op || o.values.size() != 1) return c.Unknown(o);
  c.Add(MatchStmt(PayloadExpr(f, DataType::kInetService), std::move(*op), o.neg));
}

/// tcp flag names as iptables knows them.
std::optional<uint8_t> TcpFlags(std::string_view s) {
  static const std::map<std::string, uint8_t> kFlags = {
      {"FIN", 0x01}, {"SYN", 0x02}, {"RST", 0x04}, {"PSH", 0x08}, {"ACK", 0x10},
      {"URG", 0x20}, {"ECE", 0x40}, {"CWR", 0x80}, {"ALL", 0x3f}, {"NONE", 0}};
  uint8_t v = 0;
  for (auto f : SplitList(s)) {
    auto it = kFlags.find(Upper(f));
    if (it == kFlags.end()) return std::nullopt;
    v |= it->second;
  }
  return v;
}

void AddTcpFlags(MCtx& c, uint8_t mask, uint8_t comp, bool neg) {
  Expr lhs = BinopExpr(BinOp::kAnd, PayloadExpr(Field::kTcpFlags, DataType::kTcpFlags),
                       ValueExpr(mask, 8, DataType::kTcpFlags));
  c.Add(MatchStmt(std::move(lhs), ValueExpr(comp, 8, DataType::kTcpFlags), neg, MatchOp::kEq));
}

void L4(MCtx& c) {
  const std::string& n = c.m.name;
  for (const auto& o : SplitOpts(c.m.args)) {
    if (o.name == "--sport" || o.name == "--source-port") Ports(c, o, SportField(n));
    else if (o.name == "--dport" || o.name == "--destination-port") Ports(c, o, DportField(n));
    else if (n == "tcp" && o.name == "--syn") AddTcpFlags(c, 0x17, 0x02, o.neg);
    else if (n == "tcp" && o.name == "--tcp-flags" && o.values.size() == 2) {
      auto mask = TcpFlags(Val(o, 0)), comp = TcpFlags(Val(o, 1));
      if (!mask || !comp) c.Unknown(o);
      else AddTcpFlags(c, *mask, *comp, o.neg);
    } else c.Unknown(o);
  }
}

void Multiport(MCtx& c) {
  for (const auto& o : SplitOpts(c.m.args)) {
    bool src = o.name == "--sports" || o.name == "--source-ports";
    bool dst = o.name == "--dports" || o.name == "--destination-ports";
    auto op = (src || dst) && o.values.size() == 1 ? PortListOperand(Val(o)) : std::nullopt;
    if (!op) {
      c.Unknown(o);  // --ports (source OR destination) has no single-match form
      continue;
    }
    Field f = src ? SportField(c.rc.protocol) : DportField(c.rc.protocol);
    c.Add(MatchStmt(PayloadExpr(f, DataType::kInetService), std::move(*op), o.neg));
  }
}

/// ct state / ct status flag lists.
std::optional<uint32_t> CtBits(std::string_view s, bool status) {
  static const std::map<std::string, uint32_t> kState = {
      {"INVALID", 1}, {"ESTABLISHED", 2}, {"RELATED", 4}, {"NEW", 8}, {"UNTRACKED", 64}};
  static const std::map<std::string, uint32_t> kStatus = {
      {"NONE", 0}, {"EXPECTED", 1}, {"SEEN_REPLY", 2}, {"ASSURED", 4}, {"CONFIRMED", 8}};
  const auto& tab = status ? kStatus : kState;
  uint32_t v = 0;
  for (auto f : SplitList(s)) {
    auto it = tab.find(Upper(f));
    if (it == tab.end()) return std::nullopt;
    v |= it->second;
  }
  return v;
}

void CtFlags(MCtx& c, const Opt& o, bool status) {
  auto bits = o.values.size() == 1 ? CtBits(Val(o), status) : std::nullopt;
  if (!bits) return c.Unknown(o);  // e.g. the virtual states SNAT/DNAT
  DataType t = status ? DataType::kCtStatus : DataType::kCtState;
  Expr rhs;
  if (*bits == 0) {  // --ctstatus NONE: no status bit set
    rhs = ValueExpr(0, 32, t);
  } else {
    rhs.kind = ExprKind::kFlags;
    rhs.type = t;
    rhs.value = Value::Int(*bits, 32);
  }
  c.Add(MatchStmt(CtExpr(status ? CtKey::kStatus : CtKey::kState, t), std::move(rhs), o.neg));
}

void Conntrack(MCtx& c) {
  for (const auto& o : SplitOpts(c.m.args)) {
    const std::string& n = o.name;
    if (n == "--ctstate" || n == "--state") CtFlags(c, o, false);
    else if (n == "--ctstatus") CtFlags(c, o, true);
    else if (n == "--ctproto") {
      auto p = ProtoNumber(Val(o));
      if (!p) c.Unknown(o);
      else c.Add(MatchStmt(CtExpr(CtKey::kProtocol, DataType::kInetProto), ValueExpr(*p, 8, DataType::kInetProto), o.neg));
    } else if (n == "--ctorigsrc" || n == "--ctorigdst" || n == "--ctreplsrc" || n == "--ctrepldst") {
      CtDir dir = n.find("orig") != std::string::npos ? CtDir::kOriginal : CtDir::kReply;
      CtKey k = n.back() == 'c' ? CtKey::kSaddr : CtKey::kDaddr;
      AddAddrMatch(CtExpr(k, c.v6() ? DataType::kIpv6Addr : DataType::kIpv4Addr, dir), Val(o), c.v6(),
                   o.neg, "-m conntrack " + n, c.out);
    } else if (n == "--ctorigsrcport" || n == "--ctorigdstport" || n == "--ctreplsrcport" ||
               n == "--ctrepldstport") {
      CtDir dir = n.find("orig") != std::string::npos ? CtDir::kOriginal : CtDir::kReply;
      CtKey k = n.find("srcport") != std::string::npos ? CtKey::kProtoSrc : CtKey::kProtoDst;
      auto op = PortOperand(Val(o));
      if (!op) c.Unknown(o);
      else c.Add(MatchStmt(CtExpr(k, DataType::kInetService, dir), std::move(*op), o.neg));
    } else if (n == "--ctdir") {
      // ct direction: IP_CT_DIR_ORIGINAL 0, IP_CT_DIR_REPLY 1.
      std::string d = Upper(Val(o));
      if (d != "ORIGINAL" && d != "REPLY") c.Unknown(o);
      else c.Add(MatchStmt(CtExpr(CtKey::kDirection, DataType::kCtDir), ValueExpr(d == "REPLY", 8, DataType::kCtDir), o.neg));
    } else c.Unknown(o);  // --ctexpire and friends
  }
}

/// RTN_* numbers of the addrtype names.
std::optional<uint32_t> AddrType(std::string_view s) {
  static const std::map<std::string, uint32_t> kTypes = {
      {"UNSPEC", 0},    {"UNICAST", 1},     {"LOCAL", 2},    {"BROADCAST", 3},
      {"ANYCAST", 4},   {"MULTICAST", 5},   {"BLACKHOLE", 6}, {"UNREACHABLE", 7},
      {"PROHIBIT", 8},  {"THROW", 9},       {"NAT", 10},     {"XRESOLVE", 11}};
  auto it = kTypes.find(Upper(s));
  if (it == kTypes.end()) return std::nullopt;
  return it->second;
}

void Addrtype(MCtx& c) {
  auto opts = SplitOpts(c.m.args);
  uint16_t iface = 0;
  for (const auto& o : opts) {
    if (o.name == "--limit-iface-in") iface = kFibIif;
    else if (o.name == "--limit-iface-out") iface = kFibOif;
  }
  for (const auto& o : opts) {
    if (o.name == "--limit-iface-in" || o.name == "--limit-iface-out") continue;
    bool src = o.name == "--src-type", dst = o.name == "--dst-type";
    if ((!src && !dst) || o.values.size() != 1) {
      c.Unknown(o);
      continue;
    }
    Expr set;
    set.kind = ExprKind::kSet;
    set.type = DataType::kFibAddrType;
    bool ok = true;
    for (auto t : SplitList(Val(o))) {
      auto v = AddrType(t);
      if (!v) ok = false;
      else set.kids.push_back(ValueExpr(*v, 32, DataType::kFibAddrType));
    }
    if (!ok) {
      c.Unknown(o);
      continue;
    }
    Expr fib;
    fib.kind = ExprKind::kFib;
    fib.type = DataType::kFibAddrType;
    fib.key = static_cast<uint16_t>(FibResult::kType);
    fib.flags = static_cast<uint16_t>((src ? kFibSaddr : kFibDaddr) | iface);
    Expr rhs = set.kids.size() == 1 ? std::move(set.kids[0]) : std::move(set);
    c.Add(MatchStmt(std::move(fib), std::move(rhs), o.neg));
  }
}

/// "--mark v[/m]" for meta mark (mark) or ct mark (connmark).
void Mark(MCtx& c, bool ct) {
  for (const auto& o : SplitOpts(c.m.args)) {
    if (o.name != "--mark" || o.values.size() != 1) {
      c.Unknown(o);
      continue;
    }
    auto parts = SplitList(Val(o), '/');
    auto v = ParseNum(parts[0]);
    auto m = parts.size() == 2 ? ParseNum(parts[1]) : std::optional<uint64_t>(0xffffffffu);
    if (!v || !m || parts.size() > 2) {
      c.Unknown(o);
      continue;
    }
    Expr lhs = ct ? CtExpr(CtKey::kMark, DataType::kMark) : MetaExpr(MetaKey::kMark, DataType::kMark);
    if (*m != 0xffffffffu) lhs = BinopExpr(BinOp::kAnd, std::move(lhs), ValueExpr(*m, 32, DataType::kMark));
    c.Add(MatchStmt(std::move(lhs), ValueExpr(*v & *m, 32, DataType::kMark), o.neg));
  }
}

void Iprange(MCtx& c) {
  for (const auto& o : SplitOpts(c.m.args)) {
    bool src = o.name == "--src-range", dst = o.name == "--dst-range";
    auto parts = SplitList(Val(o), '-');
    std::optional<u128> lo, hi;
    if ((src || dst) && parts.size() == 2) {
      lo = ParseAddr(parts[0], c.v6());
      hi = ParseAddr(parts[1], c.v6());
    }
    if (!lo || !hi) {
      c.Unknown(o);
      continue;
    }
    DataType t = c.v6() ? DataType::kIpv6Addr : DataType::kIpv4Addr;
    uint8_t bits = c.v6() ? 128 : 32;
    Field f = c.v6() ? (src ? Field::kIp6Saddr : Field::kIp6Daddr) : (src ? Field::kIpSaddr : Field::kIpDaddr);
    c.Add(MatchStmt(PayloadExpr(f, t), RangeExpr(ValueExpr(*lo, bits, t), ValueExpr(*hi, bits, t)), o.neg));
  }
}

/// ipset "--match-set NAME src,dst": membership in a set the ruleset does not contain.
void IpSet(MCtx& c) {
  for (const auto& o : SplitOpts(c.m.args)) {
    if (o.name != "--match-set" || o.values.size() != 2) {
      if (o.name == "--return-nomatch" || o.name == "--update-counters" || o.name == "--update-subcounters")
        continue;  // counters do not change the match
      c.Unknown(o);
      continue;
    }
    auto dirs = SplitList(Val(o, 1));
    std::vector<Expr> keys;
    for (size_t i = 0; i < dirs.size(); ++i) {
      bool src = dirs[i] == "src";
      if (i == 0) {
        DataType t = c.v6() ? DataType::kIpv6Addr : DataType::kIpv4Addr;
        Field f = c.v6() ? (src ? Field::kIp6Saddr : Field::kIp6Daddr) : (src ? Field::kIpSaddr : Field::kIpDaddr);
        keys.push_back(PayloadExpr(f, t));
      } else {
        keys.push_back(PayloadExpr(src ? Field::kThSport : Field::kThDport, DataType::kInetService));
      }
    }
    Expr lhs;
    if (keys.size() == 1) lhs = std::move(keys[0]);
    else {
      lhs.kind = ExprKind::kConcat;
      lhs.kids = std::move(keys);
    }
    Expr ref;
    ref.kind = ExprKind::kSetRef;
    ref.name = Val(o, 0);
    c.Add(MatchStmt(std::move(lhs), std::move(ref), o.neg));
  }
}

std::string IfName(std::string_view s) {
  std::string n(s);
  if (!n.empty() && n.back() == '+') n.back() = '*';
  return n;
}

void Physdev(MCtx& c) {
  for (const auto& o : SplitOpts(c.m.args)) {
    if ((o.name == "--physdev-in" || o.name == "--physdev-out") && o.values.size() == 1) {
      MetaKey k = o.name == "--physdev-in" ? MetaKey::kBriIifname : MetaKey::kBriOifname;
      c.Add(MatchStmt(MetaExpr(k, DataType::kIfname), StrExpr(IfName(Val(o)), DataType::kIfname), o.neg));
    } else {
      c.Unknown(o);  // --physdev-is-in/-out/-bridged: not in the model
    }
  }
}

void Limit(MCtx& c) {
  std::string rate = "3/hour", burst = "5";  // iptables' defaults
  bool ok = true;
  for (const auto& o : SplitOpts(c.m.args)) {
    if (o.name == "--limit" && o.values.size() == 1) rate = Val(o);
    else if (o.name == "--limit-burst" && o.values.size() == 1) burst = Val(o);
    else {
      ok = false;
      c.Unknown(o);
    }
  }
  if (!ok) return;
  static const std::map<std::string, std::string> kUnits = {
      {"s", "second"}, {"sec", "second"}, {"second", "second"}, {"m", "minute"}, {"min", "minute"},
      {"minute", "minute"}, {"h", "hour"}, {"hour", "hour"}, {"d", "day"}, {"day", "day"}};
  auto parts = SplitList(rate, '/');
  std::string unit = "second";
  if (parts.size() == 2) {
    auto it = kUnits.find(std::string(parts[1]));
    if (it != kUnits.end()) unit = it->second;
  }
  Stmt s;
  s.kind = StmtKind::kLimit;
  // nft's text (what the JSON loader gives too): the burst only when not nft's default 5.
  s.text = std::string(parts[0]) + "/" + unit + (burst == "5" ? "" : " burst " + burst + " packets");
  c.Add(std::move(s));
}

/// hl (IPv6 hop limit) and ttl (IPv4): --hl-eq/--hl-lt/--hl-gt, --ttl-eq/...
void HopLimit(MCtx& c, bool v6) {
  for (const auto& o : SplitOpts(c.m.args)) {
    auto v = o.values.size() == 1 ? ParseNum(Val(o), 255) : std::nullopt;
    std::string p = v6 ? "--hl-" : "--ttl-";
    MatchOp op = MatchOp::kEq;
    bool neg = o.neg;
    if (o.name == p + "eq") op = MatchOp::kEq;
    else if (o.name == p + "lt") op = o.neg ? MatchOp::kGe : MatchOp::kLt;
    else if (o.name == p + "gt") op = o.neg ? MatchOp::kLe : MatchOp::kGt;
    else v = std::nullopt;
    if (!v) {
      c.Unknown(o);
      continue;
    }
    if (op != MatchOp::kEq) neg = false;
    Field f = v6 ? Field::kIp6Hoplimit : Field::kIpTtl;
    c.Add(MatchStmt(PayloadExpr(f, DataType::kInteger), ValueExpr(*v, 8, DataType::kInteger), neg, op));
  }
}

void Pkttype(MCtx& c) {
  for (const auto& o : SplitOpts(c.m.args)) {
    std::string t = Val(o);
    int v = t == "unicast" || t == "host" ? 0 : t == "broadcast" ? 1 : t == "multicast" ? 2 : -1;
    if (o.name != "--pkt-type" || v < 0) {
      c.Unknown(o);
      continue;
    }
    c.Add(MatchStmt(MetaExpr(MetaKey::kPkttype, DataType::kPktType), ValueExpr(v, 8, DataType::kPktType), o.neg));
  }
}

/// recent: "--set" always matches (it only records the source); the others depend on state.
void Recent(MCtx& c) {
  auto opts = SplitOpts(c.m.args);
  for (const auto& o : opts)
    if (o.name == "--rcheck" || o.name == "--update" || o.name == "--remove") {
      std::string t = "-m recent " + Join(c.m.args);
      c.out.unknown.push_back(t);
      c.out.stmts.push_back(UnknownStmt("match recent", t));
      return;
    }
  for (const auto& o : opts)
    if (o.name == "--set" && o.neg) {  // "! --set" never matches: kept as unknown
      c.Unknown(o);
      return;
    }
  c.Add(OtherStmt("recent --set"));
}

void Comment(MCtx& c) {
  for (const auto& o : SplitOpts(c.m.args)) {
    if (o.name == "--comment" && o.values.size() == 1) c.out.comment = Val(o);
    else c.Unknown(o);
  }
}

void Owner(MCtx& c) {
  for (const auto& o : SplitOpts(c.m.args)) {
    bool uid = o.name == "--uid-owner", gid = o.name == "--gid-owner";
    auto parts = SplitList(Val(o), '-');
    auto lo = (uid || gid) ? ParseNum(parts[0]) : std::nullopt;
    auto hi = parts.size() == 2 ? ParseNum(parts[1]) : lo;
    if (!lo || !hi || parts.size() > 2) {
      c.Unknown(o);
      continue;
    }
    Expr rhs = *lo == *hi ? ValueExpr(*lo, 32, DataType::kInteger)
                          : RangeExpr(ValueExpr(*lo, 32, DataType::kInteger), ValueExpr(*hi, 32, DataType::kInteger));
    c.Add(MatchStmt(MetaExpr(uid ? MetaKey::kSkuid : MetaKey::kSkgid, DataType::kInteger), std::move(rhs), o.neg));
  }
}

void Helper(MCtx& c) {
  for (const auto& o : SplitOpts(c.m.args)) {
    if (o.name != "--helper" || o.values.size() != 1) {
      c.Unknown(o);
      continue;
    }
    c.Add(MatchStmt(CtExpr(CtKey::kHelper, DataType::kString), StrExpr(Val(o), DataType::kString), o.neg));
  }
}

}  // namespace

void TranslateModule(const Module& m, const RuleCtx& ctx, Translation& out) {
  MCtx c{m, ctx, out};
  const std::string& n = m.name;
  if (n == "tcp" || n == "udp" || n == "sctp" || n == "dccp" || n == "udplite") L4(c);
  else if (n == "multiport") Multiport(c);
  else if (n == "conntrack" || n == "state") Conntrack(c);
  else if (n == "addrtype") Addrtype(c);
  else if (n == "mark") Mark(c, false);
  else if (n == "connmark") Mark(c, true);
  else if (n == "comment") Comment(c);
  else if (n == "icmp") TranslateIcmp(m, false, out);
  else if (n == "icmp6") TranslateIcmp(m, true, out);
  else if (n == "iprange") Iprange(c);
  else if (n == "set") IpSet(c);
  else if (n == "physdev") Physdev(c);
  else if (n == "limit") Limit(c);
  else if (n == "hl") HopLimit(c, true);
  else if (n == "ttl") HopLimit(c, false);
  else if (n == "pkttype") Pkttype(c);
  else if (n == "recent") Recent(c);
  else if (n == "owner") Owner(c);
  else if (n == "helper") Helper(c);
  else {
    // rt, hashlimit, connlimit, string, u32, statistic, time, policy, socket, ...: the model
    // cannot evaluate them; the verdict of the rule may depend on them.
    std::string t = "-m " + n + (m.args.empty() ? "" : " " + Join(m.args));
    out.unknown.push_back(t);
    out.stmts.push_back(UnknownStmt("match " + n, t));
  }
}

}  // namespace nftc::ipt
