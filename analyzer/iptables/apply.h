// One entry point for the input loader: a save text or file goes into the ruleset, either
// merged into iptables-nft tables or added as iptables-legacy tables.
#pragma once

#include <string>
#include <string_view>

#include "iptables/save_parser.h"
#include "nftc/model.h"

namespace nftc::ipt {

/// Which iptables backend wrote a save text.
enum class SaveKind : uint8_t { kNft, kLegacy };

/// Parses `text` (named `origin` in SourceRefs and errors) and merges it into the
/// iptables-nft tables of rs (kNft, see MergeIptablesNftSave) or appends its tables as
/// legacy tables (kLegacy, see AddLegacyTables). Throws InputError for unusable text.
void ApplySave(Ruleset& rs, std::string_view text, const std::string& origin, SaveKind kind, Family family);

/// The kind of a save file: its header ("(nf_tables)" = iptables-nft), else its name
/// ("...-nft-save..." = kNft, otherwise kLegacy).
SaveKind SaveKindOf(const ParsedSave& save);

/// Reads and applies a capture's save file (iptables-nft-save.txt, ip6tables-legacy-save.txt,
/// ...): family from SaveFamily, kind from SaveKindOf. Throws InputError.
void ApplySaveFile(Ruleset& rs, const std::string& path);

}  // namespace nftc::ipt
