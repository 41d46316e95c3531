// NC2002 ct-state-before-conntrack: `ct state` (or iptables' conntrack/state match) in a
// chain that runs below -200 at prerouting or output, i.e. before conntrack has looked the
// packet up (netfilter-semantics.md §2): every packet looks untracked there, so
// `ct state established accept` never matches and `ct state new drop` never fires.
#include <set>

#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

bool MatchesCtState(const Stmt& s) {
  if (s.kind == StmtKind::kMatch && !s.e.empty()) {
    const Expr* e = &s.e[0];
    if (e->kind == ExprKind::kBinop && !e->kids.empty()) e = &e->kids[0];
    return e->kind == ExprKind::kCt && (e->ct() == CtKey::kState || e->ct() == CtKey::kStatus);
  }
  if (s.kind == StmtKind::kXt && s.xt && s.xt->type == XtType::kMatch)
    return s.xt->name == "conntrack" || s.xt->name == "state";
  return false;
}

class CtStateBeforeConntrackRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    ctx.ForEachBaseChain([&](const Table& t, const Chain& base) {
      if (t.family != Family::kIp && t.family != Family::kIp6 && t.family != Family::kInet) return;
      if (base.hook != Hook::kPrerouting && base.hook != Hook::kOutput) return;
      if (base.prio >= -200) return;
      std::set<const Chain*> visited;
      Visit(ctx, t, base, base, visited);
    });
  }

 private:
  static void Visit(RuleContext& ctx, const Table& t, const Chain& base, const Chain& c, std::set<const Chain*>& visited) {
    if (!visited.insert(&c).second) return;
    for (const Rule& r : c.rules) {
      bool reported = false;
      for (const Stmt& s : r.stmts) {
        if (!reported && MatchesCtState(s)) {
          reported = true;
          ctx.Report(ctx.At(t, c, r),
                     "matches ct state in a chain that runs at " + std::string(ToString(base.hook)) +
                         " priority " + std::to_string(base.prio) + " (base chain '" + base.name +
                         "'), before conntrack (-200): the state is not known yet, so the match never sees "
                         "established or new")
              .Hint("move the rule to a chain with priority -200 or higher (e.g. mangle -150 or filter 0); "
                    "keep only notrack and stateless matches below -200")
              .Fix("nft add chain " + std::string(ToString(t.family)) + " " + t.name + " " + base.name +
                   "_ct '{ type filter hook " + std::string(ToString(base.hook)) +
                   " priority mangle; }'  # then move this rule there");
        }
        if (s.kind == StmtKind::kVerdict &&
            (s.verdict.kind == VerdictKind::kJump || s.verdict.kind == VerdictKind::kGoto))
          if (const Chain* to = t.FindChain(s.verdict.chain)) Visit(ctx, t, base, *to, visited);
      }
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeCtStateBeforeConntrackRule() { return std::make_unique<CtStateBeforeConntrackRule>(); }

}  // namespace nftc
