// Golden hook graph of the bundled seed host (tests/golden/graph/README.md says how the
// golden was written), and the hook order of real captures.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "graph/graph_format.h"
#include "nftc/hook_graph.h"
#include "nftc/owners.h"
#include "testlib/testlib.h"

using namespace nftc;

namespace {

std::vector<std::string> CollapsedLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    std::istringstream ls(line);
    std::string w, s;
    while (ls >> w) s += (s.empty() ? "" : " ") + w;
    out.push_back(s);
  }
  return out;
}

HookGraph Graph(Ruleset& rs) {
  AttributeOwners(rs);
  return HookGraph::Build(rs);
}

}  // namespace

TEST_CASE("golden: hook graph of the fedora43 seed host") {
  Ruleset rs = test::Load(test::ProjectDir() + "/corpora/fedora43-seed");
  HookGraph g = Graph(rs);
  std::ostringstream out;
  FormatGraphText(g, out);
  auto got = CollapsedLines(out.str());
  auto want = CollapsedLines(test::ReadFile(test::ProjectDir() + "/tests/golden/graph/fedora43-seed.txt"));
  REQUIRE_FALSE(want.empty());
  for (size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    INFO("line " << i + 1);
    CHECK((i < got.size() ? got[i] : "<missing>") == (i < want.size() ? want[i] : "<extra>"));
  }
  // The headline: IPv4 forward runs docker-bridges filter-FORWARD (0) and
  // libvirt_network forward (0) as one tie group, then firewalld filter_FORWARD (10).
  const HookView* fwd = g.Find(Pipeline::kIpv4, Hook::kForward);
  REQUIRE(fwd);
  REQUIRE(fwd->ties.size() == 1);
  auto clashes = g.Clashes();
  size_t forward_clashes = 0;
  for (const auto& c : clashes)
    if (c.hook->hook == Hook::kForward && c.owners_differ) ++forward_clashes;
  CHECK(forward_clashes == 2);  // IPv4 and IPv6
}

TEST_CASE("graph json and dot of the seed host are well-formed and deterministic") {
  Ruleset rs = test::Load(test::ProjectDir() + "/corpora/fedora43-seed");
  HookGraph g = Graph(rs);
  std::ostringstream j1, j2, dot;
  FormatGraphJson(g, j1);
  FormatGraphJson(HookGraph::Build(rs), j2);
  CHECK(j1.str() == j2.str());
  auto doc = nlohmann::json::parse(j1.str());
  CHECK(doc["schema_version"] == 1);
  REQUIRE(doc["hooks"].size() == 10);
  const auto& fwd = doc["hooks"][2];
  CHECK(fwd["pipeline"] == "ipv4");
  CHECK(fwd["hook"] == "forward");
  CHECK(fwd["entries"][1]["table"] == "docker-bridges");
  CHECK(fwd["entries"][1]["tie"] == 0);
  CHECK(fwd["entries"][2]["table"] == "libvirt_network");
  CHECK(fwd["entries"][3]["prio_text"] == "filter + 10");
  CHECK(fwd["entries"][3]["tie"].is_null());
  FormatGraphDot(g, dot);
  std::string d = dot.str();
  CHECK(std::count(d.begin(), d.end(), '{') == std::count(d.begin(), d.end(), '}'));
  CHECK(d.find("fillcolor=\"#cccccc\"") != std::string::npos);  // kernel markers as boxes
}

TEST_CASE("capture firewalld-docker29-nft: IPv4 forward runs docker-bridges (0), then firewalld (10)") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipping");
    return;
  }
  Ruleset rs = test::Load(*shared + "/captures/firewalld-docker29-nft");
  HookGraph g = Graph(rs);
  const HookView* fwd = g.Find(Pipeline::kIpv4, Hook::kForward);
  REQUIRE(fwd);
  std::vector<std::string> chains;
  for (const auto& e : fwd->entries)
    if (e.IsChain()) chains.push_back(e.table->Id() + " " + e.chain->name + " " + std::to_string(e.prio) + " " + std::string(e.Owner()));
  CHECK(chains == std::vector<std::string>{"ip docker-bridges filter-FORWARD 0 docker", "inet firewalld filter_FORWARD 10 firewalld"});
  CHECK(fwd->ties.empty());
  CHECK(g.Clashes().empty());
  // Input (captures/README.md): only firewalld here.
  const HookView* in = g.Find(Pipeline::kIpv4, Hook::kInput);
  REQUIRE(in);
  CHECK(in->ChainCount() == 1);
}

TEST_CASE("capture combined: input runs f2b (-1), iptables-nft (0), firewalld (10)") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipping");
    return;
  }
  // captures/README.md: "On the input hook the chains therefore run in the order f2b (-1),
  // then iptables-nft (0), then firewalld (10)."
  Ruleset rs = test::Load(*shared + "/captures/combined-firewalld-fail2ban-iptnft-legacy");
  HookGraph g = Graph(rs);
  const HookView* in = g.Find(Pipeline::kIpv4, Hook::kInput);
  REQUIRE(in);
  std::vector<std::string> chains;
  for (const auto& e : in->entries)
    if (e.IsChain() && e.table->backend != Backend::kIptablesLegacy) chains.push_back(e.table->Id() + " " + e.chain->name);
  CHECK(chains == std::vector<std::string>{"inet f2b-table f2b-chain", "ip filter INPUT", "inet firewalld filter_INPUT"});
}
