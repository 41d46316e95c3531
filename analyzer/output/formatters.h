// Internal: the factories behind MakeFormatter and helpers the formatters share.
#pragma once

#include <memory>
#include <vector>

#include "nftc/formatter.h"

namespace nftc::output {

std::unique_ptr<Formatter> MakeTextFormatter(const FormatOptions& opts);
std::unique_ptr<Formatter> MakeJsonFormatter(const FormatOptions& opts);
std::unique_ptr<Formatter> MakeSarifFormatter(const FormatOptions& opts);
std::unique_ptr<Formatter> MakeJunitFormatter(const FormatOptions& opts);

/// Findings per severity.
struct SeverityCounts {
  size_t error = 0, warning = 0, info = 0;
  size_t total() const { return error + warning + info; }
};
SeverityCounts Count(const std::vector<Diagnostic>& ds);

/// The registry entries of the rules that fired in any input, in ID order.
std::vector<const RuleEntry*> FiredRules(const LintReport& r);

}  // namespace nftc::output
