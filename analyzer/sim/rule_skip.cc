// Rules that cannot match a path are skipped before any statement forks it; see rule_skip.h.
#include "sim/rule_skip.h"

#include "sim/expr_eval.h"

namespace nftc::sim {

namespace {

// Is match statement e.stmt false for every packet of the path's domain? Only field and
// interface-name matches against constants are checked, without forking or narrowing;
// false ("may match") is always a safe answer.
bool Impossible(const Eval& e) {
  const Stmt& s = e.stmt;
  if (s.kind != StmtKind::kMatch || s.e.size() != 2) return false;
  const Expr& lhs = s.e[0];
  const Expr& rhs = s.e[1];
  if (lhs.kind != ExprKind::kPayload && lhs.kind != ExprKind::kMeta) return false;
  if (rhs.kind == ExprKind::kSetRef || rhs.kind == ExprKind::kFlags) return false;
  if (rhs.type == DataType::kCtState || rhs.type == DataType::kCtStatus || rhs.type == DataType::kTcpFlags ||
      lhs.type == DataType::kCtStatus)
    return false;  // bit tests (EvalMatch's flag_test)
  Ref r = Resolve(e, lhs);
  if (r.k == Ref::K::kBreak) return true;
  bool neg = s.op == MatchOp::kNe;
  if (r.k == Ref::K::kIif || r.k == Ref::K::kOif) {
    auto names = RhsNames(e, rhs);
    if (!names || names->empty()) return false;
    const IfDom& d = r.k == Ref::K::kIif ? e.c.iif : e.c.oif;
    bool maybe = false, surely = false;
    for (const std::string& n : *names) {
      int x = d.Decide(n);
      maybe = maybe || x != 0;
      surely = surely || x == 1;
    }
    return neg ? surely : !maybe;
  }
  if (r.k != Ref::K::kField) return false;
  auto set = RhsSet(e, rhs, s.op, r.bits);
  if (!set) return false;
  const NumSet& d = e.c.fd(r.field).set;
  if (d.IsSingle()) return set->Contains(d.First()) == neg;
  return neg ? d.SubsetOf(*set) : !d.Overlaps(*set);
}

}  // namespace

bool RuleCannotMatch(const World& w, Ctx& c, const Table& t, const Rule& r) {
  std::vector<Ctx> none;
  for (const Stmt& s : r.stmts) {
    if (s.kind != StmtKind::kMatch) break;  // later matches may read what a statement set
    Eval e{w, c, none, t, s};
    if (Impossible(e)) return true;
  }
  return false;
}

}  // namespace nftc::sim
