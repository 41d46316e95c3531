#include "cli/commands.h"

#include <CLI/CLI.hpp>

namespace nftc::cli {

void AddInputOptions(CLI::App* sub, InputOptions& o, bool many) {
  auto* opt = sub->add_option("INPUT", o.inputs,
                              "nft JSON file, .nft file, or capture folder; none = the live kernel");
  if (!many) opt->expected(0, 1);
  sub->add_option("--netns", o.netns,
                  "live: inspect this network namespace (name in /run/netns or a path)");
}

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"lint", AddLintCommand},       {"graph", AddGraphCommand},   {"owners", AddOwnersCommand},
      {"trace", AddTraceCommand},     {"rules", AddRulesCommand},   {"explain", AddExplainCommand},
      {"capture", AddCaptureCommand}, {"diff", AddDiffCommand},     {"verify", AddVerifyCommand},
      {"audit", AddAuditCommand},     {"dump", AddDumpCommand},
  };
  return kCommands;
}

}  // namespace nftc::cli
