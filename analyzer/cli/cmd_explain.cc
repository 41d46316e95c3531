// `nft-coexist explain ID|name`: prints the rule's doc page.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "lint/rule_catalog.h"
#include "nftc/error.h"

namespace nftc::cli {

void AddExplainCommand(CLI::App& app, RunFn& run) {
  static std::string rule;
  auto* sub = app.add_subcommand("explain", "Show a lint rule's documentation");
  sub->add_option("RULE", rule, "Rule ID (NC1001) or name (unknown-expression)")->required();
  sub->callback([&run] {
    run = [] {
      std::optional<std::string> doc = ExplainRule(rule);
      if (!doc)
        throw InputError("unknown rule '" + rule + "' (see `nft-coexist rules`)");
      std::cout << *doc;
      return 0;
    };
  });
}

}  // namespace nftc::cli
