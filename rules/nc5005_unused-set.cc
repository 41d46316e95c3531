// NC5005 unused-set: a named set or map that no rule of its table refers to (a leftover,
// or a ban/allow list the rules that should use it never got).
#include <set>

#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"
#include "refs.h"

namespace nftc {
namespace {

void UnknownJson(const Expr& e, std::string& out) {
  if (e.kind == ExprKind::kUnknown) out += e.json;
  for (const Expr& k : e.kids) UnknownJson(k, out);
}

class UnusedSetRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    ctx.ForEachTable([&](const Table& t) {
      if (t.sets.empty()) return;
      std::set<std::string> used;
      std::string unknown;  // original JSON of statements the model did not understand
      for (const Chain& c : t.chains)
        for (const Rule& r : c.rules) {
          for (std::string& n : refs::SetRefs(r)) used.insert(std::move(n));
          for (const Stmt& s : r.stmts) {
            unknown += s.json;
            for (const Expr& e : s.e) UnknownJson(e, unknown);
          }
        }
      for (const Set& s : t.sets) {
        // Anonymous sets ("__set0") belong to one rule; nft JSON normally hides them.
        if (s.name.rfind("__", 0) == 0 || used.count(s.name)) continue;
        // A statement the model does not understand may name it (a meter's set, `ct count`).
        if (unknown.find("\"" + s.name + "\"") != std::string::npos ||
            unknown.find("\"@" + s.name + "\"") != std::string::npos)
          continue;
        std::string kind = s.is_map ? (s.data.size() == 1 && s.data[0] == DataType::kVerdict ? "verdict map" : "map")
                                    : "set";
        std::string n = std::to_string(s.elems.size());
        ctx.Report(ctx.AtSet(t, s), kind + " '" + s.name + "' (" + n + (s.elems.size() == 1 ? " element" : " elements") +
                                        ") is defined in " + t.Id() + " but no rule refers to it")
            .Related(ctx.At(t), "no rule of this table names @" + s.name +
                                    " (sets are looked up only in their own table)")
            .Hint("if the set is a ban or allow list, the rule that should use it is missing (its "
                  "elements have no effect); otherwise it is a leftover: delete it")
            .Fix("nft delete " + std::string(s.is_map ? "map " : "set ") + std::string(ToString(t.family)) + " " +
                 t.name + " " + s.name)
            .Key(t.Id() + " " + s.name);
      }
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeUnusedSetRule() { return std::make_unique<UnusedSetRule>(); }

}  // namespace nftc
