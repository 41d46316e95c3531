// NC1001 unknown-expression: a rule holds a statement or expression the model does not know,
// so the verdict the analysis computes for packets reaching it may be wrong.
#include <set>

#include "model/hash_expr.h"
#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

void CollectUnknown(const Expr& e, std::set<std::string>& kinds) {
  // numgen/jhash/symhash with "mod" are modelled (the simulator forks on their values).
  if (e.kind == ExprKind::kUnknown && !ParseHashExpr(e)) kinds.insert(e.name.empty() ? "?" : e.name);
  for (const Expr& k : e.kids) CollectUnknown(k, kinds);
}

std::string Join(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& x : s) out += (out.empty() ? "" : ", ") + ("'" + x + "'");
  return out;
}

class UnknownExpressionRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    std::set<std::string> reported;  // "family table chain handle" already covered
    ctx.ForEachRule([&](const Table& t, const Chain& c, const Rule& r) {
      std::set<std::string> stmts, exprs;
      for (const Stmt& s : r.stmts) {
        if (s.kind == StmtKind::kUnknown) stmts.insert(s.text.empty() ? "?" : s.text);
        for (const Expr& e : s.e) CollectUnknown(e, exprs);
      }
      if (stmts.empty() && exprs.empty()) return;
      std::string what;
      if (!stmts.empty()) what += "statement " + Join(stmts);
      if (!exprs.empty()) what += (what.empty() ? "" : " and ") + ("expression " + Join(exprs));
      ctx.Report(ctx.At(t, c, r), "rule uses " + what +
                                      " that nft-coexist does not understand; the verdict of "
                                      "packets reaching this rule may depend on it")
          .Hint("the analysis treats this rule as possibly matching or not; findings about chain '" +
                c.name + "' and the hook it is on are uncertain. Check the rule by hand, or report "
                "the expression kind so that it can be modelled");
      reported.insert(std::string(ToString(t.family)) + " " + t.name + " " + c.name + " " +
                      std::to_string(r.handle));
    });
    // Unknown expressions the loader met outside a rule the model kept (e.g. in a set
    // element or an object) are only in the notes.
    for (const LoadNote& n : ctx.ruleset().notes) {
      if (n.kind != LoadNote::Kind::kUnknownExpr) continue;
      std::string key = n.family + " " + n.table + " " + n.chain + " " + std::to_string(n.handle);
      if (reported.count(key)) continue;
      ctx.Report(ctx.AtNote(n), "input holds an expression nft-coexist does not understand (" +
                                    n.message + "); verdicts may depend on it")
          .Hint("check this part of the ruleset by hand, or report the expression kind so that "
                "it can be modelled");
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeUnknownExpressionRule() {
  return std::make_unique<UnknownExpressionRule>();
}

}  // namespace nftc
