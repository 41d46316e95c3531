// State shared by all rules of one lint run over one ruleset: the model and the analyses
// built from it on first use (hook graph, simulator, once they land). RuleContext forwards
// to it, so each analysis is built at most once per ruleset.
#pragma once

#include <memory>

#include "nftc/hook_graph.h"
#include "nftc/model.h"
#include "lint/assumed_host.h"
#include "nftc/packet_path.h"

namespace nftc {

/// One ruleset under lint. Not copyable: rule contexts keep a reference.
class LintSession {
 public:
  explicit LintSession(const Ruleset& rs) : rs_(rs) {}
  LintSession(const LintSession&) = delete;
  LintSession& operator=(const LintSession&) = delete;

  const Ruleset& ruleset() const { return rs_; }

  /// Simulator options for this ruleset: the hook plan is built once and shared by every
  /// simulated packet of the run (lint's probe rules simulate thousands); without captured
  /// interfaces, the stand-in host of assumed_host.h.
  const SimOptions& sim_options() {
    if (!sim_opts_.plan) {
      sim_opts_.plan = PlanHooks(rs_, sim_opts_.include_legacy);
      sim_opts_.host = AssumedHost(rs_.host);
    }
    return sim_opts_;
  }

  /// The hook graph, built on first use.
  const HookGraph& graph() {
    if (!graph_) graph_ = std::make_unique<HookGraph>(HookGraph::Build(rs_));
    return *graph_;
  }

 private:
  const Ruleset& rs_;
  // Lazily built analyses: each has an accessor that builds it on first call.
  std::unique_ptr<HookGraph> graph_;
  SimOptions sim_opts_;
};

}  // namespace nftc
