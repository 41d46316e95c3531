// The subcommand table. main.cc only parses and dispatches: each command lives in its own
// analyzer/cli/cmd_<name>.cc, which adds its subcommand and options to the app and sets
// `run` to its body. A body returns the process exit code (0 ok, 1 findings/drift, 2 input
// or usage error) and may throw InputError (reported as exit 2 by main).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace nftc::cli {

using RunFn = std::function<int()>;

/// Options every command that reads a ruleset shares.
struct InputOptions {
  std::vector<std::string> inputs;  ///< files or capture folders; none = live kernel
  std::string netns;                ///< live: network namespace name or path
};
/// Adds positional INPUT... and --netns to a subcommand.
void AddInputOptions(CLI::App* sub, InputOptions& o, bool many = false);

/// One entry per subcommand, in the order `--help` lists them.
struct Command {
  const char* name;
  void (*add)(CLI::App& app, RunFn& run);
};
const std::vector<Command>& Commands();

// The commands. Each is defined in analyzer/cli/cmd_<name>.cc.
void AddGraphCommand(CLI::App& app, RunFn& run);
void AddOwnersCommand(CLI::App& app, RunFn& run);
void AddTraceCommand(CLI::App& app, RunFn& run);
void AddLintCommand(CLI::App& app, RunFn& run);
void AddRulesCommand(CLI::App& app, RunFn& run);
void AddExplainCommand(CLI::App& app, RunFn& run);
void AddCaptureCommand(CLI::App& app, RunFn& run);
void AddDiffCommand(CLI::App& app, RunFn& run);
void AddVerifyCommand(CLI::App& app, RunFn& run);
void AddAuditCommand(CLI::App& app, RunFn& run);
void AddDumpCommand(CLI::App& app, RunFn& run);

}  // namespace nftc::cli
