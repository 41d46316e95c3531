#include "testlib/testlib.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "input.h"

namespace nftc::test {

std::string ProjectDir() { return NFTC_SOURCE_DIR; }

std::optional<std::string> SharedDir() {
  std::filesystem::path p = std::filesystem::path(NFTC_SOURCE_DIR) / ".." / "shared";
  if (std::filesystem::is_directory(p / "captures")) return std::filesystem::canonical(p).string();
  return std::nullopt;
}

Ruleset Load(const std::string& path) { return LoadInput(InputSpec{path, ""}); }

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace nftc::test
