// State shared by all rules of one lint run over one ruleset: the model and the analyses
// built from it on first use (hook graph, simulator, once they land). RuleContext forwards
// to it, so each analysis is built at most once per ruleset.
#pragma once

#include "nftc/model.h"

namespace nftc {

/// One ruleset under lint. Not copyable: rule contexts keep a reference.
class LintSession {
 public:
  explicit LintSession(const Ruleset& rs) : rs_(rs) {}
  LintSession(const LintSession&) = delete;
  LintSession& operator=(const LintSession&) = delete;

  const Ruleset& ruleset() const { return rs_; }

 private:
  const Ruleset& rs_;
  // Lazily built analyses go here (std::unique_ptr<HookGraph> graph_; ...), each with an
  // accessor that builds it on first call.
};

}  // namespace nftc
