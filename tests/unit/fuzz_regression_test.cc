// Replays every fuzz regression input (tests/fuzz/regressions/<target>/) and every seed
// (tests/fuzz/seeds/<target>/) through the same entry points the libFuzzer targets use
// (tests/fuzz/fuzz_entry.h), so a bug the fuzzer found stays fixed in the normal suite.
// An entry point may only throw nftc::InputError, which it handles itself; anything else
// escapes here and fails the test (under scripts/ci-extra.sh also ASan/UBSan reports).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/fuzz_entry.h"
#include "testlib/testlib.h"

namespace fs = std::filesystem;

namespace {

// The files of tests/fuzz/<kind>/<target>/, sorted.
std::vector<fs::path> Inputs(const std::string& kind, const std::string& target) {
  std::vector<fs::path> out;
  fs::path dir = fs::path(nftc::test::ProjectDir()) / "tests/fuzz" / kind / target;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

size_t Replay(const std::string& kind) {
  size_t n = 0;
  for (const char* target : nftc::fuzz::kTargets) {
    for (const fs::path& p : Inputs(kind, target)) {
      INFO(kind << "/" << target << "/" << p.filename().string());
      std::string data = nftc::test::ReadFile(p.string());
      CHECK_NOTHROW(nftc::fuzz::RunTarget(target, reinterpret_cast<const uint8_t*>(data.data()), data.size()));
      ++n;
    }
  }
  return n;
}

}  // namespace

TEST_CASE("fuzz regression inputs run clean through the fuzz entry points", "[fuzz]") {
  size_t n = Replay("regressions");
  WARN(n << " regression inputs replayed");
  CHECK(nftc::fuzz::RunTarget("no-such-target", nullptr, 0) == false);
}

TEST_CASE("fuzz seed inputs run clean through the fuzz entry points", "[fuzz]") {
  CHECK(Replay("seeds") >= 100);
}
