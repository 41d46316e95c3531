// NC2001 priority-clash, NC2002 ct-state-before-conntrack, NC2003 filter-after-nat-slot.
// Expectations come from netfilter-semantics.md §1-§3 and the corpora's NOTES.md.
#include <catch2/catch.hpp>

#include "rules/rule_testing.h"
#include "testlib/testlib.h"

using namespace nftc;
using namespace nftc::test;

namespace {
std::vector<Diagnostic> At(const std::vector<Diagnostic>& ds, const std::string& chain) {
  std::vector<Diagnostic> out;
  for (const auto& d : ds)
    if (d.where.chain == chain) out.push_back(d);
  return out;
}
}  // namespace

TEST_CASE("NC2001: two DNATs of tcp/8080 at dstnat are an error (first binding wins)") {
  auto ds = RunRule(Load(ProjectDir() + "/corpora/nat-tie-netavark-docker29"), "NC2001");
  bool nat_error = false;
  for (const auto& d : ds)
    if (d.severity == Severity::kError && d.message.find("prerouting") != std::string::npos &&
        d.message.find("translate") != std::string::npos)
      nat_error = true;
  CHECK(nat_error);
}

TEST_CASE("NC2001: the seed's forward tie docker-bridges/libvirt_network at 0 is info, order-independent") {
  auto ds = RunRule(Load(ProjectDir() + "/corpora/fedora43-seed"), "NC2001");
  bool found = false;
  for (const auto& d : ds)
    if (d.message.find("forward priority 0") != std::string::npos &&
        d.message.find("docker-bridges") != std::string::npos &&
        d.message.find("libvirt_network") != std::string::npos) {
      found = true;
      CHECK(d.severity == Severity::kInfo);
      CHECK(d.message.find("order-independent") != std::string::npos);
      CHECK_FALSE(d.related.empty());
    }
  CHECK(found);
}

TEST_CASE("NC2001: firewalld-docker29-nft has no tie at forward (docker 0, firewalld 10)") {
  auto shared = SharedDir();
  if (!shared) { WARN("no ../shared"); return; }
  for (const auto& d : RunRule(Load(*shared + "/captures/firewalld-docker29-nft"), "NC2001"))
    CHECK(d.message.find(" forward ") == std::string::npos);
}

TEST_CASE("NC2001: distinct priorities are quiet; a mark written by one tie member and read by the other is an error") {
  Ruleset rs;
  {
    Table& a = AddTable(rs, Family::kIp, "a");
    Chain& c = AddChain(a, "pre", Hook::kPrerouting, -150);
    Stmt set;
    set.kind = StmtKind::kMangle;
    Expr k; k.kind = ExprKind::kMeta; k.key = static_cast<uint16_t>(MetaKey::kMark);
    Expr v; v.kind = ExprKind::kValue; v.value = Value::Int(1, 32);
    set.e = {k, v};
    AddRule(c, 2, {set});
  }
  {
    Table& b = AddTable(rs, Family::kIp, "b");
    Chain& c = AddChain(b, "pre", Hook::kPrerouting, -150);
    Stmt m;
    m.kind = StmtKind::kMatch;
    Expr k; k.kind = ExprKind::kMeta; k.key = static_cast<uint16_t>(MetaKey::kMark);
    Expr v; v.kind = ExprKind::kValue; v.value = Value::Int(1, 32);
    m.e = {k, v};
    AddRule(c, 2, {m, VerdictStmt(VerdictKind::kDrop)});
  }
  auto ds = RunRule(rs, "NC2001");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].severity == Severity::kError);
  CHECK(ds[0].message.find("mark") != std::string::npos);
  rs.tables[1].chains[0].prio = -140;
  CHECK(CountFindings(rs, "NC2001") == 0);
}

TEST_CASE("NC2002: ct state below -200 at prerouting fires, at -150 it does not") {
  Ruleset rs;
  Chain& c = AddChain(AddTable(rs, Family::kInet, "early"), "pre", Hook::kPrerouting, -300);
  Stmt m;
  m.kind = StmtKind::kMatch;
  Expr k; k.kind = ExprKind::kCt; k.key = static_cast<uint16_t>(CtKey::kState);
  Expr v; v.kind = ExprKind::kFlags; v.value = Value::Int(2 | 4, 32);
  m.e = {k, v};
  AddRule(c, 5, {m, VerdictStmt(VerdictKind::kAccept)});
  auto ds = RunRule(rs, "NC2002");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.handle == 5u);
  CHECK(ds[0].severity == Severity::kError);
  rs.tables[0].chains[0].prio = -150;
  CHECK(CountFindings(rs, "NC2002") == 0);
  rs.tables[0].chains[0].prio = -300;
  rs.tables[0].chains[0].hook = Hook::kInput;  // input has no conntrack fixed point issue
  CHECK(CountFindings(rs, "NC2002") == 0);
}

TEST_CASE("NC2003: fixtures (filter chain after the NAT slot matching the DNAT'ed port)") {
  auto pos = RunRule(Load(ProjectDir() + "/corpora/minimal/NC2003-pos"), "NC2003");
  REQUIRE(pos.size() == 1);
  CHECK(At(pos, "first").size() == 1);
  CHECK(pos[0].message.find("8080") != std::string::npos);
  CHECK(RunRule(Load(ProjectDir() + "/corpora/minimal/NC2003-neg"), "NC2003").empty());
}
