// nft text (`.nft`, `nft list ruleset` output, /etc/nftables.conf): loaded into a
// throwaway network namespace with libnftables and listed back as JSON, so that nft's own
// parser decides what the text means.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nftc/model.h"

namespace nftc {

/// Interface names the text binds by index and that must therefore exist before it loads:
/// the operands of `iif` / `oif` (libvirt writes `iif "virbr0"`), netdev `device` and
/// flowtable `devices`. Simple `define NAME = value` variables are resolved. Sorted,
/// unique, valid interface names only ("lo" excluded: it always exists).
std::vector<std::string> ScanBoundInterfaces(std::string_view text);

/// Loads the nft script `path` in a new, empty network namespace (root: unshare; else an
/// unprivileged user namespace), after creating placeholder interfaces for
/// ScanBoundInterfaces, and returns `list ruleset` as JSON. Nothing outside that
/// namespace is touched. InputError with nft's message (file:line) when the text does
/// not load, and a clear InputError when no namespace can be created.
std::string NftTextToJson(const std::string& path);

/// NftTextToJson + LoadNftJson (+ backend classification) into `out`.
void LoadNftTextFile(const std::string& path, Ruleset& out);

}  // namespace nftc
