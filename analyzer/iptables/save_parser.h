// iptables-save / ip6tables-save text -> a syntax tree (tables, chains, rules split into
// generic matches, modules and target). No model types here: translate.h turns the tree into
// model statements, legacy.h into legacy tables, merge.h into iptables-nft rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nftc/model.h"
#include "nftc/source_ref.h"

namespace nftc::ipt {

/// A generic (non-module) match of a rule: -s, -d, -i, -o, -p or -f.
struct GenericMatch {
  char opt = 0;        ///< 's', 'd', 'i', 'o', 'p', 'f' (long forms are normalised)
  bool neg = false;    ///< "! -s x" or the old "-s ! x"
  std::string value;   ///< empty for -f
};

/// One "-m NAME ..." module with the options that follow it, verbatim (negations are kept as
/// "!" tokens before their option), e.g. {"--ctstate", "RELATED,ESTABLISHED"}.
struct Module {
  std::string name;
  std::vector<std::string> args;
  bool implicit = false;  ///< loaded implicitly by "-p tcp --dport 80" (no "-m tcp")
};

/// The target of a rule: "-j NAME opts..." or "-g CHAIN". kind kNone when the rule has none.
struct Target {
  enum class Kind : uint8_t { kNone, kJump, kGoto };
  Kind kind = Kind::kNone;
  std::string name;               ///< ACCEPT, DROP, DNAT, a user chain, ...
  std::vector<std::string> args;  ///< target options, e.g. {"--to-destination", "172.17.0.2:80"}
};

/// One "-A CHAIN ..." line.
struct SaveRule {
  std::string chain;
  std::string text;                ///< the original line, without a "[p:b]" counter prefix
  std::vector<std::string> argv;   ///< tokens after "-A CHAIN"
  std::vector<GenericMatch> generic;
  std::vector<Module> modules;
  Target target;
  std::optional<std::pair<uint64_t, uint64_t>> counters;  ///< "[p:b]" prefix or "-c p b"
  /// Tokens the parser could not place (an option before any -m that no implicit module
  /// takes). The rule is kept but only partly understood.
  std::vector<std::string> stray;
  SourceRef src;                   ///< file + line of the -A line

  /// The protocol given with -p (lower case), "" when absent or negated.
  std::string Protocol() const;
};

/// A chain declared with ":NAME POLICY [p:b]".
struct SaveChain {
  std::string name;
  bool builtin = false;            ///< policy is ACCEPT/DROP (user chains print "-")
  std::string policy;              ///< "ACCEPT", "DROP" or "-"
  std::optional<std::pair<uint64_t, uint64_t>> counters;
  std::vector<SaveRule> rules;     ///< in order
  SourceRef src;
};

/// One "*table" ... "COMMIT" block.
struct SaveTable {
  std::string name;
  std::vector<SaveChain> chains;   ///< in declaration order
  SourceRef src;

  const SaveChain* FindChain(std::string_view n) const;
  SaveChain* FindChain(std::string_view n);
  size_t RuleCount() const;
};

/// A whole save file. The same table name may appear twice (two save runs concatenated);
/// they are kept as separate blocks.
struct ParsedSave {
  std::string file;                ///< name used in SourceRefs
  std::string generator;           ///< "iptables-nft-save v1.8.9 (nf_tables)" from the header
  bool nf_tables = false;          ///< the header said "(nf_tables)": written by iptables-nft
  bool ip6 = false;                ///< the header named ip6tables-save
  bool arp = false;                ///< the header named arptables-save
  std::vector<SaveTable> tables;

  const SaveTable* FindTable(std::string_view n) const;
  size_t RuleCount() const;
};

/// Parses save text. Throws InputError with file:line for unusable input: a line that is no
/// save syntax (binary data, a typo), a rule or chain outside a table, a rule for a chain that
/// was not declared (builtin chains of the table excepted, as iptables-restore accepts them),
/// an unterminated quote, or a table without COMMIT at the end (truncated input). Unknown
/// modules and options are not errors; they are kept verbatim (Module::args, SaveRule::stray).
/// Besides -A, the restore commands -I CHAIN [N] and -N CHAIN are understood.
ParsedSave ParseSave(std::string_view text, const std::string& file);
/// Reads a file and parses it. Throws InputError if it cannot be read.
ParsedSave ParseSaveFile(const std::string& path);

/// Splits one line like a shell (whitespace, "double" and 'single' quotes, backslash
/// escapes) the way iptables-restore does. Throws InputError(where) on an unterminated quote.
std::vector<std::string> Tokenize(std::string_view line, const SourceRef& where);

/// The family a save file belongs to: from its header, else from the file name
/// ("ip6tables-..."), else kIp.
Family SaveFamily(const ParsedSave& save);

}  // namespace nftc::ipt
