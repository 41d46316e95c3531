// Shared by the NC4xxx rules (legacy leftovers): the iptables command that manages a table
// of the iptables-nft or iptables-legacy backend, and the exact removal commands.
#pragma once

#include <string>

#include "nftc/model.h"

namespace nftc::legacy_cmd {

/// "iptables-legacy", "ip6tables-nft", "arptables-legacy" ... for the table's family/backend.
inline std::string Tool(const Table& t) {
  std::string base = t.family == Family::kIp6 ? "ip6tables" : t.family == Family::kArp ? "arptables" : "iptables";
  return base + (t.backend == Backend::kIptablesLegacy ? "-legacy" : "-nft");
}

/// True for tables an iptables binary manages (iptables-nft or iptables-legacy).
inline bool IsIptables(const Table& t) {
  return t.backend == Backend::kIptablesLegacy || t.backend == Backend::kIptablesNft;
}

/// "iptables-legacy -t filter" prefix.
inline std::string Prefix(const Table& t) { return Tool(t) + " -t " + t.name; }

/// The rules of `t` that jump or go to `chain`, as delete commands built from their
/// iptables-save line ("-A FORWARD -o docker0 -j DOCKER" -> "... -D FORWARD -o docker0 -j DOCKER").
inline std::string DeleteReferences(const Table& t, const std::string& chain) {
  std::string out;
  for (const Chain& c : t.chains) {
    if (c.name == chain) continue;
    for (const Rule& r : c.rules) {
      bool refers = false;
      for (const Stmt& s : r.stmts)
        if (s.kind == StmtKind::kVerdict &&
            (s.verdict.kind == VerdictKind::kJump || s.verdict.kind == VerdictKind::kGoto) &&
            s.verdict.chain == chain)
          refers = true;
      if (!refers) continue;
      std::string line = r.ipt_line;
      if (line.rfind("-A ", 0) == 0) line = "-D " + line.substr(3);
      else line = "-D " + c.name + " " + std::to_string(r.position + 1);
      out += Prefix(t) + " " + line + " && ";
    }
  }
  return out;
}

/// Removes one user chain: deletes the rules that jump to it, flushes it, deletes it.
inline std::string RemoveChain(const Table& t, const Chain& c) {
  return DeleteReferences(t, c.name) + Prefix(t) + " -F " + c.name + " && " + Prefix(t) + " -X " + c.name;
}

}  // namespace nftc::legacy_cmd
