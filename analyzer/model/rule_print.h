// Prints model rules back in nft syntax, close to `nft list ruleset`:
//   iifname != "docker0" tcp dport 8082 counter dnat to 172.17.0.2:80 comment "DNAT"
// Used for trace steps and lint messages.
#pragma once

#include <string>

#include "nftc/model.h"

namespace nftc {

/// A value as nft prints it for the given datatype (addresses dotted/compressed, ports
/// decimal, ct states by name, marks in hex, interface names quoted).
std::string ValueToString(const Value& v, DataType t);
/// One expression ("ip saddr", "{ 80, 443 }", "192.168.122.0/24", "ct mark & 0x00001000").
std::string ExprToString(const Expr& e);
/// One statement ("tcp dport 8082", "counter", "dnat to 172.17.0.2:80", "jump DOCKER").
std::string StmtToString(const Stmt& s);
/// The whole rule, statements joined by spaces, then `comment "..."` if any. For a legacy
/// rule that has no statements, its iptables line.
std::string RuleToString(const Rule& r);
/// "accept", "jump DOCKER", ...
std::string VerdictToString(const Verdict& v);

}  // namespace nftc
