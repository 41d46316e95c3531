// nft JSON (`nft -j list ruleset`) -> model. The only place that knows nft's JSON key names.
#pragma once

#include <string>
#include <string_view>

#include "nftc/model.h"

namespace nftc {

/// Parses nft JSON text into `out` (appending tables). `origin` names the input in
/// SourceRefs. Throws InputError with a location for malformed or unusable input; unknown
/// expressions are kept as ExprKind::kUnknown / StmtKind::kUnknown and noted in out.notes.
void LoadNftJson(std::string_view text, const std::string& origin, Ruleset& out);

/// Reads a file and calls LoadNftJson.
void LoadNftJsonFile(const std::string& path, Ruleset& out);

/// Marks tables that iptables-nft manages (ip/ip6 filter|nat|mangle|raw|security,
/// bridge filter|nat, arp filter) as Backend::kIptablesNft.
void ClassifyBackends(Ruleset& rs);

}  // namespace nftc
