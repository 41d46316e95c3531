// fib expressions: `fib daddr type local`, `fib saddr . iif oif missing` (reverse path
// filter), answered from the host's addresses and routes.
#include "model/rule_print.h"
#include "sim/expr_eval.h"
#include "sim/routing.h"

namespace nftc::sim {
namespace {

constexpr u128 kRtnUnicast = 1, kRtnLocal = 2, kRtnBroadcast = 3, kRtnMulticast = 5,
               kRtnBlackhole = 6, kRtnUnreachable = 7, kRtnProhibit = 8;

u128 TypeOfRoute(const std::string& t) {
  if (t == "blackhole") return kRtnBlackhole;
  if (t == "unreachable") return kRtnUnreachable;
  if (t == "prohibit") return kRtnProhibit;
  return kRtnUnicast;
}

// The addresses (of the field's domain) whose fib type is in `types`.
NumSet AddrsOfTypes(const Eval& e, const NumSet& dom, const NumSet& types, const std::string* dev) {
  const HostContext& h = *e.w.host;
  bool v6 = e.c.v6;
  NumSet local = LocalAddrs(h, v6, dev);
  NumSet bcast = BroadcastAddrs(h, v6), mcast = MulticastAddrs(v6);
  NumSet out;
  if (types.Contains(kRtnLocal)) out = out.Union(dom.Intersect(local));
  if (types.Contains(kRtnBroadcast)) out = out.Union(dom.Intersect(bcast).Subtract(local));
  if (types.Contains(kRtnMulticast)) out = out.Union(dom.Intersect(mcast));
  NumSet rest = dom.Subtract(local).Subtract(bcast).Subtract(mcast);
  if (dev) rest = rest.Subtract(LocalAddrs(h, v6, nullptr));  // other interfaces' addresses
  for (const RouteHop& hop : RoutePartition(e.w, v6, rest)) {
    u128 t = hop.local ? kRtnLocal : TypeOfRoute(hop.type);
    if (types.Contains(t)) out = out.Union(hop.dst);
  }
  return out;
}

}  // namespace

void EvalFibMatch(Eval& e) {
  const Stmt& s = e.stmt;
  const Expr& fib = s.e[0];
  const Expr& rhs = s.e[1];
  std::string cond = StmtToString(s);
  bool neg = s.op == MatchOp::kNe;
  bool by_saddr = fib.flags & kFibSaddr;
  Ref addr;
  addr.k = Ref::K::kField;
  addr.field = by_saddr ? F::kSaddr : F::kDaddr;
  addr.bits = e.c.v6 ? 128 : 32;
  bool with_iif = fib.flags & kFibIif;
  bool with_oif = fib.flags & kFibOif;
  if ((with_iif && e.c.iif.kind == IfDom::Kind::kAbsent) || (with_oif && e.c.oif.kind == IfDom::Kind::kAbsent)) {
    e.c.rstate = RuleState::kNoMatch;
    return;
  }
  const IfDom& dev = with_iif ? e.c.iif : e.c.oif;
  bool dev_restricted = with_iif || with_oif;
  if (dev_restricted && dev.kind != IfDom::Kind::kKnown) {
    SplitOpaque(e, cond, cond + " (interface unknown)");
    return;
  }
  const NumSet& dom = e.c.fd(addr.field).set;
  if (fib.key == uint16_t(FibResult::kType)) {
    auto types = RhsSet(e, rhs, s.op, 8);
    if (!types) {
      SplitOpaque(e, cond, cond);
      return;
    }
    NumSet yes = AddrsOfTypes(e, dom, *types, dev_restricted ? &dev.name : nullptr);
    MatchNum(e, addr, yes, neg, cond);
    return;
  }
  // oif / oifname: the interface a route to the address leaves through; with `iif` the
  // lookup is restricted to the input interface (0, "missing", when it is not that one).
  bool want_missing = false, want_exists = false;
  std::vector<std::string> names;
  if (rhs.kind == ExprKind::kValue && rhs.value.kind == Value::Kind::kInt) {
    (rhs.value.num == 0 ? want_missing : want_exists) = true;
  } else if (auto n = RhsNames(e, rhs)) {
    names = *n;
  } else {
    SplitOpaque(e, cond, cond);
    return;
  }
  NumSet yes;
  for (const RouteHop& hop : RoutePartition(e.w, e.c.v6, dom)) {
    std::string out = hop.local ? "lo" : hop.dev;
    if (hop.type != "unicast") out.clear();
    if (out.empty() && !hop.local && hop.assumed) {
      SplitOpaque(e, cond, cond + " (route unknown)");
      return;
    }
    if (dev_restricted && out != dev.name) out.clear();
    bool m = false;
    if (want_missing) m = out.empty();
    else if (want_exists) m = !out.empty();
    else
      for (const auto& p : names) m = m || (!out.empty() && IfnameMatches(out, p));
    if (m) yes = yes.Union(hop.dst);
  }
  MatchNum(e, addr, yes, neg, cond);
}

}  // namespace nftc::sim
