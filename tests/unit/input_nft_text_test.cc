// .nft text: interface pre-scan, loading through a throwaway namespace, errors.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "input.h"
#include "live/nft_api.h"
#include "load/nft_text.h"
#include "nftc/error.h"
#include "testlib/testlib.h"

using namespace nftc;
namespace fs = std::filesystem;

namespace {

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& text, const char* suffix = ".nft") {
    char tmpl[] = "/tmp/nftc-nft-text-XXXXXX";
    int fd = mkstemp(tmpl);
    close(fd);
    fs::rename(tmpl, std::string(tmpl) + suffix);
    path = std::string(tmpl) + suffix;
    std::ofstream(path) << text;
  }
  ~TempFile() { fs::remove(path); }
};

// Loads, or returns nullopt (with a WARN) when this machine cannot create a namespace.
std::optional<Ruleset> TryLoad(const std::string& path) {
  try {
    return test::Load(path);
  } catch (const InputError& e) {
    if (std::string(e.what()).find("cannot create a network namespace") != std::string::npos) {
      WARN("no network namespace can be created here: skipped (" << e.what() << ")");
      return std::nullopt;
    }
    throw;
  }
}

}  // namespace

TEST_CASE("ScanBoundInterfaces finds iif/oif/device operands, resolves defines") {
  auto n = ScanBoundInterfaces(
      "define WAN = eth9\n"
      "define LANS = { lan1, \"lan2\" }\n"
      "table ip t {\n"
      "  flowtable f { hook ingress priority 0; devices = { ft0, ft1 }; }\n"
      "  chain c { iif \"virbr0\" accept; meta oif != br-x drop; iifname \"veth*\" accept\n"
      "    oif $WAN accept; iif $LANS accept; iif lo accept  # iif comment0\n"
      "    fib saddr . iif oif missing drop; fib daddr oif exists accept }\n"
      "}\n"
      "table netdev n {\n  chain i { type filter hook ingress device \"nd0\" priority 0; }\n}\n");
  CHECK(n == std::vector<std::string>{"br-x", "eth9", "ft0", "ft1", "lan1", "lan2", "nd0", "virbr0"});
}

TEST_CASE(".nft text loads through a throwaway namespace, interfaces created first") {
  TempFile f(
      "table inet nftc_probe {\n"
      "  chain input { type filter hook input priority filter; policy accept;\n"
      "    iif \"virbr0\" udp dport 67 accept\n"
      "    oif \"docker0\" drop\n"
      "  }\n"
      "}\n"
      "table netdev nftc_probe_nd {\n  chain ingress {\n    type filter hook ingress device \"nd0\" priority 0;\n  }\n}\n");
  live::NftResult before = live::NftListRuleset(true);
  auto rs = TryLoad(f.path);
  if (!rs) return;
  REQUIRE(rs->tables.size() == 2);
  const Table* t = rs->FindTable(Family::kInet, "nftc_probe");
  REQUIRE(t);
  REQUIRE(t->chains.size() == 1);
  CHECK(t->chains[0].rules.size() == 2);
  CHECK(t->src.file == f.path);
  // the caller's own namespace was not touched
  live::NftResult after = live::NftListRuleset(true);
  CHECK(before.out == after.out);
}

TEST_CASE("a file that does not start with '{' is read as nft text whatever its name") {
  TempFile f("#!/usr/sbin/nft -f\nflush ruleset\ntable ip nftc_conf {\n  chain c {\n  }\n}\n", ".conf");
  auto rs = TryLoad(f.path);
  if (!rs) return;
  CHECK(rs->FindTable(Family::kIp, "nftc_conf"));
}

TEST_CASE(".nft syntax errors are InputErrors with nft's line") {
  TempFile f("table ip t {\n  chain c {\n    this is not nft\n  }\n}\n");
  try {
    auto rs = TryLoad(f.path);
    if (!rs) return;
    FAIL("no error");
  } catch (const InputError& e) {
    std::string msg = e.Describe();
    if (msg.find("cannot create a network namespace") != std::string::npos) return;
    CHECK(e.where().file == f.path);
    CHECK(msg.find(f.path + ":3:") != std::string::npos);
  }
}

TEST_CASE("shared input-docker-bridges.nft gives the chains of the captured JSON") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("shared/ not found: skipped");
    return;
  }
  std::string dir = *shared + "/captures/firewalld-docker29-nft";
  auto rs = TryLoad(dir + "/input-docker-bridges.nft");
  if (!rs) return;
  auto j = nlohmann::json::parse(test::ReadFile(dir + "/ruleset.json"));
  std::map<std::string, size_t> want;  // "family name" -> chain objects in the capture
  for (const auto& o : j["nftables"]) {
    if (o.contains("chain") && o["chain"]["table"] == "docker-bridges") {
      ++want[o["chain"]["family"].get<std::string>()];
    }
  }
  REQUIRE(want.size() == 2);
  for (const auto& [fam, n] : want) {
    const Table* t = rs->FindTable(*ParseFamily(fam), "docker-bridges");
    REQUIRE(t);
    CHECK(t->chains.size() == n);
  }
}
