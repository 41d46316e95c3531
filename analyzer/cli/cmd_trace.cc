// `nft-coexist trace [INPUT] --iif IF|--local-out --src A --dst B --proto P ...`: what the
// kernel does with one packet across every table (see include/nftc/packet_path.h).
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "input.h"
#include "nftc/error.h"
#include "nftc/packet_path.h"
#include "sim/packet_file.h"

namespace nftc::cli {
namespace {

struct TraceOptions {
  InputOptions in;
  PacketSpec packet;  ///< the packet flags; in batch mode --ct-state and --mark are the defaults
  std::string format = "text";
  size_t max_outcomes = 4096;
  std::string packets;  ///< --packets FILE.jsonl: batch mode
};

// --packets: one compact JSON line per packet, the --format json document plus "id".
int RunBatch(const TraceOptions& o, const Ruleset& rs, const SimOptions& opt) {
  ReadPacketFile(o.packets, o.packet, [&](const PacketLine& p) {
    nlohmann::ordered_json out;
    if (!p.id_json.empty()) out["id"] = nlohmann::ordered_json::parse(p.id_json);
    nlohmann::ordered_json doc = nlohmann::ordered_json::parse(TraceToJson(Simulate(rs, p.query, opt)));
    for (auto& [k, v] : doc.items()) out[k] = std::move(v);
    std::cout << out.dump() << "\n";
  });
  return kExitOk;
}

bool HasPacketFlags(const PacketSpec& p) {
  return !p.iif.empty() || p.local_out || !p.oif.empty() || !p.src.empty() || !p.dst.empty() ||
         !p.family.empty() || !p.proto.empty() || p.sport >= 0 || p.dport >= 0 || !p.icmp_type.empty();
}

}  // namespace

void AddTraceCommand(CLI::App& app, RunFn& run) {
  auto o = std::make_shared<TraceOptions>();
  PacketSpec& p = o->packet;
  auto* sub = app.add_subcommand("trace", "Simulate one packet through every table and hook, as the kernel would");
  AddInputOptions(sub, o->in);
  sub->add_option("--iif", p.iif, "interface the packet arrives on");
  sub->add_flag("--local-out", p.local_out, "the host itself sends the packet");
  sub->add_option("--oif", p.oif, "output interface, where routing cannot derive it");
  sub->add_option("--src", p.src, "source address (default: any; local out: the route's source)");
  sub->add_option("--dst", p.dst, "destination address (default: any)");
  sub->add_option("--family", p.family, "ip or ip6 when no address says it");
  sub->add_option("--proto", p.proto, "tcp, udp, icmp, icmpv6, sctp or a protocol number");
  sub->add_option("--sport", p.sport, "source port")->check(CLI::Range(0, 65535));
  sub->add_option("--dport", p.dport, "destination port")->check(CLI::Range(0, 65535));
  sub->add_option("--icmp-type", p.icmp_type, "ICMP type (name or number)");
  sub->add_option("--ct-state", p.ct_state, "new (default), established, related, invalid, untracked or any");
  sub->add_option("--mark", p.mark, "packet mark (default 0, as received; 'any')");
  sub->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--max-outcomes", o->max_outcomes, "cap on forked outcomes (default 4096)");
  sub->add_option("--packets", o->packets,
                  "batch mode: a JSON-lines file, one packet per line with the flags' names as keys "
                  "({\"id\":..., \"iif\":\"eth0\", \"src\":..., \"dst\":..., \"proto\":\"tcp\", \"dport\":80}); "
                  "prints one --format json document per line (plus \"id\"), loading the ruleset once");
  sub->callback([&run, o] {
    run = [o]() -> int {
      bool batch = !o->packets.empty();
      if (batch && HasPacketFlags(o->packet))
        throw InputError("--packets takes the packets from the file: drop the packet flags (--iif, --src, ...)");
      PacketQuery q;
      if (!batch) q = BuildPacketQuery(o->packet);
      InputSpec spec{o->in.inputs.empty() ? std::string() : o->in.inputs[0], o->in.netns};
      Ruleset rs = LoadInput(spec);
      SimOptions opt;
      opt.max_outcomes = o->max_outcomes;
      if (batch) return RunBatch(*o, rs, opt);
      TraceResult r = Simulate(rs, q, opt);
      std::cout << (o->format == "json" ? TraceToJson(r) : TraceToText(r));
      return kExitOk;
    };
  });
}

}  // namespace nftc::cli
