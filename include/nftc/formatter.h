// Output formats of `nft-coexist lint`. A formatter is a leaf: it receives the finished,
// sorted report of all inputs and writes it; it never influences the analysis.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nftc/diagnostic.h"
#include "nftc/lint_rule.h"

namespace nftc {

/// The lint result of one input.
struct InputReport {
  std::string input;         ///< as the user named it; "live" or "live:NETNS" for the kernel
  std::string artifact;      ///< file path for SARIF physicalLocation; empty for live input
  bool loaded = true;        ///< false: the input could not be read (error holds why)
  std::string error;         ///< InputError description when !loaded
  std::vector<Diagnostic> findings;  ///< reported, sorted with DiagnosticLess
  size_t suppressed = 0;     ///< findings removed by config or inline directives
  size_t baselined = 0;      ///< findings matched by --baseline
  std::vector<const RuleEntry*> rules_run;  ///< the rules that ran, in registry order
};

/// Everything a formatter prints.
struct LintReport {
  std::string tool_version;  ///< NFTC_VERSION (golden tests mask it)
  std::optional<Severity> fail_on;  ///< threshold; nullopt = "none"
  std::vector<InputReport> inputs;
  /// Number of findings at or above fail_on over all inputs.
  size_t FailingCount() const;
};

/// Per-run presentation options.
struct FormatOptions {
  bool color = false;  ///< ANSI colours (text only): the CLI sets it for a tty without NO_COLOR
};

/// One output format.
class Formatter {
 public:
  virtual ~Formatter() = default;
  virtual void Write(const LintReport& report, std::ostream& out) const = 0;
};

/// Creates the formatter called `name` ("text", "json", "sarif", "junit"); nullptr if unknown.
std::unique_ptr<Formatter> MakeFormatter(std::string_view name, const FormatOptions& opts);
/// The names MakeFormatter accepts, in help order.
std::vector<std::string> FormatterNames();

}  // namespace nftc
