// Printers for a list of Changes: text grouped by owner, and versioned JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "diff/ruleset_diff.h"

namespace nftc {

/// Text: one block per owner, one line per change ("+ rule inet firewalld filter_FORWARD:
/// ..."); allowed changes are marked "(allowed)". Prints "no differences" when empty.
void FormatChangesText(const std::vector<Change>& changes, const std::string& a, const std::string& b,
                       std::ostream& out);
/// JSON: {"schema_version":1,"a":...,"b":...,"changes":[{kind,object,owner,where,detail,allowed}]}.
void FormatChangesJson(const std::vector<Change>& changes, const std::string& a, const std::string& b,
                       std::ostream& out);

}  // namespace nftc
