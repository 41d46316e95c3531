// nft-coexist diff A B: semantic difference of two rulesets, by owner.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "diff/diff_format.h"
#include "diff/ruleset_diff.h"
#include "input.h"

namespace nftc::cli {

void AddDiffCommand(CLI::App& app, RunFn& run) {
  struct Opts {
    std::string a, b;
    std::string format = "text";
    bool no_graph = false, no_findings = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("diff",
                                 "Compare two rulesets semantically (ignores handles, counters, set element order)");
  sub->add_option("A", o->a, "before: nft JSON, .nft or capture folder")->required();
  sub->add_option("B", o->b, "after: nft JSON, .nft or capture folder")->required();
  sub->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  sub->add_flag("--no-graph", o->no_graph, "do not compare the hook graphs");
  sub->add_flag("--no-findings", o->no_findings, "do not compare lint findings");
  sub->footer("Exit status: 0 when the rulesets are equal, 1 when they differ, 2 on input errors.");
  sub->callback([&run, o] {
    run = [o] {
      Ruleset a = LoadInput(InputSpec{o->a, ""});
      Ruleset b = LoadInput(InputSpec{o->b, ""});
      DiffOptions opts;
      opts.graph = !o->no_graph;
      opts.findings = !o->no_findings;
      auto changes = DiffRulesets(a, b, opts);
      if (o->format == "json") FormatChangesJson(changes, o->a, o->b, std::cout);
      else FormatChangesText(changes, o->a, o->b, std::cout);
      return changes.empty() ? 0 : 1;
    };
  });
}

}  // namespace nftc::cli
