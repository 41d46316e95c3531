// nft-coexist: parse the command line and dispatch to a subcommand (analyzer/cli/cmd_*.cc).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "nftc/error.h"

int main(int argc, char** argv) {
  CLI::App app{"nft-coexist: do the firewall rules of several programs get along?", "nft-coexist"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("nft-coexist ") + NFTC_VERSION);
  nftc::cli::RunFn run;
  for (const auto& c : nftc::cli::Commands()) c.add(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : nftc::kExitInputError;
  }
  try {
    return run ? run() : nftc::kExitInputError;
  } catch (const nftc::InputError& e) {
    std::cerr << "nft-coexist: error: " << e.Describe() << "\n";
    return nftc::kExitInputError;
  } catch (const std::exception& e) {
    std::cerr << "nft-coexist: error: " << e.what() << "\n";
    return nftc::kExitInputError;
  }
}
