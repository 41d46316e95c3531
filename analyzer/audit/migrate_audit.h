// Pre-migration audit: what changes when Docker moves from its iptables backend to
// nftables (`"firewall-backend": "nftables"` in /etc/docker/daemon.json), per Docker's
// nftables documentation and the seed article.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "nftc/model.h"

namespace nftc {

/// One checklist item.
struct AuditItem {
  enum class Status : uint8_t { kOk, kInfo, kAction, kWarning, kBlocker };
  Status status = Status::kInfo;
  std::string topic;                  ///< "backend", "ip-forward", "leftovers", "docker-user", ...
  std::string title;                  ///< one line
  std::vector<std::string> details;   ///< facts found in the ruleset, one per line
  std::vector<std::string> commands;  ///< exact commands to run, in order
};
std::string_view ToString(AuditItem::Status s);

/// Audits a ruleset (owners attributed) for the docker-to-nftables migration.
std::vector<AuditItem> AuditDockerToNftables(const Ruleset& rs);

/// Checklist as text ("[ ]" for actions, "[x]" for what is fine) or versioned JSON.
void FormatAuditText(const std::vector<AuditItem>& items, std::ostream& out);
void FormatAuditJson(const std::vector<AuditItem>& items, std::ostream& out);

}  // namespace nftc
