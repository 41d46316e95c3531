// load -> lint -> baseline -> format -> exit code.
#include "lint/run_lint.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "input.h"
#include "lint/baseline.h"
#include "lint/config.h"
#include "lint/engine.h"
#include "nftc/error.h"
#include "nftc/formatter.h"

namespace nftc {

namespace {

LintConfig ResolveConfig(const LintCommandOptions& o) {
  if (!o.config.empty()) return LoadConfigFile(o.config);
  if (o.no_config) return {};
  std::string cwd = o.cwd.empty() ? std::filesystem::current_path().string() : o.cwd;
  if (auto found = DiscoverConfig(cwd, std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME")))
    return LoadConfigFile(*found);
  return {};
}

void AddFlagDirectives(LintConfig& cfg, const std::vector<std::string>& lists,
                       ConfigDirective::Action action, const char* flag) {
  SourceRef where;
  where.file = flag;
  for (const std::string& l : lists) {
    ConfigDirective d;
    d.action = action;
    d.rules = ParseRuleList(l, where);
    d.where = where;
    cfg.directives.push_back(std::move(d));
  }
}

bool UseColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

}  // namespace

int RunLintCommand(const LintCommandOptions& o, std::ostream& out, std::ostream& err) {
  FormatOptions fopts;
  fopts.color = o.format == "text" && UseColor(o.color);
  std::unique_ptr<Formatter> fmt = MakeFormatter(o.format, fopts);
  if (!fmt) {
    std::string names;
    for (const std::string& n : FormatterNames()) names += (names.empty() ? "" : ", ") + n;
    throw InputError("unknown format '" + o.format + "' (expected " + names + ")");
  }
  if (o.color != "auto" && o.color != "always" && o.color != "never")
    throw InputError("--color must be auto, always or never");

  LintOptions lopts;
  lopts.config = ResolveConfig(o);
  AddFlagDirectives(lopts.config, o.enable, ConfigDirective::Action::kEnable, "--enable");
  AddFlagDirectives(lopts.config, o.disable, ConfigDirective::Action::kDisable, "--disable");
  if (o.no_inline) lopts.config.inline_directives = false;

  LintReport report;
  report.tool_version = NFTC_VERSION;
  report.fail_on = Severity::kWarning;
  if (!o.fail_on.empty()) report.fail_on = ParseFailOn(o.fail_on, SourceRef{"--fail-on"});
  else if (lopts.config.has_fail_on) report.fail_on = lopts.config.fail_on;

  std::optional<Baseline> baseline;
  if (!o.baseline.empty()) baseline = ReadBaseline(o.baseline);

  std::vector<std::string> inputs = o.inputs;
  if (inputs.empty()) inputs.push_back("");  // live
  bool input_error = false;
  for (const std::string& path : inputs) {
    InputReport in;
    in.input = path.empty() ? (o.netns.empty() ? "live" : "live:" + o.netns) : path;
    std::error_code ec;
    if (!path.empty() && std::filesystem::is_regular_file(path, ec)) in.artifact = path;
    try {
      Ruleset rs = LoadInput(InputSpec{path, o.netns});
      LintOutcome lo = RunLint(rs, lopts);
      in.findings = std::move(lo.findings);
      in.suppressed = lo.suppressed.size();
      in.rules_run = std::move(lo.rules_run);
    } catch (const InputError& e) {
      in.loaded = false;
      in.error = (e.where().file.empty() ? in.input + ": " : "") + e.Describe();
      input_error = true;
      err << "nft-coexist: error: " << in.error << "\n";
    }
    report.inputs.push_back(std::move(in));
  }

  if (!o.write_baseline.empty()) {
    std::ofstream f(o.write_baseline, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError("cannot write baseline file", SourceRef{o.write_baseline});
    f << BaselineText(report);
    // The findings just written are accepted from now on, this run included.
    for (InputReport& in : report.inputs) {
      in.baselined += in.findings.size();
      in.findings.clear();
    }
  }
  if (baseline)
    for (InputReport& in : report.inputs) in.baselined += ApplyBaseline(*baseline, in.findings);

  fmt->Write(report, out);
  out.flush();
  if (input_error) return kExitInputError;
  return report.FailingCount() > 0 ? kExitFindings : kExitOk;
}

}  // namespace nftc
