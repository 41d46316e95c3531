// A packet as the user describes it, on the `trace` command line or as one line of a
// `--packets` JSON-lines file, and its conversion into the simulator's PacketQuery. Both
// ways share one conversion, so "tcp" -> 6, "established" -> a ct state bit and address
// parsing mean the same in either.
#pragma once

#include <functional>
#include <string>

#include "nftc/packet_path.h"
#include "nftc/source_ref.h"

namespace nftc {

/// One packet in the user's words: the `trace` flags as given (text, unparsed). An empty
/// string (or -1 for a port, false for local_out) means "not given".
struct PacketSpec {
  std::string iif;              ///< --iif / "iif": arriving interface
  bool local_out = false;       ///< --local-out / "local_out": the host sends it
  std::string oif;              ///< --oif / "oif"
  std::string src, dst;         ///< --src, --dst: IPv4 or IPv6 addresses of one family
  std::string family;           ///< --family: "ip" or "ip6", when no address says it
  std::string proto;            ///< --proto: tcp udp icmp icmpv6 (ipv6-icmp) sctp or a number
  int sport = -1, dport = -1;   ///< --sport, --dport: 0..65535
  std::string icmp_type;        ///< --icmp-type: a name of the family's ICMP types or a number
  std::string ct_state = "new"; ///< --ct-state: new established related invalid untracked, or any
  std::string mark;             ///< --mark: a number, or "any" (empty: 0, as received)
};

/// Checks a packet and converts it. Throws InputError without a location, naming the flag
/// ("invalid --src address: 'x'", "--iif and --local-out exclude each other", ...): exactly
/// one of iif and local_out must be given, addresses and --family must agree.
PacketQuery BuildPacketQuery(const PacketSpec& spec);

/// One packet read from a --packets file.
struct PacketLine {
  PacketQuery query;
  std::string id_json;  ///< the line's "id" (any JSON value) as compact JSON text; empty if none
};

/// Parses one line of a --packets file: a JSON object with the flags' names as keys (iif,
/// local_out, oif, src, dst, family, proto, sport, dport, icmp_type, ct_state, mark) and
/// an optional "id". Keys a line does not set come from `defaults`. Unknown keys are an
/// error, so a typo is not silently "any". Throws InputError located at `where` ("FILE:LINE:
/// ...") on any bad input.
PacketLine ParsePacketLine(const std::string& text, const SourceRef& where, const PacketSpec& defaults = {});

/// Reads a --packets file line by line, skipping blank lines, and calls `each` for every
/// packet as soon as its line is read (the packets before a bad line are handled before the
/// error). Throws InputError when the file cannot be read or a line is bad.
void ReadPacketFile(const std::string& path, const PacketSpec& defaults,
                    const std::function<void(const PacketLine&)>& each);

}  // namespace nftc
