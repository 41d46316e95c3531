// NC1004 load-degradation: the loader skipped or simplified something it could not use
// (an unsupported object, a truncated or partial input) instead of failing.
#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

class LoadDegradationRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    for (const LoadNote& n : ctx.ruleset().notes) {
      if (n.kind != LoadNote::Kind::kUnsupported && n.kind != LoadNote::Kind::kOther) continue;
      ctx.Report(ctx.AtNote(n), "part of the input was not fully understood: " + n.message)
          .Hint("the analysis continued without it; findings that depend on this part may be "
                "missing or wrong. Check it by hand, or give a more complete input");
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeLoadDegradationRule() { return std::make_unique<LoadDegradationRule>(); }

}  // namespace nftc
