#include "iptables/apply.h"

#include "iptables/legacy.h"
#include "iptables/merge.h"

namespace nftc::ipt {

namespace {

void Apply(Ruleset& rs, const ParsedSave& save, SaveKind kind, Family family) {
  if (kind == SaveKind::kNft) MergeIptablesNftSave(rs, save, family);
  else AddLegacyTables(rs, save, family);
}

}  // namespace

void ApplySave(Ruleset& rs, std::string_view text, const std::string& origin, SaveKind kind, Family family) {
  Apply(rs, ParseSave(text, origin), kind, family);
}

SaveKind SaveKindOf(const ParsedSave& save) {
  if (save.nf_tables) return SaveKind::kNft;
  if (!save.generator.empty()) return SaveKind::kLegacy;
  std::string_view f = save.file;
  size_t slash = f.rfind('/');
  if (slash != std::string_view::npos) f.remove_prefix(slash + 1);
  return f.find("-nft-") != std::string_view::npos ? SaveKind::kNft : SaveKind::kLegacy;
}

void ApplySaveFile(Ruleset& rs, const std::string& path) {
  ParsedSave save = ParseSaveFile(path);
  Apply(rs, save, SaveKindOf(save), SaveFamily(save));
}

}  // namespace nftc::ipt
