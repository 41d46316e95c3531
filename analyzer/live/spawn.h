// Running external read-only programs (iptables-*-save, ip) with a fixed argv: no shell,
// no PATH lookup through the user's environment, a minimal environment and a time limit.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nftc::live {

/// Outcome of one program run. `found` is false when the program is not installed, in
/// which case nothing was run.
struct ProgramResult {
  bool found = true;
  bool timed_out = false;
  int exit_code = -1;   ///< exit status, or 128+signal when killed
  std::string out;      ///< stdout (capped at kMaxProgramOutput)
  std::string err;      ///< stderr (capped)
  bool ok() const { return found && !timed_out && exit_code == 0; }
};

/// Output beyond this many bytes per stream is dropped (and the run counts as failed).
inline constexpr size_t kMaxProgramOutput = 64u << 20;

/// Absolute path of `name` in the fixed system directories /usr/sbin, /usr/bin, /sbin,
/// /bin (never the caller's PATH), or nullopt when it is not installed.
std::optional<std::string> FindProgram(std::string_view name);

/// Runs argv[0] (a bare program name, resolved by FindProgram) with argv[1..] exactly as
/// given, through posix_spawn: no shell, stdin from /dev/null, environment reduced to
/// PATH and LC_ALL=C. Kills the program after `timeout`.
ProgramResult RunProgram(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace nftc::live
