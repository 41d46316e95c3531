// Helpers shared by the tests: locating corpora and ../shared, loading inputs.
#pragma once

#include <optional>
#include <string>

#include "nftc/model.h"

namespace nftc::test {

/// Path of the project source tree.
std::string ProjectDir();
/// ../shared beside the checkout, or std::nullopt when absent (tests then WARN and skip).
std::optional<std::string> SharedDir();
/// Loads any input path (file or capture folder) through the normal input pipeline.
Ruleset Load(const std::string& path);
/// Reads a whole file.
std::string ReadFile(const std::string& path);

}  // namespace nftc::test
