// libFuzzer target config: see RunConfig in fuzz_entry.h.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nftc::fuzz::RunConfig(data, size);
  return 0;
}
