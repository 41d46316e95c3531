// NC5004 undefined-set: a rule references a named set or map (`@name`) that its table does
// not define.
#include <set>

#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

void SetRefs(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == ExprKind::kSetRef && !e.name.empty()) out.push_back(e.name);
  for (const Expr& k : e.kids) SetRefs(k, out);
}

class UndefinedSetRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    ctx.ForEachRule([&](const Table& t, const Chain& c, const Rule& r) {
      std::vector<std::string> names;
      for (const Stmt& s : r.stmts) {
        for (const Expr& e : s.e) SetRefs(e, names);
        if (s.kind == StmtKind::kSetUpdate && !s.text.empty())
          names.push_back(s.text[0] == '@' ? s.text.substr(1) : s.text.str());
      }
      std::set<std::string> done;
      for (const std::string& n : names) {
        if (t.FindSet(n) || !done.insert(n).second) continue;
        ctx.Report(ctx.At(t, c, r), "rule references set or map '@" + n + "', which " + t.Id() +
                                        " does not define")
            .Related(ctx.At(t), "sets are looked up in the rule's own table")
            .Hint("define the set in this table or fix the name; the kernel refuses to load a "
                  "rule that names a missing set");
      }
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeUndefinedSetRule() { return std::make_unique<UndefinedSetRule>(); }

}  // namespace nftc
