// Loader stand-in for `nft-coexist lint FILE` while lint is a stub: loads one input the way
// every command does (LoadInput: JSON loader + ClassifyBackends) and prints what it holds,
// so run.sh can time the part of lint that issue 7's targets are about first.
#include <malloc.h>

#include <cstdio>
#include <exception>

#include "input.h"
#include "nftc/error.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: nftc_load FILE\n");
    return 2;
  }
  try {
    nftc::Ruleset rs = nftc::LoadInput(nftc::InputSpec{argv[1], ""});
    size_t sets = 0, elems = 0;
    for (const auto& t : rs.tables) {
      sets += t.sets.size();
      for (const auto& s : t.sets) elems += s.elems.size();
    }
    std::printf("tables %zu chains %zu rules %zu sets %zu elements %zu notes %zu heap-in-use %.1f MB\n",
                rs.tables.size(), rs.ChainCount(), rs.RuleCount(), sets, elems, rs.notes.size(),
                double(mallinfo2().uordblks) / 1048576.0);
  } catch (const nftc::InputError& e) {
    std::fprintf(stderr, "nftc_load: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nftc_load: %s\n", e.what());
    return 2;
  }
  return 0;
}
