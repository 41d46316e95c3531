// Capture folders: every shared capture loads with no chain lost; missing files; writing.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "input.h"
#include "load/capture_dir.h"
#include "nftc/error.h"
#include "testlib/testlib.h"

using namespace nftc;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/nftc-input-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

void Write(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << s;
}

size_t JsonChainObjects(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  size_t n = 0;
  for (const auto& o : j["nftables"]) n += o.contains("chain");
  return n;
}

size_t NftChains(const Ruleset& rs) {
  size_t n = 0;
  for (const Table& t : rs.tables) {
    if (t.backend != Backend::kIptablesLegacy) n += t.chains.size();
  }
  return n;
}

const char* kEmptyJson = R"({"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}]})";

}  // namespace

TEST_CASE("every shared capture loads as a folder with no chain lost") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("shared/ not found: skipped");
    return;
  }
  for (const auto& e : fs::directory_iterator(*shared + "/captures")) {
    if (!e.is_directory()) continue;
    INFO(e.path().string());
    Ruleset rs = test::Load(e.path().string());
    std::string json = test::ReadFile((e.path() / "ruleset.json").string());
    CHECK(NftChains(rs) == JsonChainObjects(json));
    CHECK(rs.origin == e.path().string());
    CHECK(rs.host.have_sysctl);
    CHECK(rs.host.have_interfaces);
    for (const Table& t : rs.tables) {
      if (t.backend == Backend::kIptablesLegacy) continue;
      CHECK(t.src.file == (e.path() / "ruleset.json").string());
    }
  }
}

TEST_CASE("capture folder without ruleset.json names the folder and the file") {
  TempDir d;
  Write(d.path / "sysctl.txt", "net.ipv4.ip_forward=1\n");
  try {
    test::Load(d.path.string());
    FAIL("no error");
  } catch (const InputError& e) {
    std::string msg = e.Describe();
    CHECK(msg.find(d.path.string()) != std::string::npos);
    CHECK(msg.find("ruleset.json") != std::string::npos);
  }
}

TEST_CASE("capture folder with only ruleset.json loads; optional files are optional") {
  TempDir d;
  Write(d.path / "ruleset.json", kEmptyJson);
  Ruleset rs = test::Load(d.path.string());
  CHECK(rs.tables.empty());
  CHECK_FALSE(rs.host.have_sysctl);
  CHECK_FALSE(rs.host.have_interfaces);
  CHECK_FALSE(rs.host.have_routes);
  CHECK(rs.host.legacy_table_names.empty());
}

TEST_CASE("capture folder: symlinks are not followed, config subfolders are read") {
  TempDir d;
  Write(d.path / "ruleset.json", kEmptyJson);
  Write(d.path / "etc/docker/daemon.json", R"({"firewall-backend": "nftables"})");
  Write(d.path / "secret", "top secret");
  fs::create_symlink(d.path / "secret", d.path / "sysctl.txt");
  Ruleset rs = test::Load(d.path.string());
  CHECK_FALSE(rs.host.have_sysctl);
  CHECK(rs.host.files.at("etc/docker/daemon.json") == R"({"firewall-backend": "nftables"})");
}

TEST_CASE("missing and unreadable inputs are InputErrors naming the path") {
  try {
    test::Load("/nonexistent/nftc/ruleset.json");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.where().file == "/nonexistent/nftc/ruleset.json");
  }
  CHECK_THROWS_AS(LoadInput(InputSpec{"/tmp", "somens"}), InputError);  // --netns with a file
}

TEST_CASE("WriteCaptureDir: modes 0700/0600, refuses non-empty without force, refuses symlinks") {
  TempDir d;
  fs::path out = d.path / "cap";
  CaptureFiles files = {{"ruleset.json", kEmptyJson}, {"etc/sysctl.d/x.conf", "net.ipv4.ip_forward=1\n"}};
  WriteCaptureDir(files, out.string(), false);
  struct stat st{};
  REQUIRE(stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(stat((out / "ruleset.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(stat((out / "etc/sysctl.d/x.conf").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(test::ReadFile((out / "ruleset.json").string()) == kEmptyJson);

  CHECK_THROWS_AS(WriteCaptureDir(files, out.string(), false), InputError);
  // --force replaces the capture files but leaves a user's unrelated file alone
  Write(out / "notes.md", "mine");
  Write(out / "iptables-legacy-save.txt", "stale");
  WriteCaptureDir(files, out.string(), true);
  CHECK(fs::exists(out / "notes.md"));
  CHECK_FALSE(fs::exists(out / "iptables-legacy-save.txt"));
  CHECK(fs::exists(out / "etc/sysctl.d/x.conf"));

  // a symlink as the folder, or inside it, is refused
  fs::path link = d.path / "link";
  fs::create_symlink(out, link);
  CHECK_THROWS_AS(WriteCaptureDir(files, link.string(), true), InputError);
  fs::path out2 = d.path / "cap2";
  fs::create_directories(out2);
  fs::create_symlink(d.path / "elsewhere", out2 / "ruleset.json");
  CHECK_THROWS_AS(WriteCaptureDir(files, out2.string(), true), InputError);
  CHECK_FALSE(fs::exists(d.path / "elsewhere"));
  CHECK_THROWS_AS(WriteCaptureDir({{"../escape", "x"}}, (d.path / "cap3").string(), false), InputError);

  // what was written loads back
  Ruleset rs = test::Load(out.string());
  CHECK(rs.host.files.count("etc/sysctl.d/x.conf") == 1);
}

TEST_CASE("capture loader builds the legacy tables the kernel listed and merges iptables-nft-save") {
  auto shared = test::SharedDir();
  if (!shared) {
    WARN("shared/ not found: skipped");
    return;
  }
  for (const auto& e : fs::directory_iterator(*shared + "/captures")) {
    if (!e.is_directory()) continue;
    INFO(e.path().string());
    Ruleset rs = test::Load(e.path().string());
    // legacy tables in the model == the names /proc/net/*_tables_names listed
    for (const auto& [fam, names] : rs.host.legacy_table_names) {
      std::set<std::string> want(names.begin(), names.end()), got;
      for (const Table& t : rs.tables) {
        if (t.backend == Backend::kIptablesLegacy && ToString(t.family) == fam) got.insert(t.name);
      }
      CHECK(got == want);
    }
    // rules of iptables-nft tables carry their iptables-save line once merged
    if (fs::exists(e.path() / "iptables-nft-save.txt")) {
      size_t with_line = 0;
      for (const Table& t : rs.tables) {
        for (const Chain& c : t.chains) {
          for (const Rule& r : c.rules) with_line += !r.ipt_line.empty();
        }
      }
      CHECK(with_line > 0);
    }
  }
}

TEST_CASE("listed legacy tables without a save file are noted, not invented") {
  TempDir d;
  Write(d.path / "ruleset.json", kEmptyJson);
  Write(d.path / "ip_tables_names.txt", "filter\n");
  Ruleset rs = test::Load(d.path.string());
  CHECK(rs.tables.empty());
  REQUIRE(rs.notes.size() == 1);
  CHECK(rs.notes[0].kind == LoadNote::Kind::kUnsupported);
  CHECK(rs.notes[0].table == "filter");
  // with a save file that lacks the listed table, the table is there, empty
  Write(d.path / "iptables-legacy-save.txt", "");
  Ruleset rs2 = test::Load(d.path.string());
  REQUIRE(rs2.tables.size() == 1);
  CHECK(rs2.tables[0].backend == Backend::kIptablesLegacy);
  CHECK(rs2.tables[0].name == "filter");
  CHECK(rs2.RuleCount() == 0);
}
