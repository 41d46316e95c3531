// NC5002 jump-to-missing-chain: a jump, goto or verdict-map element names a chain that does
// not exist in the rule's table.
#include <functional>

#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

void VerdictTargets(const Expr& e, std::vector<const Verdict*>& out) {
  if (e.kind == ExprKind::kVerdict) out.push_back(&e.verdict);
  for (const Expr& k : e.kids) VerdictTargets(k, out);
}

class JumpToMissingChainRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    ctx.ForEachRule([&](const Table& t, const Chain& c, const Rule& r) {
      std::vector<const Verdict*> vs;
      for (const Stmt& s : r.stmts) {
        if (s.kind == StmtKind::kVerdict) vs.push_back(&s.verdict);
        for (const Expr& e : s.e) VerdictTargets(e, vs);
      }
      for (const Verdict* v : vs) {
        if (v->kind != VerdictKind::kJump && v->kind != VerdictKind::kGoto) continue;
        if (v->chain.empty() || t.FindChain(v->chain)) continue;
        ctx.Report(ctx.At(t, c, r), std::string(ToString(v->kind)) + " to chain '" + v->chain +
                                        "', which does not exist in " + t.Id())
            .Related(ctx.At(t), "the table the chain is looked up in (jumps never leave their table)")
            .Hint("create the chain or remove the rule; the kernel refuses to load a jump to a "
                  "missing chain, so the loaded ruleset differs from this input");
      }
    });
    // Named verdict maps: elements jumping to missing chains.
    ctx.ForEachSet([&](const Table& t, const Set& s) {
      for (const SetElem& e : s.elems) {
        const Verdict& v = e.verdict;
        if (v.kind != VerdictKind::kJump && v.kind != VerdictKind::kGoto) continue;
        if (v.chain.empty() || t.FindChain(v.chain)) continue;
        ctx.Report(ctx.AtSet(t, s), "verdict map '" + s.name + "' has an element that " +
                                        std::string(ToString(v.kind)) + "s to chain '" + v.chain +
                                        "', which does not exist in " + t.Id())
            .Hint("create the chain or delete the element");
      }
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeJumpToMissingChainRule() { return std::make_unique<JumpToMissingChainRule>(); }

}  // namespace nftc
