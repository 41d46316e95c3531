// `nft-coexist trace [INPUT] --iif IF|--local-out --src A --dst B --proto P ...`: what the
// kernel does with one packet across every table (see include/nftc/packet_path.h).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "input.h"
#include "nftc/error.h"
#include "nftc/packet_path.h"

namespace nftc::cli {
namespace {

struct TraceOptions {
  InputOptions in;
  std::string iif, oif, src, dst, proto, icmp_type, ct_state = "new", mark, family;
  int sport = -1, dport = -1;
  bool local_out = false;
  std::string format = "text";
  size_t max_outcomes = 4096;
  std::string packets;  ///< --packets FILE.jsonl: batch mode
};

uint64_t ParseNumber(const std::string& s, const char* what, uint64_t max) {
  try {
    size_t pos = 0;
    uint64_t v = std::stoull(s, &pos, 0);
    if (pos == s.size() && v <= max) return v;
  } catch (const std::exception&) {
  }
  throw InputError(std::string("invalid ") + what + ": '" + s + "'");
}

uint8_t ParseProto(const std::string& p) {
  if (p == "tcp") return 6;
  if (p == "udp") return 17;
  if (p == "icmp") return 1;
  if (p == "icmpv6" || p == "ipv6-icmp") return 58;
  if (p == "sctp") return 132;
  return uint8_t(ParseNumber(p, "--proto", 255));
}

uint8_t ParseIcmpType(const std::string& t, bool v6) {
  static const std::pair<const char*, int> k4[] = {{"echo-reply", 0}, {"destination-unreachable", 3},
      {"redirect", 5}, {"echo-request", 8}, {"time-exceeded", 11}, {"parameter-problem", 12}};
  static const std::pair<const char*, int> k6[] = {{"destination-unreachable", 1}, {"packet-too-big", 2},
      {"time-exceeded", 3}, {"parameter-problem", 4}, {"echo-request", 128}, {"echo-reply", 129},
      {"nd-router-solicit", 133}, {"nd-router-advert", 134}, {"nd-neighbor-solicit", 135},
      {"nd-neighbor-advert", 136}};
  for (const auto& [n, v] : v6 ? std::vector(std::begin(k6), std::end(k6)) : std::vector(std::begin(k4), std::end(k4)))
    if (t == n) return uint8_t(v);
  return uint8_t(ParseNumber(t, "--icmp-type", 255));
}

PacketQuery BuildQuery(const TraceOptions& o) {
  PacketQuery q;
  if (o.local_out && !o.iif.empty()) throw InputError("--iif and --local-out exclude each other");
  if (!o.local_out && o.iif.empty()) throw InputError("say where the packet comes from: --iif IF or --local-out");
  q.local_out = o.local_out;
  if (!o.iif.empty()) q.iif = o.iif;
  if (!o.oif.empty()) q.oif = o.oif;
  std::optional<bool> fam;
  auto addr = [&](const std::string& s, const char* what) {
    u128 a = 0;
    bool v6 = false;
    if (!ParseIpAddress(s, a, v6)) throw InputError(std::string("invalid ") + what + " address: '" + s + "'");
    if (fam && *fam != v6) throw InputError("--src and --dst are of different families");
    fam = v6;
    return a;
  };
  if (!o.src.empty()) q.src = addr(o.src, "--src");
  if (!o.dst.empty()) q.dst = addr(o.dst, "--dst");
  if (!o.family.empty()) {
    if (o.family != "ip" && o.family != "ip6") throw InputError("--family must be ip or ip6");
    if (fam && *fam != (o.family == "ip6")) throw InputError("--family contradicts the addresses");
    fam = o.family == "ip6";
  }
  if (!o.proto.empty()) {
    q.proto = ParseProto(o.proto);
    if (*q.proto == 58 && !fam) fam = true;
  }
  q.ipv6 = fam.value_or(false);
  if (o.sport >= 0) q.sport = uint16_t(o.sport);
  if (o.dport >= 0) q.dport = uint16_t(o.dport);
  if (!o.icmp_type.empty()) q.icmp_type = ParseIcmpType(o.icmp_type, *q.ipv6);
  static const std::pair<const char*, uint32_t> kStates[] = {{"new", kCtNew}, {"established", kCtEstablished},
      {"related", kCtRelated}, {"invalid", kCtInvalid}, {"untracked", kCtUntracked}};
  if (o.ct_state == "any") {
    q.ct_state.reset();
  } else {
    bool found = false;
    for (const auto& [n, v] : kStates)
      if (o.ct_state == n) q.ct_state = v, found = true;
    if (!found) throw InputError("invalid --ct-state: '" + o.ct_state + "'");
  }
  if (o.mark == "any") q.mark.reset();
  else if (!o.mark.empty()) q.mark = uint32_t(ParseNumber(o.mark, "--mark", 0xffffffffu));
  return q;
}

// One packet of a --packets file: the same keys as the command-line flags (iif, local_out,
// oif, src, dst, family, proto, sport, dport, icmp_type, ct_state, mark), plus an optional
// "id" that is echoed. Unknown keys are an error, so a typo is not silently "any".
TraceOptions PacketFromJson(const nlohmann::json& j, const TraceOptions& defaults, const SourceRef& where) {
  if (!j.is_object()) throw InputError("a packet must be a JSON object", where);
  TraceOptions o;
  o.ct_state = defaults.ct_state;
  o.mark = defaults.mark;
  auto str = [&](const nlohmann::json& v, const std::string& key) -> std::string {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
    throw InputError("\"" + key + "\" must be a string or a number", where);
  };
  auto port = [&](const nlohmann::json& v, const std::string& key) {
    uint64_t n = 0;
    if (v.is_number_unsigned()) n = v.get<uint64_t>();
    else if (v.is_string()) n = ParseNumber(v.get<std::string>(), key.c_str(), 65535);
    else throw InputError("\"" + key + "\" must be a port number", where);
    if (n > 65535) throw InputError("\"" + key + "\" must be a port number", where);
    return int(n);
  };
  for (const auto& [k, v] : j.items()) {
    if (k == "id") continue;
    if (k == "iif") o.iif = str(v, k);
    else if (k == "oif") o.oif = str(v, k);
    else if (k == "src") o.src = str(v, k);
    else if (k == "dst") o.dst = str(v, k);
    else if (k == "family") o.family = str(v, k);
    else if (k == "proto") o.proto = str(v, k);
    else if (k == "icmp_type") o.icmp_type = str(v, k);
    else if (k == "ct_state") o.ct_state = str(v, k);
    else if (k == "mark") o.mark = str(v, k);
    else if (k == "sport") o.sport = port(v, k);
    else if (k == "dport") o.dport = port(v, k);
    else if (k == "local_out") {
      if (!v.is_boolean()) throw InputError("\"local_out\" must be true or false", where);
      o.local_out = v.get<bool>();
    } else {
      throw InputError("unknown packet key \"" + k + "\"", where);
    }
  }
  return o;
}

// --packets: one compact JSON line per packet, the --format json document plus "id".
int RunBatch(const TraceOptions& o, const Ruleset& rs, const SimOptions& opt) {
  std::ifstream in(o.packets);
  if (!in) throw InputError("cannot read packets file '" + o.packets + "'");
  std::string line;
  int64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    SourceRef where{o.packets, -1, n};
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) throw InputError("not a JSON object", where);
    PacketQuery q;
    try {
      q = BuildQuery(PacketFromJson(j, o, where));
    } catch (const InputError& e) {
      if (!e.where().file.empty()) throw;
      throw InputError(e.what(), where);
    }
    nlohmann::ordered_json out;
    if (j.contains("id")) out["id"] = j["id"];
    nlohmann::ordered_json doc = nlohmann::ordered_json::parse(TraceToJson(Simulate(rs, q, opt)));
    for (auto& [k, v] : doc.items()) out[k] = std::move(v);
    std::cout << out.dump() << "\n";
  }
  return kExitOk;
}

bool HasPacketFlags(const TraceOptions& o) {
  return !o.iif.empty() || o.local_out || !o.oif.empty() || !o.src.empty() || !o.dst.empty() ||
         !o.family.empty() || !o.proto.empty() || o.sport >= 0 || o.dport >= 0 || !o.icmp_type.empty();
}

}  // namespace

void AddTraceCommand(CLI::App& app, RunFn& run) {
  auto o = std::make_shared<TraceOptions>();
  auto* sub = app.add_subcommand("trace", "Simulate one packet through every table and hook, as the kernel would");
  AddInputOptions(sub, o->in);
  sub->add_option("--iif", o->iif, "interface the packet arrives on");
  sub->add_flag("--local-out", o->local_out, "the host itself sends the packet");
  sub->add_option("--oif", o->oif, "output interface, where routing cannot derive it");
  sub->add_option("--src", o->src, "source address (default: any; local out: the route's source)");
  sub->add_option("--dst", o->dst, "destination address (default: any)");
  sub->add_option("--family", o->family, "ip or ip6 when no address says it");
  sub->add_option("--proto", o->proto, "tcp, udp, icmp, icmpv6, sctp or a protocol number");
  sub->add_option("--sport", o->sport, "source port")->check(CLI::Range(0, 65535));
  sub->add_option("--dport", o->dport, "destination port")->check(CLI::Range(0, 65535));
  sub->add_option("--icmp-type", o->icmp_type, "ICMP type (name or number)");
  sub->add_option("--ct-state", o->ct_state, "new (default), established, related, invalid, untracked or any");
  sub->add_option("--mark", o->mark, "packet mark (default 0, as received; 'any')");
  sub->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--max-outcomes", o->max_outcomes, "cap on forked outcomes (default 4096)");
  sub->add_option("--packets", o->packets,
                  "batch mode: a JSON-lines file, one packet per line with the flags' names as keys "
                  "({\"id\":..., \"iif\":\"eth0\", \"src\":..., \"dst\":..., \"proto\":\"tcp\", \"dport\":80}); "
                  "prints one --format json document per line (plus \"id\"), loading the ruleset once");
  sub->callback([&run, o] {
    run = [o]() -> int {
      bool batch = !o->packets.empty();
      if (batch && HasPacketFlags(*o))
        throw InputError("--packets takes the packets from the file: drop the packet flags (--iif, --src, ...)");
      PacketQuery q;
      if (!batch) q = BuildQuery(*o);
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
