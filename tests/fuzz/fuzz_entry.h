// The entry points of the libFuzzer targets, shared with the Catch2 replay of the
// regression inputs (tests/unit/fuzz_regression_test.cc), so a regression input runs
// through exactly the code the fuzzer ran. Every entry point either succeeds or throws
// nftc::InputError, which it swallows; any other exception, a crash or a sanitizer report
// is a bug.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace nftc::fuzz {

/// nft JSON: LoadNftJson, then (if it loaded) ClassifyBackends, owners, hook graph, lint.
void RunJsonLoader(const uint8_t* data, size_t size);
/// iptables-save: byte 0 picks kind (bit 0: legacy) and family (bits 1-2); the rest is the
/// save text, parsed, translated and applied, then owners, hook graph and lint.
void RunIptablesSave(const uint8_t* data, size_t size);
/// Priority and value parsing: byte 0 picks family and hook, byte 1 a datatype; the rest
/// is one text fed to ParsePriority (with the render/parse round trip checked),
/// ParseNumber, ParseIpAddress (round trip), LookupSymbol, MakeValue/FormatValue,
/// ParseDataTypeName, ScanBoundInterfaces and the host-context line parsers.
void RunPriorityExpr(const uint8_t* data, size_t size);
/// .nft-coexistrc text: ParseConfig, ParseRuleList, ParseFailOn.
void RunConfig(const uint8_t* data, size_t size);
/// The simulator: a packet decoded from the bytes, simulated over a fixed corpus ruleset
/// (byte 0 picks one of a few corpora, loaded once), all hooks and single hooks.
void RunSimulate(const uint8_t* data, size_t size);
/// A capture folder: the bytes are split into the files of the capture layout
/// (ruleset.json, *-save.txt, sysctl.txt, routes.txt, interfaces.*, ...) and loaded.
void RunCaptureFiles(const uint8_t* data, size_t size);

/// The target names, in the order of the functions above (folder names of seeds and
/// regressions).
inline constexpr const char* kTargets[] = {"json_loader", "iptables_save", "priority_expr",
                                           "config", "simulate", "capture_files"};

/// Runs target `name` (one of kTargets) on the bytes; false for an unknown name.
bool RunTarget(std::string_view name, const uint8_t* data, size_t size);

}  // namespace nftc::fuzz
