// nft-coexist verify --against CAPTURE [INPUT]: post-reboot verification. Exit 0 when the
// live (or given) ruleset matches the expected capture up to volatile parts, 1 on drift.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "diff/diff_format.h"
#include "diff/ruleset_diff.h"
#include "input.h"
#include "nftc/error.h"

namespace nftc::cli {

void AddVerifyCommand(CLI::App& app, RunFn& run) {
  struct Opts {
    InputOptions in;
    std::string against, allow, format = "text";
    bool quiet = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("verify", "Check that the live (or given) ruleset still matches a capture");
  AddInputOptions(sub, o->in);
  sub->add_option("--against", o->against, "the expected ruleset: capture folder or nft JSON")->required();
  sub->add_option("--allow", o->allow,
                  "allowed-changes file: one pattern per line, e.g. 'set-elements owner=fail2ban'");
  sub->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  sub->add_flag("-q,--quiet", o->quiet, "print nothing when the ruleset matches");
  sub->footer("Exit status: 0 match (allowed changes only), 1 drift, 2 input error.");
  sub->callback([&run, o] {
    run = [o] {
      std::vector<AllowPattern> allow;
      if (!o->allow.empty()) {
        std::ifstream f(o->allow);
        if (!f) throw InputError("cannot open allowed-changes file", SourceRef{o->allow, -1, -1});
        std::stringstream ss;
        ss << f.rdbuf();
        allow = ParseAllowList(ss.str(), o->allow);
      }
      Ruleset expected = LoadInput(InputSpec{o->against, ""});
      InputSpec spec{o->in.inputs.empty() ? std::string() : o->in.inputs.front(), o->in.netns};
      Ruleset actual = LoadInput(spec);
      auto changes = DiffRulesets(expected, actual);
      size_t drift = ApplyAllowList(changes, allow);
      std::string name = spec.path.empty() ? (spec.netns.empty() ? "live" : "live:" + spec.netns) : spec.path;
      if (o->format == "json") {
        FormatChangesJson(changes, o->against, name, std::cout);
      } else if (!(o->quiet && drift == 0)) {
        FormatChangesText(changes, o->against, name, std::cout);
        std::cout << (drift == 0 ? "verify: OK, matches " : "verify: DRIFT, ") << (drift ? std::to_string(drift) + " unexpected changes against " : "")
                  << o->against << "\n";
      }
      return drift == 0 ? 0 : 1;
    };
  });
}

}  // namespace nftc::cli
