// NCNNNN slug: one line on what the rule reports.
//
// Copy to rules/ncNNNN_slug.cc, rename the class and the factory, add the factory's
// declaration and one row to rules/registry.cc, write rules/ncNNNN_slug.md from
// TEMPLATE.md, and add corpora/minimal/NCNNNN-pos.json and -neg.json.
#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

class TemplateRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    ctx.ForEachBaseChain([&](const Table& t, const Chain& c) {
      if (c.hook != Hook::kForward || c.policy != Policy::kDrop) return;
      // Messages never contain the ID; keep handles out of them (fingerprints).
      ctx.Report(ctx.At(t, c), "forward chain '" + c.name + "' drops by default")
          .Hint("what to change, in words")
          .Fix("nft chain " + std::string(ToString(t.family)) + " " + t.name + " " + c.name +
               " '{ policy accept; }'");
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeTemplateRule() { return std::make_unique<TemplateRule>(); }

}  // namespace nftc
