// STUB until the input helper lands: JSON files only.
#include "input.h"

#include "load/load_json.h"

namespace nftc {

Ruleset LoadInput(const InputSpec& spec) {
  Ruleset rs;
  rs.origin = spec.path;
  LoadNftJsonFile(spec.path, rs);
  ClassifyBackends(rs);
  return rs;
}

}  // namespace nftc
