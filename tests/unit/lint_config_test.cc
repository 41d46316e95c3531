// Config file syntax, errors with file:line, and discovery order.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "lint/config.h"
#include "nftc/error.h"

using namespace nftc;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the build's temp dir, removed at scope end.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("nftc-lint-cfg-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  static inline int counter = 0;
};

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::string ErrorOf(const std::string& text) {
  try {
    ParseConfig(text, "x.rc");
  } catch (const InputError& e) {
    return e.Describe();
  }
  return "";
}

}  // namespace

TEST_CASE("config: every key, selectors, comments and quoting") {
  LintConfig c = ParseConfig(
      "# a comment\n"
      "\n"
      "disable=NC1001,xt-without-arguments   # trailing comment\n"
      "enable=all\n"
      "severity=NC1003,NC1004:info\n"
      "fail-on=error\n"
      "inline=off\n"
      "disable=NC1002 owner=docker table=ip/filter chain=DOCKER* comment=\"managed by x\"\n",
      "x.rc");
  REQUIRE(c.directives.size() == 4);
  CHECK(c.directives[0].action == ConfigDirective::Action::kDisable);
  CHECK(c.directives[0].rules == std::vector<std::string>{"NC1001", "NC1002"});
  CHECK(c.directives[0].sel.empty());
  CHECK(c.directives[0].where.line == 3);
  CHECK(c.directives[1].rules == std::vector<std::string>{"all"});
  CHECK(c.directives[2].severity == Severity::kInfo);
  CHECK(c.directives[2].rules == std::vector<std::string>{"NC1003", "NC1004"});
  CHECK(c.has_fail_on);
  CHECK(c.fail_on == Severity::kError);
  CHECK_FALSE(c.inline_directives);
  const Selector& s = c.directives[3].sel;
  CHECK(s.owner == "docker");
  CHECK(s.table == "ip/filter");
  CHECK(s.chain == "DOCKER*");
  CHECK(s.comment == "managed by x");
  CHECK(ParseConfig("fail-on=none\n", "x").fail_on == std::nullopt);
  CHECK(ParseConfig("disable=nc1001\n", "x").directives[0].rules[0] == "NC1001");
}

TEST_CASE("config: mistakes are input errors that name the file and line") {
  CHECK(ErrorOf("\n\nfrobnicate=1\n") == "x.rc:3: unknown key 'frobnicate' (expected disable, "
                                          "enable, severity, fail-on or inline)");
  CHECK(ErrorOf("disable=NC9999\n").rfind("x.rc:1: unknown rule 'NC9999'", 0) == 0);
  CHECK(ErrorOf("disable\n") == "x.rc:1: expected key=value, got 'disable'");
  CHECK(ErrorOf("severity=NC1001:loud\n").rfind("x.rc:1: severity must be", 0) == 0);
  CHECK(ErrorOf("severity=NC1001\n").rfind("x.rc:1: severity expects", 0) == 0);
  CHECK(ErrorOf("fail-on=sometimes\n").rfind("x.rc:1: fail-on must be", 0) == 0);
  CHECK(ErrorOf("disable=NC1001 port=22\n").rfind("x.rc:1: unknown selector 'port'", 0) == 0);
  CHECK(ErrorOf("enable=NC1001 owner=docker\n") == "x.rc:1: 'enable' takes no selectors");
  CHECK(ErrorOf("disable=NC1001 comment=\"open\n") == "x.rc:1: unterminated quote");
  CHECK(ErrorOf("disable=NC1001,,NC1002\n").rfind("x.rc:1: empty rule name", 0) == 0);
}

TEST_CASE("config: discovery searches the working directory upward, then XDG") {
  TempDir d;
  fs::path deep = d.path / "a" / "b" / "c";
  fs::create_directories(deep);
  fs::path xdg = d.path / "xdg";
  fs::path home = d.path / "home";
  CHECK_FALSE(DiscoverConfig(deep.string(), xdg.string().c_str(), home.string().c_str()));

  Write(home / ".config" / "nft-coexist" / "config", "fail-on=error\n");
  CHECK(DiscoverConfig(deep.string(), nullptr, home.string().c_str()) ==
        (home / ".config" / "nft-coexist" / "config").string());
  Write(xdg / "nft-coexist" / "config", "fail-on=error\n");
  CHECK(DiscoverConfig(deep.string(), xdg.string().c_str(), home.string().c_str()) ==
        (xdg / "nft-coexist" / "config").string());

  Write(d.path / "a" / ".nft-coexistrc", "disable=NC1001\n");
  CHECK(DiscoverConfig(deep.string(), xdg.string().c_str(), nullptr) ==
        (d.path / "a" / ".nft-coexistrc").string());
  Write(deep / ".nft-coexistrc", "disable=NC1002\n");
  CHECK(DiscoverConfig(deep.string(), xdg.string().c_str(), nullptr) ==
        (deep / ".nft-coexistrc").string());
}

TEST_CASE("config: LoadConfigFile reports a missing file as an input error") {
  CHECK_THROWS_AS(LoadConfigFile("/nonexistent/nft-coexist.rc"), InputError);
}
