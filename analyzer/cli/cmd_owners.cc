// nft-coexist owners [INPUT]: which program made each table and chain, with the evidence.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "input.h"
#include "nftc/owners.h"
#include "owners/owners_report.h"

namespace nftc::cli {

void AddOwnersCommand(CLI::App& app, RunFn& run) {
  struct Opts {
    InputOptions in;
    std::string format = "text";
    bool rules = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("owners", "Attribute every table, chain, rule and set to the program that made it");
  AddInputOptions(sub, o->in);
  sub->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  sub->add_flag("--rules", o->rules, "also list every rule with its owner");
  sub->callback([&run, o] {
    run = [o] {
      InputSpec spec{o->in.inputs.empty() ? std::string() : o->in.inputs.front(), o->in.netns};
      Ruleset rs = LoadInput(spec);
      if (o->format == "json") FormatOwnersJson(rs, o->rules, std::cout);
      else FormatOwnersText(rs, o->rules, std::cout);
      return 0;
    };
  });
}

}  // namespace nftc::cli
