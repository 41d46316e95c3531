#include "model/rule_print.h"

#include <cstdio>

#include "model/hash_expr.h"
#include "nftc/packet_path.h"

namespace nftc {
namespace {

struct Named {
  uint64_t v;
  const char* name;
};

const char* Find(const Named* t, size_t n, u128 v) {
  for (size_t i = 0; i < n; ++i)
    if (t[i].v == v) return t[i].name;
  return nullptr;
}
#define FIND(t, v) Find(t, sizeof(t) / sizeof(t[0]), v)

const Named kProtos[] = {{1, "icmp"}, {2, "igmp"}, {6, "tcp"}, {17, "udp"}, {33, "dccp"}, {41, "ipv6"},
                         {47, "gre"}, {50, "esp"}, {51, "ah"}, {58, "ipv6-icmp"}, {132, "sctp"}, {136, "udplite"}};
const Named kCtStates[] = {{1, "invalid"}, {2, "established"}, {4, "related"}, {8, "new"}, {64, "untracked"}};
const Named kCtStatus[] = {{1, "expected"}, {2, "seen-reply"}, {4, "assured"}, {8, "confirmed"},
                           {16, "snat"}, {32, "dnat"}, {512, "dying"}};
const Named kFibTypes[] = {{0, "unspec"}, {1, "unicast"}, {2, "local"}, {3, "broadcast"}, {4, "anycast"},
                           {5, "multicast"}, {6, "blackhole"}, {7, "unreachable"}, {8, "prohibit"}};
const Named kIcmp[] = {{0, "echo-reply"}, {3, "destination-unreachable"}, {5, "redirect"}, {8, "echo-request"},
                       {9, "router-advertisement"}, {10, "router-solicitation"}, {11, "time-exceeded"},
                       {12, "parameter-problem"}, {13, "timestamp-request"}, {14, "timestamp-reply"}};
const Named kIcmp6[] = {{1, "destination-unreachable"}, {2, "packet-too-big"}, {3, "time-exceeded"},
                        {4, "parameter-problem"}, {128, "echo-request"}, {129, "echo-reply"},
                        {130, "mld-listener-query"}, {131, "mld-listener-report"}, {133, "nd-router-solicit"},
                        {134, "nd-router-advert"}, {135, "nd-neighbor-solicit"}, {136, "nd-neighbor-advert"},
                        {137, "nd-redirect"}, {143, "mld2-listener-report"}};
const Named kTcpFlags[] = {{1, "fin"}, {2, "syn"}, {4, "rst"}, {8, "psh"}, {16, "ack"}, {32, "urg"}, {64, "ecn"}, {128, "cwr"}};
const Named kPktTypes[] = {{0, "host"}, {1, "broadcast"}, {2, "multicast"}, {3, "other"}};

std::string Bitmask(const Named* t, size_t n, u128 v) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    if (v & t[i].v) out += (out.empty() ? "" : ",") + std::string(t[i].name);
  return out.empty() ? "0" : out;
}

std::string Hex(u128 v, int width) {
  char b[40];
  std::snprintf(b, sizeof b, "0x%0*llx", width, static_cast<unsigned long long>(v));
  return b;
}

const char* FieldName(Field f) {
  switch (f) {
    case Field::kIpSaddr: return "ip saddr";
    case Field::kIpDaddr: return "ip daddr";
    case Field::kIpProtocol: return "ip protocol";
    case Field::kIpTtl: return "ip ttl";
    case Field::kIpLength: return "ip length";
    case Field::kIpDscp: return "ip dscp";
    case Field::kIpId: return "ip id";
    case Field::kIpVersion: return "ip version";
    case Field::kIp6Saddr: return "ip6 saddr";
    case Field::kIp6Daddr: return "ip6 daddr";
    case Field::kIp6Nexthdr: return "ip6 nexthdr";
    case Field::kIp6Hoplimit: return "ip6 hoplimit";
    case Field::kIp6Length: return "ip6 length";
    case Field::kTcpSport: return "tcp sport";
    case Field::kTcpDport: return "tcp dport";
    case Field::kTcpFlags: return "tcp flags";
    case Field::kUdpSport: return "udp sport";
    case Field::kUdpDport: return "udp dport";
    case Field::kThSport: return "th sport";
    case Field::kThDport: return "th dport";
    case Field::kSctpSport: return "sctp sport";
    case Field::kSctpDport: return "sctp dport";
    case Field::kDccpSport: return "dccp sport";
    case Field::kDccpDport: return "dccp dport";
    case Field::kUdpliteSport: return "udplite sport";
    case Field::kUdpliteDport: return "udplite dport";
    case Field::kIcmpType: return "icmp type";
    case Field::kIcmpCode: return "icmp code";
    case Field::kIcmpv6Type: return "icmpv6 type";
    case Field::kIcmpv6Code: return "icmpv6 code";
    case Field::kEtherSaddr: return "ether saddr";
    case Field::kEtherDaddr: return "ether daddr";
    case Field::kEtherType: return "ether type";
    case Field::kArpOperation: return "arp operation";
    default: return nullptr;
  }
}

const char* MetaName(MetaKey k, bool* bare) {
  *bare = true;
  switch (k) {
    case MetaKey::kIifname: return "iifname";
    case MetaKey::kOifname: return "oifname";
    case MetaKey::kIif: return "iif";
    case MetaKey::kOif: return "oif";
    case MetaKey::kIiftype: return "iiftype";
    case MetaKey::kOiftype: return "oiftype";
    case MetaKey::kIifgroup: return "iifgroup";
    case MetaKey::kOifgroup: return "oifgroup";
    default: break;
  }
  *bare = false;
  switch (k) {
    case MetaKey::kL4proto: return "l4proto";
    case MetaKey::kNfproto: return "nfproto";
    case MetaKey::kProtocol: return "protocol";
    case MetaKey::kMark: return "mark";
    case MetaKey::kPkttype: return "pkttype";
    case MetaKey::kSkuid: return "skuid";
    case MetaKey::kSkgid: return "skgid";
    case MetaKey::kLength: return "length";
    case MetaKey::kPriority: return "priority";
    case MetaKey::kCpu: return "cpu";
    case MetaKey::kCgroup: return "cgroup";
    case MetaKey::kRandom: return "random";
    case MetaKey::kSecmark: return "secmark";
    case MetaKey::kNftrace: return "nftrace";
    case MetaKey::kIifkind: return "iifkind";
    case MetaKey::kOifkind: return "oifkind";
    case MetaKey::kTime: return "time";
    case MetaKey::kDay: return "day";
    case MetaKey::kHour: return "hour";
    case MetaKey::kBriIifname: return "ibrname";
    case MetaKey::kBriOifname: return "obrname";
    case MetaKey::kIpsec: return "ipsec";
    case MetaKey::kSecpath: return "secpath";
    default: return "unknown";
  }
}

const char* CtName(CtKey k) {
  switch (k) {
    case CtKey::kState: return "state";
    case CtKey::kStatus: return "status";
    case CtKey::kMark: return "mark";
    case CtKey::kDirection: return "direction";
    case CtKey::kExpiration: return "expiration";
    case CtKey::kHelper: return "helper";
    case CtKey::kL3proto: return "l3proto";
    case CtKey::kProtocol: return "protocol";
    case CtKey::kSaddr: return "saddr";
    case CtKey::kDaddr: return "daddr";
    case CtKey::kProtoSrc: return "proto-src";
    case CtKey::kProtoDst: return "proto-dst";
    case CtKey::kZone: return "zone";
    case CtKey::kLabel: return "label";
    case CtKey::kCount: return "count";
    case CtKey::kId: return "id";
    default: return "unknown";
  }
}

std::string Join(const std::vector<Expr>& kids, const char* sep) {
  std::string s;
  for (size_t i = 0; i < kids.size(); ++i) s += (i ? sep : "") + ExprToString(kids[i]);
  return s;
}

}  // namespace

std::string ValueToString(const Value& v, DataType t) {
  if (v.kind == Value::Kind::kString) {
    if (t == DataType::kIfname || t == DataType::kIfindex || t == DataType::kString || t == DataType::kUnknown)
      return "\"" + v.str + "\"";
    return v.str;
  }
  if (v.kind == Value::Kind::kNone) return "";
  u128 n = v.num;
  const char* name = nullptr;
  switch (t) {
    case DataType::kIpv4Addr: return FormatIpAddress(n, false);
    case DataType::kIpv6Addr: return FormatIpAddress(n, true);
    case DataType::kInetProto: name = FIND(kProtos, n); break;
    case DataType::kNfProto: name = n == 2 ? "ipv4" : n == 10 ? "ipv6" : nullptr; break;
    case DataType::kCtState: return Bitmask(kCtStates, 5, n);
    case DataType::kCtStatus: return Bitmask(kCtStatus, 7, n);
    case DataType::kCtDir: name = n == 0 ? "original" : n == 1 ? "reply" : nullptr; break;
    case DataType::kFibAddrType: name = FIND(kFibTypes, n); break;
    case DataType::kIcmpType: name = FIND(kIcmp, n); break;
    case DataType::kIcmpv6Type: name = FIND(kIcmp6, n); break;
    case DataType::kTcpFlags: return Bitmask(kTcpFlags, 8, n);
    case DataType::kPktType: name = FIND(kPktTypes, n); break;
    case DataType::kMark: return Hex(n, 8);
    case DataType::kBoolean: return n ? "exists" : "missing";
    case DataType::kEtherType: name = n == 0x0800 ? "ip" : n == 0x86dd ? "ip6" : n == 0x0806 ? "arp" : nullptr; break;
    default: break;
  }
  if (name) return name;
  if (v.bits == 32 && t == DataType::kUnknown) return FormatIpAddress(n, false);
  if (v.bits == 128 && t == DataType::kUnknown) return FormatIpAddress(n, true);
  return std::to_string(static_cast<unsigned long long>(n));
}

std::string ExprToString(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kValue:
    case ExprKind::kFlags:
      return ValueToString(e.value, e.type);
    case ExprKind::kPayload: {
      if (const char* n = FieldName(e.field())) return n;
      const char* base = e.flags == uint16_t(PayloadBase::kLl) ? "ll" : e.flags == uint16_t(PayloadBase::kNh) ? "nh"
                         : e.flags == uint16_t(PayloadBase::kIh) ? "ih" : "th";
      return "@" + std::string(base) + "," + std::to_string(e.aux) + "," + std::to_string(e.len);
    }
    case ExprKind::kMeta: {
      bool bare = false;
      const char* n = MetaName(e.meta(), &bare);
      return bare ? n : std::string("meta ") + n;
    }
    case ExprKind::kCt: {
      std::string dir = e.aux == uint32_t(CtDir::kOriginal) ? "original " : e.aux == uint32_t(CtDir::kReply) ? "reply " : "";
      return "ct " + dir + CtName(e.ct());
    }
    case ExprKind::kFib: {
      std::string f;
      auto add = [&](uint16_t bit, const char* n) {
        if (e.flags & bit) f += (f.empty() ? "" : " . ") + std::string(n);
      };
      add(kFibSaddr, "saddr");
      add(kFibDaddr, "daddr");
      add(kFibMark, "mark");
      add(kFibIif, "iif");
      add(kFibOif, "oif");
      const char* r = e.key == uint16_t(FibResult::kType) ? "type" : e.key == uint16_t(FibResult::kOif) ? "oif" : "oifname";
      return "fib " + f + " " + r;
    }
    case ExprKind::kPrefix:
      return (e.kids.empty() ? std::string("?") : ExprToString(e.kids[0])) + "/" + std::to_string(e.aux);
    case ExprKind::kRange:
      return e.kids.size() == 2 ? ExprToString(e.kids[0]) + "-" + ExprToString(e.kids[1]) : "?";
    case ExprKind::kSet:
      return "{ " + Join(e.kids, ", ") + " }";
    case ExprKind::kSetRef:
      return "@" + e.name;
    case ExprKind::kConcat:
      return Join(e.kids, " . ");
    case ExprKind::kBinop: {
      static const char* kOps[] = {"&", "|", "^", "<<", ">>"};
      const char* op = e.aux < 5 ? kOps[e.aux] : "?";
      if (e.kids.size() != 2) return "?";
      std::string rhs = ExprToString(e.kids[1]);
      if (e.kids[1].kind == ExprKind::kValue && e.kids[1].value.kind == Value::Kind::kInt &&
          e.aux <= uint32_t(BinOp::kXor))
        rhs = Hex(e.kids[1].value.num, 8);
      return ExprToString(e.kids[0]) + " " + op + " " + rhs;
    }
    case ExprKind::kMapLookup:
      return e.kids.size() == 2 ? ExprToString(e.kids[0]) + " map " + ExprToString(e.kids[1]) : "?";
    case ExprKind::kMapElem:
      return e.kids.size() == 2 ? ExprToString(e.kids[0]) + " : " + ExprToString(e.kids[1]) : "?";
    case ExprKind::kVerdict:
      return VerdictToString(e.verdict);
    case ExprKind::kSymbol:
      return e.name;
    case ExprKind::kUnknown:
      if (auto h = ParseHashExpr(e)) return h->text;
      return "unknown " + e.name;
  }
  return "?";
}

std::string VerdictToString(const Verdict& v) {
  switch (v.kind) {
    case VerdictKind::kAccept: return "accept";
    case VerdictKind::kDrop: return "drop";
    case VerdictKind::kContinue: return "continue";
    case VerdictKind::kReturn: return "return";
    case VerdictKind::kJump: return "jump " + v.chain;
    case VerdictKind::kGoto: return "goto " + v.chain;
    case VerdictKind::kQueue: return "queue";
    case VerdictKind::kNone: return "";
  }
  return "";
}

std::string StmtToString(const Stmt& s) {
  auto at = [&](size_t i) { return i < s.e.size() ? ExprToString(s.e[i]) : std::string("?"); };
  switch (s.kind) {
    case StmtKind::kMatch: {
      if (s.e.size() != 2) return "?";
      std::string op;
      switch (s.op) {
        case MatchOp::kNe: op = "!= "; break;
        case MatchOp::kLt: op = "< "; break;
        case MatchOp::kGt: op = "> "; break;
        case MatchOp::kLe: op = "<= "; break;
        case MatchOp::kGe: op = ">= "; break;
        default: break;
      }
      return at(0) + " " + op + at(1);
    }
    case StmtKind::kVerdict: return VerdictToString(s.verdict);
    case StmtKind::kVmap: return at(0) + " vmap " + at(1);
    case StmtKind::kNat: {
      static const char* kKinds[] = {"dnat", "snat", "masquerade", "redirect"};
      std::string out = s.sub < 4 ? kKinds[s.sub] : "nat";
      bool has_addr = s.e.size() > 0 && !(s.e[0].kind == ExprKind::kSymbol && s.e[0].name.empty());
      bool has_port = s.e.size() > 1 && !(s.e[1].kind == ExprKind::kSymbol && s.e[1].name.empty());
      if (has_addr || has_port) {
        out += " to ";
        if (has_addr) {
          std::string a = at(0);
          bool v6 = s.e[0].type == DataType::kIpv6Addr || (s.e[0].value.bits == 128);
          out += v6 && has_port ? "[" + a + "]" : a;
        }
        if (has_port) out += ":" + at(1);
      }
      if (s.nat_flags & kNatRandom) out += " random";
      if (s.nat_flags & kNatFullyRandom) out += " fully-random";
      if (s.nat_flags & kNatPersistent) out += " persistent";
      return out;
    }
    case StmtKind::kReject: {
      if (s.sub == 3) return "reject with tcp reset";
      std::string t = s.sub == 2 ? "icmpx" : "icmp";
      return s.text.empty() ? "reject" : "reject with " + t + " " + s.text;
    }
    case StmtKind::kMangle: return at(0) + " set " + at(1);
    case StmtKind::kCounter: return "counter";
    case StmtKind::kLog: return s.text.empty() ? "log" : "log prefix \"" + s.text + "\"";
    case StmtKind::kLimit: return std::string("limit rate ") + (s.sub ? "over " : "") + s.text;
    case StmtKind::kQuota: return "quota";
    case StmtKind::kNotrack: return "notrack";
    case StmtKind::kFlowAdd: return "flow add @" + s.text;
    case StmtKind::kSetUpdate: return "update @" + s.text + (s.e.empty() ? "" : " { " + at(0) + " }");
    case StmtKind::kXt:
      if (!s.xt) return "xt";
      return std::string("xt ") + (s.xt->type == XtType::kTarget ? "target " : s.xt->type == XtType::kWatcher ? "watcher " : "match ") + s.xt->name;
    case StmtKind::kOther: return s.text;
    case StmtKind::kUnknown: return "unknown " + s.text;
  }
  return "?";
}

std::string RuleToString(const Rule& r) {
  if (r.stmts.empty() && !r.ipt_line.empty()) return r.ipt_line;
  std::string out;
  for (size_t i = 0; i < r.stmts.size(); ++i) {
    const Stmt& s = r.stmts[i];
    // Merged xt statements are followed by their translation: print only that.
    if (s.kind == StmtKind::kXt && s.xt && s.xt->has_args) continue;
    std::string t = StmtToString(s);
    if (t.empty()) continue;
    if (!out.empty()) out += " ";
    out += t;
  }
  if (!r.comment.empty()) out += (out.empty() ? "" : " ") + std::string("comment \"") + r.comment + "\"";
  return out;
}

}  // namespace nftc
