// Merges iptables-nft-save text into the iptables-nft tables that nft JSON gave: nft JSON
// shows xtables extensions as bare {"xt": {"type", "name"}}; the save text has their options.
#pragma once

#include "iptables/save_parser.h"
#include "nftc/model.h"

namespace nftc::ipt {

/// For every table of `save` (an iptables-nft-save / ip6tables-nft-save file of `family`),
/// finds the model table of the same family and name (not a legacy one) and matches rules by
/// chain and position: the N-th "-A C" line is the N-th rule of nft chain C.
///
/// A chain is merged only when the match is plausible: the same number of rules and, rule by
/// rule, the same verdict / jump target / xt target and the xt matches present among the
/// rule's modules. Otherwise a LoadNote kMergeMismatch names the place and the chain is left
/// as it was. Chains or tables on one side only get a LoadNote too (except builtin chains
/// without rules in the save text: iptables-nft creates base chains lazily).
///
/// In a merged chain every rule gets ipt_line = the -A line; every kXt statement gets
/// xt->args (its options) and has_args = true, followed right after it by the translated
/// statements of that extension (model.h conventions). A comment from "-m comment" fills
/// Rule::comment when empty. Extensions only partly understood add a LoadNote kUnknownExpr.
void MergeIptablesNftSave(Ruleset& rs, const ParsedSave& save, Family family);

}  // namespace nftc::ipt
