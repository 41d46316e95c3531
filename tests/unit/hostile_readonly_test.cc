// Least surprise (issue 8, item 6): external programs run with a fixed argv through
// posix_spawn (no shell, no PATH from the environment, a minimal environment, a time
// limit), and no source file runs anything through a shell. Capture-folder writing (0600
// files, no symlinks, no overwrite without --force) is tested in input_capture_test.cc and,
// on the live kernel, in tests/root/live_readonly.sh.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "live/spawn.h"
#include "testlib/testlib.h"

namespace fs = std::filesystem;
using nftc::live::FindProgram;
using nftc::live::RunProgram;

TEST_CASE("RunProgram passes argv literally: no shell expansion of any kind") {
  if (!FindProgram("echo")) {
    WARN("echo not installed: skipped");
    return;
  }
  auto r = RunProgram({"echo", "$(id -u)", "a;b", "`id`", "*", "x > /tmp/nftc-never", "$HOME", "'q'"});
  REQUIRE(r.ok());
  CHECK(r.out == "$(id -u) a;b `id` * x > /tmp/nftc-never $HOME 'q'\n");
  CHECK_FALSE(fs::exists("/tmp/nftc-never"));
}

TEST_CASE("RunProgram: programs only from the fixed system folders, minimal environment") {
  // Names with a slash are never run (no relative or absolute paths, no PATH lookup).
  CHECK_FALSE(FindProgram("/bin/sh").has_value());
  CHECK_FALSE(FindProgram("../bin/sh").has_value());
  CHECK_FALSE(FindProgram("").has_value());
  CHECK_FALSE(RunProgram({"/bin/sh", "-c", "true"}).found);
  CHECK_FALSE(RunProgram({}).found);
  // The caller's PATH does not matter: a program in a folder on PATH only is not found.
  fs::path dir = fs::temp_directory_path() / ("nftc-path-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "nftc-fake-iptables-save") << "#!/bin/sh\necho hijacked\n";
  }
  fs::permissions(dir / "nftc-fake-iptables-save", fs::perms::owner_all);
  std::string old_path = getenv("PATH") ? getenv("PATH") : "";
  setenv("PATH", (dir.string() + ":" + old_path).c_str(), 1);
  CHECK_FALSE(FindProgram("nftc-fake-iptables-save").has_value());
  setenv("PATH", old_path.c_str(), 1);
  fs::remove_all(dir);

  if (!FindProgram("env")) {
    WARN("env not installed: environment check skipped");
    return;
  }
  setenv("NFTC_SECRET_FOR_TEST", "leak", 1);
  setenv("LD_PRELOAD_NFTC_TEST", "x", 1);
  auto r = RunProgram({"env"});
  unsetenv("NFTC_SECRET_FOR_TEST");
  unsetenv("LD_PRELOAD_NFTC_TEST");
  REQUIRE(r.ok());
  CHECK(r.out.find("NFTC_SECRET_FOR_TEST") == std::string::npos);
  CHECK(r.out.find("LD_PRELOAD") == std::string::npos);
  CHECK(r.out.find("LC_ALL=C") != std::string::npos);
}

TEST_CASE("RunProgram: stdin is /dev/null and a hanging program is killed at the time limit") {
  if (FindProgram("cat")) {
    auto r = RunProgram({"cat"}, std::chrono::seconds(20));  // would block on a terminal or pipe
    CHECK(r.ok());
    CHECK(r.out.empty());
  }
  if (FindProgram("sleep")) {
    auto r = RunProgram({"sleep", "30"}, std::chrono::milliseconds(300));
    CHECK(r.timed_out);
    CHECK_FALSE(r.ok());
  }
}

TEST_CASE("no source file runs a program through a shell or by PATH lookup") {
  // system(), popen(), the exec*p family and "sh -c" would hand argv or the environment's
  // PATH to a shell or a search; the only way out is live::RunProgram (posix_spawn of an
  // absolute path from FindProgram).
  const std::regex forbidden(R"(\b(system|popen|execlp|execvp|execvpe|posix_spawnp)\s*\(|"(/bin/)?sh"\s*,\s*"-c")");
  int files = 0;
  for (const char* sub : {"analyzer", "rules", "include"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(nftc::test::ProjectDir()) / sub)) {
      if (!e.is_regular_file()) continue;
      auto ext = e.path().extension();
      if (ext != ".cc" && ext != ".h") continue;
      ++files;
      std::ifstream f(e.path());
      std::string line;
      int n = 0;
      while (std::getline(f, line)) {
        ++n;
        std::string code = line.substr(0, line.find("//"));  // comments may talk about them
        INFO(e.path().string() << ":" << n << ": " << line);
        CHECK_FALSE(std::regex_search(code, forbidden));
      }
    }
  }
  CHECK(files > 50);
}
