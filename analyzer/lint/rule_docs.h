// Rule documentation pages (rules/ncNNNN_slug.md): where they are and what SARIF, `rules`
// and `explain` take from them.
#pragma once

#include <optional>
#include <string>

#include "nftc/lint_rule.h"

namespace nftc {

/// The parts of a rule's doc page that outputs use.
struct RuleDoc {
  std::string path;      ///< file it was read from
  std::string title;     ///< first line without "# " ("NC1001 unknown-expression")
  std::string message;   ///< the paragraph after the title: the message as users see it
  std::string what;      ///< the "What it detects" paragraph(s), joined into one line
  std::string markdown;  ///< the whole page
};

/// "nc1001_unknown-expression.md".
std::string DocFileName(const RuleEntry& r);

/// The folder holding the doc pages: $NFTC_RULES_DIR if set, else
/// <dir of the executable>/../share/nft-coexist/rules if it exists, else the source tree's
/// rules/ folder (NFTC_SOURCE_DIR).
std::string RuleDocsDir();

/// Reads and splits a rule's doc page; nullopt if the file is missing.
std::optional<RuleDoc> LoadRuleDoc(const RuleEntry& r);

/// Splits doc text (exposed for the registry test).
RuleDoc ParseRuleDoc(const std::string& text, const std::string& path);

}  // namespace nftc
