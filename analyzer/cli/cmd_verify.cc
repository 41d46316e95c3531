// STUB: replaced by the command's real implementation.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"

namespace nftc::cli {

void AddVerifyCommand(CLI::App& app, RunFn& run) {
  auto* sub = app.add_subcommand("verify", "(not implemented yet)");
  sub->callback([&run] { run = [] { std::cerr << "nft-coexist: verify: not implemented yet\n"; return 2; }; });
}

}  // namespace nftc::cli
