// libFuzzer target json_loader: see RunJsonLoader in fuzz_entry.h.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nftc::fuzz::RunJsonLoader(data, size);
  return 0;
}
