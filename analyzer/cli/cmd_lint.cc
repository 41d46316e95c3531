// `nft-coexist lint [INPUT...]`: options only; the body is RunLintCommand (lint/run_lint.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "lint/run_lint.h"

namespace nftc::cli {

void AddLintCommand(CLI::App& app, RunFn& run) {
  static InputOptions in;
  static LintCommandOptions o;
  auto* sub = app.add_subcommand(
      "lint", "Report coexistence problems (exit 0 clean, 1 findings, 2 input or usage error)");
  AddInputOptions(sub, in, /*many=*/true);
  sub->add_option("--format", o.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "junit"}))
      ->capture_default_str();
  sub->add_option("--fail-on", o.fail_on,
                  "Exit 1 when a finding is at or above this severity (default: warning)")
      ->check(CLI::IsMember({"error", "warning", "info", "none"}));
  sub->add_option("--config", o.config,
                  "Config file (default: .nft-coexistrc in this or a parent directory, then "
                  "$XDG_CONFIG_HOME/nft-coexist/config)");
  sub->add_flag("--no-config", o.no_config, "Do not read any config file");
  sub->add_flag("--no-inline", o.no_inline,
                "Ignore `nft-coexist: disable=...` directives in nft comments");
  sub->add_option("--baseline", o.baseline,
                  "Accept the findings listed in this baseline file; fail only on new ones");
  sub->add_option("--write-baseline", o.write_baseline,
                  "Write today's findings to this baseline file and accept them");
  sub->add_option("--enable", o.enable, "Also run these rules (IDs or names, comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--disable", o.disable, "Do not run these rules (IDs or names, comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--color", o.color, "Colour text output: auto (tty and no NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  sub->callback([&run] {
    run = [] {
      o.inputs = in.inputs;
      o.netns = in.netns;
      return RunLintCommand(o, std::cout, std::cerr);
    };
  });
}

}  // namespace nftc::cli
