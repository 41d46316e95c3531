// `nft-coexist lint|rules|explain` as users run them: exit codes, config discovery,
// baseline round trip, and "no silent clean" on input the tool did not fully understand.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "testlib/testlib.h"

using nftc::test::ProjectDir;
using nftc::test::ReadFile;
namespace fs = std::filesystem;

namespace {

struct Run {
  int rc;
  std::string out, err;
};

// A scratch folder with no config in it or above it (under /tmp), removed at scope end.
struct Scratch {
  fs::path dir;
  Scratch() {
    static int n = 0;
    dir = fs::temp_directory_path() / ("nftc-lint-cli-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(n++));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
};

// Runs the binary with `args` in `cwd`, without any user config (XDG and HOME point into
// the scratch folder).
Run Lint(const std::string& args, const fs::path& cwd) {
  fs::path out = cwd / ".out", err = cwd / ".err";
  std::string cmd = "cd '" + cwd.string() + "' && XDG_CONFIG_HOME='" + cwd.string() +
                    "/xdg' HOME='" + cwd.string() + "' NO_COLOR=1 '" NFTC_BINARY "' " + args +
                    " >'" + out.string() + "' 2>'" + err.string() + "'";
  int st = std::system(cmd.c_str());
  Run r{WIFEXITED(st) ? WEXITSTATUS(st) : -1, ReadFile(out.string()), ReadFile(err.string())};
  fs::remove(out);
  fs::remove(err);
  return r;
}

std::string Minimal(const std::string& name) { return ProjectDir() + "/corpora/minimal/" + name; }

}  // namespace

TEST_CASE("lint exit codes: 0 clean, 1 findings at or above --fail-on, 2 input errors") {
  Scratch s;
  Run clean = Lint("lint " + Minimal("NC1002-neg.json"), s.dir);
  CHECK(clean.rc == 0);
  CHECK(clean.out.find("0 findings") != std::string::npos);

  std::string pos = Minimal("NC1002-pos.json");
  CHECK(Lint("lint " + pos, s.dir).rc == 1);                          // warning >= warning
  CHECK(Lint("lint --fail-on info " + pos, s.dir).rc == 1);
  CHECK(Lint("lint --fail-on error " + pos, s.dir).rc == 0);          // a warning only
  CHECK(Lint("lint --fail-on none " + pos, s.dir).rc == 0);
  CHECK(Lint("lint --disable xt-without-arguments " + pos, s.dir).rc == 0);

  CHECK(Lint("lint /nonexistent.json", s.dir).rc == 2);
  CHECK(Lint("lint --format yaml " + pos, s.dir).rc == 2);
  CHECK(Lint("lint --fail-on sometimes " + pos, s.dir).rc == 2);
  CHECK(Lint("lint --disable NC9999 " + pos, s.dir).rc == 2);
  CHECK(Lint("lint --config /nonexistent.rc " + pos, s.dir).rc == 2);

  // Several inputs: each is linted; a broken one makes the run exit 2 but not hide the others.
  Run many = Lint("lint " + pos + " /nonexistent.json", s.dir);
  CHECK(many.rc == 2);
  CHECK(many.out.find("[NC1002 xt-without-arguments]") != std::string::npos);
  CHECK(many.err.find("/nonexistent.json") != std::string::npos);
}

TEST_CASE("no silent clean: input the tool did not fully understand never exits 0 clean") {
  Scratch s;
  for (const char* f : {"NC1001-pos.json", "NC1002-pos.json", "NC1003-pos", "NC1004-pos"}) {
    INFO(f);
    Run r = Lint("lint " + Minimal(f), s.dir);
    CHECK(r.rc == 1);
    CHECK(r.out.find(" 0 findings") == std::string::npos);
    Run j = Lint("lint --format json " + Minimal(f), s.dir);
    CHECK(j.out.find("\"findings\": []") == std::string::npos);
  }
  // ...unless the user says so.
  CHECK(Lint("lint --disable NC1001,NC1002,NC1003,NC1004 " + Minimal("NC1002-pos.json"), s.dir).rc == 0);
}

TEST_CASE("lint finds .nft-coexistrc in the working directory, --no-config ignores it") {
  Scratch s;
  std::string pos = Minimal("NC1002-pos.json");
  std::ofstream(s.dir / ".nft-coexistrc") << "disable=NC1002 table=ip/filter\n";
  fs::create_directories(s.dir / "sub");
  CHECK(Lint("lint " + pos, s.dir / "sub").rc == 0);  // found upward, finding suppressed
  CHECK(Lint("lint --no-config " + pos, s.dir / "sub").rc == 1);
  std::ofstream(s.dir / "other.rc") << "fail-on=error\n";
  CHECK(Lint("lint --config other.rc --fail-on warning " + pos, s.dir).rc == 1);  // flag wins
  CHECK(Lint("lint --config other.rc " + pos, s.dir).rc == 0);
  std::ofstream(s.dir / "bad.rc") << "disable=NC1002\nfrob=1\n";
  Run bad = Lint("lint --config bad.rc " + pos, s.dir);
  CHECK(bad.rc == 2);
  CHECK(bad.err.find("bad.rc:2: unknown key 'frob'") != std::string::npos);
}

TEST_CASE("lint --write-baseline then --baseline: fails only on findings that are new") {
  Scratch s;
  std::string text = ReadFile(Minimal("NC1002-pos.json"));
  std::ofstream(s.dir / "boot1.json") << text;
  Run w = Lint("lint --write-baseline base.json boot1.json", s.dir);
  CHECK(w.rc == 0);
  CHECK(w.out.find("1 in baseline") != std::string::npos);
  // The next boot: same rules, new handles.
  std::string boot2 = text;
  boot2.replace(boot2.find("\"handle\": 4"), 11, "\"handle\": 977");
  REQUIRE(boot2 != text);
  std::ofstream(s.dir / "boot2.json") << boot2;
  CHECK(Lint("lint boot2.json", s.dir).rc == 1);
  CHECK(Lint("lint --baseline base.json boot2.json", s.dir).rc == 0);
  // A new unknown rule is still reported.
  std::ofstream(s.dir / "boot3.json") << ReadFile(Minimal("NC1001-pos.json"));
  CHECK(Lint("lint --baseline base.json boot3.json", s.dir).rc == 1);
  std::ofstream(s.dir / "broken.json") << "{";
  CHECK(Lint("lint --baseline broken.json boot2.json", s.dir).rc == 2);
}

TEST_CASE("rules and explain") {
  Scratch s;
  Run r = Lint("rules", s.dir);
  CHECK(r.rc == 0);
  CHECK(r.out.find("NC1001  unknown-expression") != std::string::npos);
  CHECK(Lint("rules --format json", s.dir).out.find("\"schema_version\": 1") != std::string::npos);
  Run e = Lint("explain NC1003", s.dir);
  CHECK(e.rc == 0);
  CHECK(e.out.rfind("# NC1003 iptables-merge-mismatch", 0) == 0);
  CHECK(Lint("explain load-degradation", s.dir).rc == 0);
  CHECK(Lint("explain NC0001", s.dir).rc == 2);
}
