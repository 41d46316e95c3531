// firewalld --direct rules: firewalld passes them to iptables as-is, so in the ruleset they
// look like anybody's iptables rule. The only evidence is firewalld's own list of them: a
// capture's `firewalld-direct-rules.txt` (`firewall-cmd --direct --get-all-rules`) or
// /etc/firewalld/direct.xml, carried in HostContext::files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nftc/model.h"

namespace nftc::owners {

/// One direct rule: "ipv4 filter INPUT 0 -s 198.51.100.0/24 -p tcp --dport 9100 -j ACCEPT".
struct DirectRule {
  Family family = Family::kIp;  ///< ipv4 -> kIp, ipv6 -> kIp6, eb -> kBridge
  std::string table;
  std::string chain;
  std::vector<std::string> key;  ///< normalised iptables arguments (see NormaliseIptArgs)
  std::string source;            ///< file name it came from
};

/// Collects the direct rules from every file in `host.files` whose name contains "direct"
/// (the get-all-rules listing or direct.xml). Unparsable lines are skipped.
std::vector<DirectRule> CollectDirectRules(const HostContext& host);

/// Normalises iptables rule arguments so that what a user typed and what iptables-save
/// prints compare equal: drops a leading "-A CHAIN", the implicit "-m tcp|udp|..." that
/// save adds, spells long options short, adds /32 (/128) to bare addresses of -s/-d, and
/// sorts the option groups.
std::vector<std::string> NormaliseIptArgs(std::string_view args);
/// The same for arguments already split into tokens (quotes removed).
std::vector<std::string> NormaliseIptTokens(std::vector<std::string> tokens);

}  // namespace nftc::owners
