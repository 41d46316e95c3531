// Input errors: bad input gets a clear message with a location and exit code 2.
#pragma once

#include <stdexcept>
#include <string>

#include "nftc/source_ref.h"

namespace nftc {

/// Thrown by loaders and the CLI for unusable input (malformed JSON, truncated files, a
/// missing capture file, a usage error). The CLI prints "error: <where>: <message>" and
/// exits with kExitInputError.
class InputError : public std::runtime_error {
 public:
  InputError(std::string message, SourceRef where = {})
      : std::runtime_error(message), where_(std::move(where)) {}
  const SourceRef& where() const { return where_; }
  /// "file:/nftables/3: message"
  std::string Describe() const {
    std::string w = where_.ToString();
    return w.empty() ? std::string(what()) : w + ": " + what();
  }

 private:
  SourceRef where_;
};

/// Process exit codes shared by every command.
enum ExitCode : int { kExitOk = 0, kExitFindings = 1, kExitInputError = 2 };

}  // namespace nftc
