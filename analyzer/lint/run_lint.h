// The `lint` command's body, separate from CLI parsing so tests can call it: load each
// input, lint it, apply the baseline, format, and compute the exit code.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace nftc {

/// Everything `nft-coexist lint` accepts.
struct LintCommandOptions {
  std::vector<std::string> inputs;  ///< files or capture folders; empty = the live kernel
  std::string netns;                ///< live only
  std::string format = "text";      ///< text | json | sarif | junit
  std::string fail_on;              ///< error|warning|info|none; empty = config, else warning
  std::string config;               ///< --config FILE
  bool no_config = false;           ///< --no-config
  bool no_inline = false;           ///< --no-inline: ignore inline directives
  std::string baseline;             ///< --baseline FILE
  std::string write_baseline;       ///< --write-baseline FILE
  std::vector<std::string> enable, disable;  ///< --enable / --disable rule lists
  std::string color = "auto";       ///< auto | always | never (text format)
  std::string cwd;                  ///< config discovery start; empty = current directory
};

/// Runs lint and writes the report to `out`, load errors to `err`. Returns 0 (nothing at or
/// above fail-on), 1 (findings), 2 (usage or input error: unknown format, bad config or
/// baseline, an input that cannot be loaded; the other inputs are still linted).
int RunLintCommand(const LintCommandOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace nftc
