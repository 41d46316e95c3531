// NC1002 xt-without-arguments: iptables-nft rules whose xtables matches or targets appear in
// nft JSON by name only; without iptables-save their arguments, and so what they match, are
// unknown.
#include <set>

#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

class XtWithoutArgumentsRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    std::set<std::string> reported;  // "family table chain"
    ctx.ForEachChain([&](const Table& t, const Chain& c) {
      std::set<std::string> names;
      std::vector<const Rule*> rules;
      for (const Rule& r : c.rules) {
        bool hit = false;
        for (const Stmt& s : r.stmts) {
          if (s.kind != StmtKind::kXt || !s.xt || s.xt->has_args) continue;
          names.insert(s.xt->name);
          hit = true;
        }
        if (hit) rules.push_back(&r);
      }
      if (rules.empty()) return;
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      std::string count = std::to_string(rules.size()) + (rules.size() == 1 ? " rule uses" : " rules use");
      auto b = ctx.Report(ctx.At(t, c), count + " iptables extensions (" + list +
                                            ") whose arguments nft JSON does not show; what "
                                            "they match or do is unknown");
      b.Hint("give a capture folder that holds iptables-nft-save output (nft-coexist capture), "
             "or lint the live system, so the arguments are merged from iptables-save")
          .Key("xt without arguments: " + list);
      for (const Rule* r : rules) {
        std::string xts;
        for (const Stmt& s : r->stmts)
          if (s.kind == StmtKind::kXt && s.xt && !s.xt->has_args)
            xts += (xts.empty() ? "" : ", ") +
                   std::string(s.xt->type == XtType::kTarget ? "target " : "match ") + s.xt->name;
        b.Related(ctx.At(t, c, *r), "xt " + xts + " without arguments");
      }
      reported.insert(std::string(ToString(t.family)) + " " + t.name + " " + c.name);
    });
    for (const LoadNote& n : ctx.ruleset().notes) {
      if (n.kind != LoadNote::Kind::kXtNoArgs) continue;
      if (reported.count(n.family + " " + n.table + " " + n.chain)) continue;
      ctx.Report(ctx.AtNote(n), "iptables extension without arguments: " + n.message)
          .Hint("give a capture folder that holds iptables-nft-save output, or lint the live "
                "system");
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeXtWithoutArgumentsRule() {
  return std::make_unique<XtWithoutArgumentsRule>();
}

}  // namespace nftc
