// Pre-migration audit on the seed host before the switch (corpora/fedora43-pre-migration,
// NOTES.md there) and after it (corpora/fedora43-seed).
#include <catch2/catch.hpp>

#include "audit/migrate_audit.h"
#include "testlib/testlib.h"

using namespace nftc;

namespace {

const AuditItem& Item(const std::vector<AuditItem>& items, const std::string& topic) {
  for (const auto& it : items)
    if (it.topic == topic) return it;
  FAIL("no audit item " << topic);
  return items.front();
}

std::vector<AuditItem> Audit(const std::string& corpus) {
  Ruleset rs = test::Load(test::ProjectDir() + "/corpora/" + corpus);
  return AuditDockerToNftables(rs);
}

bool Any(const std::vector<std::string>& v, const std::string& needle) {
  for (const auto& s : v)
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("before the switch: backend, forwarding, leftovers, DOCKER-USER and libvirt are on the checklist") {
  auto items = Audit("fedora43-pre-migration");
  using S = AuditItem::Status;
  // NOTES.md: no etc/docker/daemon.json (iptables is Docker's default backend).
  CHECK(Item(items, "backend").status == S::kAction);
  // NOTES.md: ip_forward=1 set by dockerd, nothing persists it.
  CHECK(Item(items, "ip-forward").status == S::kAction);
  const auto& left = Item(items, "leftovers");
  CHECK(left.status == S::kAction);
  CHECK(Any(left.details, "DOCKER-FORWARD"));
  CHECK(Any(left.commands, "iptables -t filter -D FORWARD -j DOCKER-USER"));
  CHECK(Any(left.commands, "iptables -t filter -X DOCKER"));
  // NOTES.md: the admin's DOCKER-USER rule `-s 203.0.113.0/24 -i eth0 -j DROP`.
  const auto& du = Item(items, "docker-user");
  CHECK(du.status == S::kAction);
  CHECK(Any(du.details, "203.0.113.0/24"));
  // firewalld's filter_FORWARD ends in a reject, so forwarding stays guarded after the switch.
  CHECK(Item(items, "forward-policy").status == S::kOk);
  CHECK(Item(items, "swarm").status == S::kOk);
  // libvirt on nftables next to Docker's FORWARD policy DROP: moby#52612, fixed by the switch.
  CHECK(Item(items, "libvirt").status == S::kInfo);
}

TEST_CASE("after the switch and the reboot the checklist is clean") {
  auto items = Audit("fedora43-seed");
  for (const auto& it : items) {
    INFO(it.topic << ": " << it.title);
    CHECK((it.status == AuditItem::Status::kOk || it.status == AuditItem::Status::kInfo));
  }
}
