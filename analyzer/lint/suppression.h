// Suppression: config selectors and inline `nft-coexist: disable=...` directives in nft
// comments. Inline scope is the commented object and its children: a table comment covers
// its chains, rules and sets; a chain comment covers its rules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lint/config.h"
#include "nftc/diagnostic.h"
#include "nftc/model.h"

namespace nftc {

/// The comments of the objects that contain `where`, outermost first (table, chain,
/// rule or set). Objects missing from the ruleset contribute nothing.
std::vector<std::string> ScopeComments(const Ruleset& rs, const Location& where);

/// The rule IDs an nft comment disables inline: "nft-coexist: disable=NC3001,NC2002 --
/// reason" gives {"NC3001","NC2002"}; "all" disables every rule. Unknown names are ignored
/// (a comment is not the place to fail a run). Several directives in one comment add up.
std::vector<std::string> InlineDisabled(std::string_view comment);

/// True if an inline directive in scope of `d.where` disables d.id.
bool SuppressedInline(const Ruleset& rs, const Diagnostic& d);

/// True if the selector matches the finding (every non-empty field matches).
bool SelectorMatches(const Selector& sel, const Ruleset& rs, const Diagnostic& d);

}  // namespace nftc
