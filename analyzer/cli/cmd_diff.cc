// STUB: replaced by the command's real implementation.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"

namespace nftc::cli {

void AddDiffCommand(CLI::App& app, RunFn& run) {
  auto* sub = app.add_subcommand("diff", "(not implemented yet)");
  sub->callback([&run] { run = [] { std::cerr << "nft-coexist: diff: not implemented yet\n"; return 2; }; });
}

}  // namespace nftc::cli
