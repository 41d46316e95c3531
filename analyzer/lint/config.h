// The lint configuration file (.nft-coexistrc): syntax, parsing and discovery.
//
// One directive per line, `key=value` followed by optional selectors; `#` starts a comment:
//   disable=NC3001,priority-clash            never run these rules
//   enable=NC3901                            also run these preview rules
//   severity=NC2001,NC2002:info              override the severity
//   fail-on=error                            error | warning | info | none
//   inline=off                               ignore `nft-coexist: disable=` in nft comments
//   disable=NC3002 table=inet/firewalld chain=filter_FORWARD
//   severity=NC4001:info owner=docker comment="managed by"
// Selectors (on disable and severity): owner, family, table (NAME or FAMILY/NAME), chain,
// backend (nftables|iptables-nft|iptables-legacy) — shell wildcards allowed — and comment
// (substring of a comment of the table, chain, rule or set the finding is about). A
// directive with selectors suppresses or re-grades matching findings; without selectors it
// applies to the whole rule. Later directives win; command-line flags come last.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nftc/diagnostic.h"
#include "nftc/source_ref.h"

namespace nftc {

/// Which findings a directive applies to. Empty fields match everything.
struct Selector {
  std::string owner, family, table, chain, backend;  ///< fnmatch(3) patterns
  std::string comment;  ///< substring of a comment in scope
  bool empty() const {
    return owner.empty() && family.empty() && table.empty() && chain.empty() &&
           backend.empty() && comment.empty();
  }
};

/// One line of the config (or one command-line flag).
struct ConfigDirective {
  enum class Action : uint8_t { kDisable, kEnable, kSeverity };
  Action action = Action::kDisable;
  std::vector<std::string> rules;  ///< canonical IDs ("NC2001"), or {"all"}
  Severity severity = Severity::kWarning;  ///< kSeverity only
  Selector sel;
  SourceRef where;  ///< file:line, for messages
};

/// A parsed configuration.
struct LintConfig {
  std::string path;  ///< file it came from; empty when none was used
  std::vector<ConfigDirective> directives;
  bool has_fail_on = false;
  std::optional<Severity> fail_on;  ///< valid if has_fail_on; nullopt = "none"
  bool inline_directives = true;
};

/// Parses config text. Throws InputError naming `path`:line for unknown keys, unknown rule
/// IDs, bad severities or selectors.
LintConfig ParseConfig(std::string_view text, const std::string& path);
/// Reads and parses a config file (InputError if unreadable).
LintConfig LoadConfigFile(const std::string& path);

/// Finds the config file the way other linters do: `.nft-coexistrc` in `cwd` or any parent
/// directory, else $XDG_CONFIG_HOME/nft-coexist/config (XDG_CONFIG_HOME defaults to
/// $HOME/.config). `xdg_config_home` / `home` are the environment values (may be null).
std::optional<std::string> DiscoverConfig(const std::string& cwd, const char* xdg_config_home,
                                          const char* home);

/// Parses a list of rule IDs or slugs ("NC3001,priority-clash", "all") into canonical IDs.
/// Throws InputError(where) for an unknown one.
std::vector<std::string> ParseRuleList(std::string_view list, const SourceRef& where);

/// Parses "error|warning|info|none" for --fail-on / fail-on=; throws InputError otherwise.
std::optional<Severity> ParseFailOn(std::string_view s, const SourceRef& where = {});

/// The config file name searched upward from the working directory.
inline constexpr std::string_view kConfigFileName = ".nft-coexistrc";

}  // namespace nftc
