// The host context of a capture or a live read (sysctls, interfaces, routes, legacy table
// names, configuration files), parsed from the text files of the capture layout.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nftc/model.h"

namespace nftc {

/// "198.51.100.10/24", "2001:db8::1/64", "10.0.0.1" (no length = host prefix).
std::optional<HostAddr> ParseAddrPrefix(std::string_view text);

/// sysctl.txt: "key=value" (or "key = value") lines; '#' comments and blanks ignored.
std::map<std::string, std::string> ParseSysctlText(std::string_view text);

/// interfaces.txt, the output of `ip -br addr`: "NAME[@PEER] STATE ADDR/LEN ...". The
/// "@PEER" suffix of veth pairs is dropped; lines without addresses are kept.
std::vector<Interface> ParseIpBriefAddr(std::string_view text);

/// interfaces.json, the output of `ip -j addr` (gives the bridge master too). Throws
/// InputError (naming `origin`) when it is not valid JSON of that shape.
std::vector<Interface> ParseIpJsonAddr(std::string_view text, const std::string& origin);

/// routes.txt: `ip route` then `ip -6 route`, optionally separated by a "# ip -6 route"
/// line. Type prefixes (blackhole, unreachable, prohibit, local, ...) set Route::type;
/// "default" is the zero prefix; a route is IPv6 when it follows the "-6" marker or its
/// destination or gateway is an IPv6 address. Multipath "nexthop" lines give the first hop.
std::vector<Route> ParseIpRoutes(std::string_view text);

/// /proc/net/ip_tables_names etc.: one table name per line.
std::vector<std::string> ParseTableNames(std::string_view text);

/// Fills `host` from the files of a capture (by relative name): sysctl.txt,
/// interfaces.json or interfaces.txt, routes.txt, {ip,ip6,arp}_tables_names.txt, and
/// keeps every other text file (except the ruleset itself) in host.files, capped in size.
/// Missing files leave the matching have_* flag false.
void FillHostContext(const std::map<std::string, std::string>& files, const std::string& origin,
                     HostContext& host);

/// Largest single file kept in HostContext::files; longer ones are cut and marked.
inline constexpr size_t kMaxContextFile = 1u << 20;

}  // namespace nftc
