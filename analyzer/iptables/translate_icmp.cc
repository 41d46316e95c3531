// icmp / icmp6 modules: "--icmp-type 3/1", "--icmpv6-type neighbour-solicitation".
#include <iterator>

#include "iptables/translate.h"
#include "iptables/translate_util.h"

namespace nftc::ipt::detail {

namespace {

struct IcmpName { const char* name; int type; int code; };
const IcmpName kIcmp[] = {
    {"echo-reply", 0, -1}, {"pong", 0, -1}, {"destination-unreachable", 3, -1},
    {"network-unreachable", 3, 0}, {"host-unreachable", 3, 1}, {"protocol-unreachable", 3, 2},
    {"port-unreachable", 3, 3}, {"fragmentation-needed", 3, 4}, {"source-route-failed", 3, 5},
    {"network-unknown", 3, 6}, {"host-unknown", 3, 7}, {"network-prohibited", 3, 9},
    {"host-prohibited", 3, 10}, {"TOS-network-unreachable", 3, 11}, {"TOS-host-unreachable", 3, 12},
    {"communication-prohibited", 3, 13}, {"host-precedence-violation", 3, 14},
    {"precedence-cutoff", 3, 15}, {"source-quench", 4, -1}, {"redirect", 5, -1},
    {"network-redirect", 5, 0}, {"host-redirect", 5, 1}, {"TOS-network-redirect", 5, 2},
    {"TOS-host-redirect", 5, 3}, {"echo-request", 8, -1}, {"ping", 8, -1},
    {"router-advertisement", 9, -1}, {"router-solicitation", 10, -1}, {"time-exceeded", 11, -1},
    {"ttl-exceeded", 11, -1}, {"ttl-zero-during-transit", 11, 0}, {"ttl-zero-during-reassembly", 11, 1},
    {"parameter-problem", 12, -1}, {"ip-header-bad", 12, 0}, {"required-option-missing", 12, 1},
    {"timestamp-request", 13, -1}, {"timestamp-reply", 14, -1}, {"address-mask-request", 17, -1},
    {"address-mask-reply", 18, -1}};
const IcmpName kIcmp6[] = {
    {"destination-unreachable", 1, -1}, {"no-route", 1, 0}, {"communication-prohibited", 1, 1},
    {"beyond-scope", 1, 2}, {"address-unreachable", 1, 3}, {"port-unreachable", 1, 4},
    {"failed-policy", 1, 5}, {"reject-route", 1, 6}, {"packet-too-big", 2, -1},
    {"time-exceeded", 3, -1}, {"ttl-exceeded", 3, -1}, {"ttl-zero-during-transit", 3, 0},
    {"ttl-zero-during-reassembly", 3, 1}, {"parameter-problem", 4, -1}, {"bad-header", 4, 0},
    {"unknown-header-type", 4, 1}, {"unknown-option", 4, 2}, {"echo-request", 128, -1},
    {"ping", 128, -1}, {"echo-reply", 129, -1}, {"pong", 129, -1}, {"router-solicitation", 133, -1},
    {"router-advertisement", 134, -1}, {"neighbour-solicitation", 135, -1},
    {"neighbor-solicitation", 135, -1}, {"neighbour-advertisement", 136, -1},
    {"neighbor-advertisement", 136, -1}, {"redirect", 137, -1}};

}  // namespace

/// "--icmp-type 3", "3/1", "echo-request", "any".
void TranslateIcmp(const Module& m, bool v6, Translation& out) {
  auto unknown = [&](const Opt& o) {
    std::string t = "-m " + m.name + " " + (o.neg ? "! " : "") + o.name;
    for (const auto& v : o.values) t += " " + v;
    out.unknown.push_back(t);
    out.stmts.push_back(UnknownStmt("match " + m.name, t));
  };
  for (const auto& o : SplitOpts(m.args)) {
    if ((o.name != (v6 ? "--icmpv6-type" : "--icmp-type")) || o.values.size() != 1) {
      unknown(o);
      continue;
    }
    const std::string s = o.values.empty() ? std::string() : o.values[0];
    int type = -1, code = -1;
    if (s == "any") {
      if (o.neg) unknown(o);  // never matches; kept as unknown rather than a constant
      continue;                 // any type matches
    }
    auto parts = SplitList(s, '/');
    if (auto t = ParseNum(parts[0], 255)) {
      type = static_cast<int>(*t);
      if (parts.size() == 2) {
        auto cd = ParseNum(parts[1], 255);
        if (!cd) type = -1;
        else code = static_cast<int>(*cd);
      }
    } else if (parts.size() == 1) {
      const IcmpName* first = v6 ? std::begin(kIcmp6) : std::begin(kIcmp);
      const IcmpName* last = v6 ? std::end(kIcmp6) : std::end(kIcmp);
      for (const IcmpName* n = first; n != last; ++n)
        if (s == n->name) {
          type = n->type;
          code = n->code;
          break;
        }
    }
    if (type < 0) {
      unknown(o);
      continue;
    }
    DataType tt = v6 ? DataType::kIcmpv6Type : DataType::kIcmpType;
    Stmt st = MatchStmt(PayloadExpr(v6 ? Field::kIcmpv6Type : Field::kIcmpType, tt), ValueExpr(type, 8, tt), false);
    if (code < 0) {
      if (o.neg) st.op = MatchOp::kNe;
      out.stmts.push_back(std::move(st));
      continue;
    }
    Stmt sc = MatchStmt(PayloadExpr(v6 ? Field::kIcmpv6Code : Field::kIcmpCode, DataType::kIcmpCode),
                        ValueExpr(code, 8, DataType::kIcmpCode), false);
    if (!o.neg) {
      out.stmts.push_back(std::move(st));
      out.stmts.push_back(std::move(sc));
    } else {  // ! type/code: not (type and code) -> concat match against the pair
      Expr cat;
      cat.kind = ExprKind::kConcat;
      cat.kids = {std::move(st.e[0]), std::move(sc.e[0])};
      Expr val;
      val.kind = ExprKind::kConcat;
      val.kids = {std::move(st.e[1]), std::move(sc.e[1])};
      out.stmts.push_back(MatchStmt(std::move(cat), std::move(val), true));
    }
  }
}

}  // namespace nftc::ipt::detail
