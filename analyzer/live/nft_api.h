// Thin RAII wrapper over the libnftables API (nft_ctx) with buffered output and errors.
#pragma once

#include <string>

namespace nftc::live {

/// Result of one libnftables command: exit status, buffered stdout and stderr text.
struct NftResult {
  int rc = -1;
  std::string out;
  std::string err;
  bool ok() const { return rc == 0; }
};

/// `list ruleset` in the calling thread's network namespace. json: JSON output with
/// handles (the form of `nft -j list ruleset`); otherwise the plain text listing of
/// `nft list ruleset` (no handles, so it can be loaded again). Read-only:
/// libnftables sends only GET requests for a list command (and re-reads on its own when
/// the generation id changes during its dump).
NftResult NftListRuleset(bool json);

/// Runs an nft script file (`nft -f FILE`). This WRITES to the kernel: only ever call it
/// inside a network namespace this process created.
NftResult NftRunFile(const std::string& path);

}  // namespace nftc::live
