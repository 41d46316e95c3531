// NC1003 iptables-merge-mismatch: iptables-save and the nft JSON of the same tables did not
// line up, so the arguments of some xt rules could not be merged (or may sit on the wrong rule).
#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

class IptablesMergeMismatchRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    for (const LoadNote& n : ctx.ruleset().notes) {
      if (n.kind != LoadNote::Kind::kMergeMismatch) continue;
      ctx.Report(ctx.AtNote(n), "iptables-save and the nft ruleset disagree here (" + n.message +
                                    "); the iptables rules of this chain could not be matched "
                                    "with certainty")
          .Hint("take nft JSON and iptables-save at the same moment (nft-coexist capture), so "
                "that both describe the same rules; findings about this chain are uncertain");
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeIptablesMergeMismatchRule() {
  return std::make_unique<IptablesMergeMismatchRule>();
}

}  // namespace nftc
