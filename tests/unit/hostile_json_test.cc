// Hostile nft JSON inputs (tests/hostile/json, made by make_json_cases.py): each one either
// fails with an InputError that names the file (and the item where known), or loads with a
// LoadNote saying what the verdict may depend on. Never a crash, a hang or a silent pass.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <unistd.h>
#include <cstdio>

#include "nftc/error.h"
#include "testlib/testlib.h"

using namespace nftc;

TEST_CASE("hostile JSON inputs fail clearly or degrade with a note") {
  std::string dir = test::ProjectDir() + "/tests/hostile/json/";
  std::ifstream expect(dir + "EXPECT");
  REQUIRE(expect);
  std::string line;
  int n = 0;
  while (std::getline(expect, line)) {
    if (line.empty()) continue;
    std::istringstream ls(line);
    std::string file, kind, want;
    ls >> file >> kind;
    std::getline(ls, want);
    if (!want.empty() && want[0] == ' ') want.erase(0, 1);
    INFO("case " << file << " expects " << kind << " '" << want << "'");
    ++n;
    if (kind == "error") {
      try {
        test::Load(dir + file);
        FAIL("loaded without error");
      } catch (const InputError& e) {
        std::string msg = e.Describe();
        CHECK_THAT(msg, Catch::Contains(want));
        CHECK_THAT(msg, Catch::Contains(file));  // the location names the input
      }
    } else if (kind == "degraded") {
      Ruleset rs = test::Load(dir + file);
      bool noted = false;
      for (const auto& note : rs.notes) noted = noted || note.message.find(want) != std::string::npos;
      CHECK(noted);
    } else {
      CHECK(kind == "ok");
      CHECK_NOTHROW(test::Load(dir + file));
    }
  }
  CHECK(n >= 45);
}

TEST_CASE("a 100k-deep jump chain and a 200k-element set load in bounded time and memory") {
  std::ostringstream j;
  j << R"({"nftables": [{"table": {"family": "ip", "name": "t", "handle": 1}},)";
  const int kDepth = 100000;
  for (int i = 0; i < kDepth; ++i) j << R"({"chain": {"family": "ip", "table": "t", "name": "c)" << i << R"("}},)";
  for (int i = 0; i + 1 < kDepth; ++i)
    j << R"({"rule": {"family": "ip", "table": "t", "chain": "c)" << i << R"(", "expr": [{"jump": {"target": "c)"
      << i + 1 << R"("}}]}},)";
  j << R"({"set": {"family": "ip", "table": "t", "name": "big", "type": "ipv4_addr", "flags": ["interval"], "elem": [)";
  for (int i = 0; i < 200000; ++i) j << (i ? "," : "") << '"' << (10 + i / 65536) << '.' << (i / 256 % 256) << '.' << (i % 256) << ".0\"";
  j << "]}}]}";
  std::string path = "/tmp/nftc-hostile-deep-" + std::to_string(::getpid()) + ".json";
  {
    std::ofstream f(path);
    f << j.str();
  }
  Ruleset rs = test::Load(path);
  std::remove(path.c_str());
  CHECK(rs.ChainCount() == kDepth);
  CHECK(rs.RuleCount() == kDepth - 1);
  CHECK(rs.tables[0].FindSet("big")->elems.size() == 200000);
}
