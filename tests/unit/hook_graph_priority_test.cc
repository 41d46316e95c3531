// Priority names, parsing and rendering: nft(8) "CHAIN PRIORITIES", nftables src/rule.c
// prio2str, and the real listings in ../shared (text vs JSON of the same ruleset).
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "nftc/priority.h"
#include "testlib/testlib.h"

using namespace nftc;

TEST_CASE("standard priorities are nft(8)'s") {
  CHECK(ParsePriority(Family::kIp, Hook::kPrerouting, "raw") == -300);
  CHECK(ParsePriority(Family::kInet, Hook::kForward, "mangle") == -150);
  CHECK(ParsePriority(Family::kIp6, Hook::kPrerouting, "dstnat") == -100);
  CHECK(ParsePriority(Family::kInet, Hook::kInput, "filter") == 0);
  CHECK(ParsePriority(Family::kIp, Hook::kInput, "security") == 50);
  CHECK(ParsePriority(Family::kIp, Hook::kPostrouting, "srcnat") == 100);
  CHECK(ParsePriority(Family::kBridge, Hook::kPrerouting, "dstnat") == -300);
  CHECK(ParsePriority(Family::kBridge, Hook::kForward, "filter") == -200);
  CHECK(ParsePriority(Family::kBridge, Hook::kOutput, "out") == 100);
  CHECK(ParsePriority(Family::kBridge, Hook::kPostrouting, "srcnat") == 300);
  CHECK(ParsePriority(Family::kArp, Hook::kInput, "filter") == 0);
  CHECK(ParsePriority(Family::kNetdev, Hook::kIngress, "filter") == 0);
}

TEST_CASE("priority offsets and numbers parse") {
  CHECK(ParsePriority(Family::kInet, Hook::kInput, "filter + 10") == 10);
  CHECK(ParsePriority(Family::kInet, Hook::kInput, "filter - 1") == -1);
  CHECK(ParsePriority(Family::kIp, Hook::kPrerouting, "dstnat - 10") == -110);
  CHECK(ParsePriority(Family::kInet, Hook::kPrerouting, "mangle+10") == -140);
  CHECK(ParsePriority(Family::kIp, Hook::kInput, "-110") == -110);
  CHECK(ParsePriority(Family::kIp, Hook::kInput, "  150 ") == 150);
  CHECK_FALSE(ParsePriority(Family::kIp, Hook::kInput, ""));
  CHECK_FALSE(ParsePriority(Family::kIp, Hook::kInput, "bogus"));
  CHECK_FALSE(ParsePriority(Family::kIp, Hook::kInput, "filter +"));
  CHECK_FALSE(ParsePriority(Family::kIp, Hook::kInput, "filter * 2"));
  CHECK_FALSE(ParsePriority(Family::kIp, Hook::kInput, "99999999999"));
}

TEST_CASE("names are only allowed where nft allows them") {
  // dstnat only at prerouting (and output since nft 1.0.9); srcnat postrouting (+ input).
  CHECK(ParsePriority(Family::kIp, Hook::kOutput, "dstnat") == -100);
  CHECK(ParsePriority(Family::kIp, Hook::kInput, "srcnat") == 100);
  CHECK_FALSE(ParsePriority(Family::kIp, Hook::kForward, "dstnat"));
  CHECK_FALSE(ParsePriority(Family::kIp, Hook::kPrerouting, "srcnat"));
  // raw/mangle/security are ip/ip6/inet names; arp and netdev know only filter.
  CHECK_FALSE(ParsePriority(Family::kNetdev, Hook::kIngress, "raw"));
  CHECK_FALSE(ParsePriority(Family::kArp, Hook::kInput, "mangle"));
  CHECK_FALSE(ParsePriority(Family::kBridge, Hook::kForward, "out"));
  CHECK_FALSE(ParsePriority(Family::kBridge, Hook::kForward, "mangle"));
}

TEST_CASE("priorities render as nft 1.0.6 prints them (generators.md section 0)") {
  CHECK(RenderPriority(Family::kIp, Hook::kOutput, -100) == "-100");
  CHECK(RenderPriority(Family::kIp, Hook::kOutput, -100, PriorityStyle::kNft109) == "dstnat");
  CHECK(RenderPriority(Family::kInet, Hook::kInput, -110) == "-110");
  CHECK(RenderPriority(Family::kIp, Hook::kPrerouting, -110) == "dstnat - 10");
  CHECK(RenderPriority(Family::kInet, Hook::kOutput, -90) == "-90");
  CHECK(RenderPriority(Family::kInet, Hook::kOutput, -90, PriorityStyle::kNft109) == "dstnat + 10");
  CHECK(RenderPriority(Family::kIp, Hook::kPrerouting, -200) == "-200");
  CHECK(RenderPriority(Family::kInet, Hook::kPrerouting, -200) == "-200");
  CHECK(RenderPriority(Family::kBridge, Hook::kForward, -200) == "filter");
  CHECK(RenderPriority(Family::kIp, Hook::kInput, 150) == "150");
  CHECK(RenderPriority(Family::kInet, Hook::kInput, -1) == "filter - 1");
  CHECK(RenderPriority(Family::kInet, Hook::kForward, 10) == "filter + 10");
  CHECK(RenderPriority(Family::kInet, Hook::kPrerouting, -140) == "mangle + 10");
  CHECK(RenderPriority(Family::kInet, Hook::kPrerouting, -90) == "dstnat + 10");
  CHECK(RenderPriority(Family::kInet, Hook::kPostrouting, 110) == "srcnat + 10");
  CHECK(RenderPriority(Family::kInet, Hook::kPrerouting, -291) == "raw + 9");
  CHECK(RenderPriority(Family::kInet, Hook::kInput, 9) == "filter + 9");
  CHECK(RenderPriority(Family::kIp, Hook::kInput, -10) == "filter - 10");
  CHECK(RenderPriority(Family::kIp, Hook::kInput, 100) == "100");
  CHECK(RenderPriority(Family::kIp, Hook::kInput, 100, PriorityStyle::kNft109) == "srcnat");
  CHECK(RenderPriority(Family::kBridge, Hook::kPrerouting, -300) == "dstnat");
  CHECK(RenderPriority(Family::kBridge, Hook::kOutput, 100) == "out");
  CHECK(RenderPriority(Family::kBridge, Hook::kPostrouting, 300) == "srcnat");
  CHECK(RenderPriority(Family::kBridge, Hook::kPrerouting, 0) == "0");
  CHECK(RenderPriority(Family::kNetdev, Hook::kIngress, -95) == "-95");
  CHECK(RenderPriority(Family::kNetdev, Hook::kEgress, 0) == "filter");
  CHECK(RenderPriority(Family::kIp, Hook::kInput, INT32_MIN) == std::to_string(INT32_MIN));
}

TEST_CASE("classic iptables priorities") {
  CHECK(ClassicPriority(Family::kIp, "nat", "POSTROUTING", Backend::kIptablesLegacy) == 100);
  CHECK(ClassicPriority(Family::kIp, "nat", "OUTPUT", Backend::kIptablesNft) == -100);
  CHECK(ClassicPriority(Family::kIp6, "raw", "PREROUTING", Backend::kIptablesLegacy) == -300);
  CHECK(ClassicPriority(Family::kIp, "security", "INPUT", Backend::kIptablesLegacy) == 50);
  CHECK(ClassicPriority(Family::kIp, "security", "INPUT", Backend::kIptablesNft) == 150);
  CHECK(ClassicPriority(Family::kBridge, "nat", "POSTROUTING", Backend::kIptablesNft) == 300);
  CHECK_FALSE(ClassicPriority(Family::kIp, "filter", "DOCKER", Backend::kIptablesNft));
}

namespace {

struct ListedChain {
  std::string family, table, chain, hook, prio_text;
};

// "table ip filter {" / "chain INPUT {" / "type filter hook input priority filter; ..."
std::vector<ListedChain> ParseListing(const std::string& text) {
  std::vector<ListedChain> out;
  static const std::regex kTable(R"(^table (\S+) (\S+) \{)");
  static const std::regex kChain(R"(^\s+chain (\S+) \{)");
  static const std::regex kBase(R"(^\s+type \S+ hook (\S+)(?: device \S+| devices = \{[^}]*\})? priority ([^;]+);)");
  std::istringstream ss(text);
  std::string line, fam, tab, chain;
  std::smatch m;
  while (std::getline(ss, line)) {
    if (std::regex_search(line, m, kTable)) fam = m[1], tab = m[2];
    else if (std::regex_search(line, m, kChain)) chain = m[1];
    else if (std::regex_search(line, m, kBase)) out.push_back({fam, tab, chain, m[1], m[2]});
  }
  return out;
}

}  // namespace

TEST_CASE("priority text in real listings parses to the JSON number and renders back") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("../shared not found: skipping");
    return;
  }
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& d : fs::directory_iterator(*shared + "/captures"))
    if (fs::exists(d.path() / "ruleset.json") && fs::exists(d.path() / "ruleset.nft"))
      pairs.push_back({(d.path() / "ruleset.json").string(), (d.path() / "ruleset.nft").string()});
  for (const auto& f : fs::recursive_directory_iterator(*shared + "/reference-rulesets")) {
    std::string p = f.path().string();
    if (p.size() > 10 && p.substr(p.size() - 10) == ".list.json") {
      std::string nft = p.substr(0, p.size() - 5) + ".nft";
      if (fs::exists(nft)) pairs.push_back({p, nft});
    }
  }
  REQUIRE(pairs.size() >= 15);
  size_t checked = 0;
  for (const auto& [json_path, nft_path] : pairs) {
    INFO(json_path);
    std::map<std::string, ListedChain> listed;
    for (auto& c : ParseListing(test::ReadFile(nft_path))) listed[c.family + " " + c.table + " " + c.chain] = c;
    auto doc = nlohmann::json::parse(test::ReadFile(json_path));
    for (const auto& item : doc["nftables"]) {
      if (!item.contains("chain") || !item["chain"].contains("hook")) continue;
      const auto& c = item["chain"];
      std::string key = c["family"].get<std::string>() + " " + c["table"].get<std::string>() + " " +
                        c["name"].get<std::string>();
      INFO(key);
      REQUIRE(listed.count(key));
      auto fam = ParseFamily(c["family"].get<std::string>());
      auto hook = ParseHook(c["hook"].get<std::string>());
      REQUIRE(fam);
      REQUIRE(hook);
      int32_t prio = c["prio"].get<int32_t>();
      CHECK(ParsePriority(*fam, *hook, listed[key].prio_text) == prio);
      CHECK(RenderPriority(*fam, *hook, prio) == listed[key].prio_text);
      ++checked;
    }
  }
  CHECK(checked > 100);
}
