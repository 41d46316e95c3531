// The rule catalogue as `nft-coexist rules` prints it, in text, JSON or a Markdown table
// (the one rules/README.md embeds; a test keeps them equal).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nftc {

/// Renders the registry in `format` ("text", "json", "markdown"); nullopt for an unknown
/// format. Removed rules are listed too (their IDs stay reserved).
std::optional<std::string> RenderRuleCatalog(std::string_view format);

/// The text of `explain ID|slug`: the rule's doc page, or nullopt if the rule is unknown.
/// Throws InputError if the rule exists but its doc page cannot be found.
std::optional<std::string> ExplainRule(std::string_view id_or_slug);

}  // namespace nftc
