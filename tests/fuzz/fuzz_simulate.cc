// libFuzzer target simulate: see RunSimulate in fuzz_entry.h.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_entry.h"

// Loads the fixed corpus rulesets once, before fuzzing starts, so their loading time does
// not count against -timeout of the first input.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  nftc::fuzz::RunSimulate(nullptr, 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nftc::fuzz::RunSimulate(data, size);
  return 0;
}
