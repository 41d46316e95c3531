// nft-coexist graph [INPUT]: the hook/priority graph of all tables (text, json, dot).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "graph/graph_format.h"
#include "input.h"
#include "nftc/hook_graph.h"

namespace nftc::cli {

void AddGraphCommand(CLI::App& app, RunFn& run) {
  struct Opts {
    InputOptions in;
    std::string format = "text";
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("graph", "Show every base chain per pipeline and hook in kernel order");
  AddInputOptions(sub, o->in);
  sub->add_option("--format", o->format, "text (default), json or dot")
      ->check(CLI::IsMember({"text", "json", "dot"}));
  sub->callback([&run, o] {
    run = [o] {
      InputSpec spec{o->in.inputs.empty() ? std::string() : o->in.inputs.front(), o->in.netns};
      Ruleset rs = LoadInput(spec);
      HookGraph g = HookGraph::Build(rs);
      if (o->format == "json") FormatGraphJson(g, std::cout);
      else if (o->format == "dot") FormatGraphDot(g, std::cout);
      else FormatGraphText(g, std::cout);
      return 0;
    };
  });
}

}  // namespace nftc::cli
