// Baselines: accept the findings known today and fail only on new ones.
//
// File format (JSON, written by --write-baseline, sorted):
//   {"schema_version": 1, "tool": "nft-coexist",
//    "findings": [{"fingerprint": "0123456789abcdef", "id": "NC2001",
//                  "where": "inet firewalld filter_FORWARD", "message": "..."}, ...]}
// Only "fingerprint" is used for matching; a bare JSON array of fingerprint strings is
// accepted too. Matching counts multiplicity: two identical findings need two entries.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "nftc/diagnostic.h"
#include "nftc/formatter.h"

namespace nftc {

/// Fingerprint -> how many findings with it the baseline accepts.
struct Baseline {
  std::map<std::string, size_t> counts;
};

/// Reads a baseline file; InputError (exit 2) if it is missing or malformed.
Baseline ReadBaseline(const std::string& path);
/// Removes the findings the baseline accepts (each input gets the full baseline); returns
/// how many were removed.
size_t ApplyBaseline(const Baseline& b, std::vector<Diagnostic>& findings);
/// The baseline text for all findings of all loaded inputs.
std::string BaselineText(const LintReport& report);

}  // namespace nftc
