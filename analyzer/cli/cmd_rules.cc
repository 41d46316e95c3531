// `nft-coexist rules [--format text|json|markdown]`: the rule catalogue.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "lint/rule_catalog.h"
#include "nftc/error.h"

namespace nftc::cli {

void AddRulesCommand(CLI::App& app, RunFn& run) {
  static std::string format = "text";
  auto* sub = app.add_subcommand("rules", "List the lint rules (ID, name, severity, group)");
  sub->add_option("--format", format, "text, json, or markdown (the README table)")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  sub->callback([&run] {
    run = [] {
      std::optional<std::string> s = RenderRuleCatalog(format);
      if (!s) throw InputError("unknown format '" + format + "'");
      std::cout << *s;
      return 0;
    };
  });
}

}  // namespace nftc::cli
