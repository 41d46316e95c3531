// The live read: everything the analysis needs from the running kernel, gathered as the
// files of a capture folder, so that a live read and a capture folder go through the same
// loader (and `capture` only has to write them out).
#pragma once

#include <cstdint>
#include <string>

#include "live/netns.h"

namespace nftc::live {

/// What to read and where.
struct SnapshotOptions {
  NsTarget target;            ///< the namespace to read (kCurrent or kJoin)
  bool with_text = true;      ///< also ruleset.nft (the text listing) and nft-stderr.txt
                              ///< (nft's warnings, e.g. "managed by iptables-nft"), when any
  int max_attempts = 10;      ///< consistent-read retries (see TakeSnapshot)
};

/// Reads the live system, read-only, in a forked child inside the target namespace.
///
/// Produces the capture layout: ruleset.json (libnftables JSON, handles), optionally
/// ruleset.nft, iptables-nft-save.txt / ip6tables-nft-save.txt (only when an iptables-nft
/// table exists), {ip,ip6,arp}_tables_names.txt and iptables-legacy-save.txt /
/// ip6tables-legacy-save.txt (`-t T` only for the tables listed there: asking for a
/// missing legacy table creates it), sysctl.txt, interfaces.txt (`ip -br addr`),
/// interfaces.json (`ip -j addr`), routes.txt, meta.txt, services.txt (systemd
/// enablement, read from /etc/systemd/system/*.wants) and etc/... configuration files.
///
/// Consistency: the nf_tables generation id (NFT_MSG_GETGEN) and the legacy table names
/// are read before and after the ruleset part (nft list + iptables-*-save); when either
/// changed, the whole ruleset part is read again, up to max_attempts times, then
/// InputError. libnftables itself also replays its dump on a generation change.
///
/// Never writes: no command that creates or changes anything is run. InputError when the
/// ruleset cannot be read (e.g. not root).
FileMap TakeSnapshot(const SnapshotOptions& opts);

}  // namespace nftc::live
