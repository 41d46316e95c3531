// Printers for `nft-coexist owners`: each table, chain (and optionally rule) with its owner,
// confidence and evidence.
#pragma once

#include <ostream>

#include "nftc/model.h"

namespace nftc {

/// Version of the JSON document FormatOwnersJson writes.
inline constexpr int kOwnersJsonSchemaVersion = 1;

/// Text: one line per table, indented lines per chain and set; when a chain's rules belong
/// to other owners a "rules:" summary follows; with `rules` every rule is listed.
void FormatOwnersText(const Ruleset& rs, bool rules, std::ostream& out);

/// JSON {"schema_version":1, "summary":{owner:{"tables","chains","rules","sets"}},
/// "tables":[...]} in input order (deterministic).
void FormatOwnersJson(const Ruleset& rs, bool rules, std::ostream& out);

}  // namespace nftc
