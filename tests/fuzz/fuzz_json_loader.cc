// libFuzzer target: the nft JSON loader must either load or throw InputError, never crash,
// hang or grow without bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "load/load_json.h"
#include "nftc/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nftc::Ruleset rs;
  try {
    nftc::LoadNftJson(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json", rs);
  } catch (const nftc::InputError&) {
  }
  return 0;
}
