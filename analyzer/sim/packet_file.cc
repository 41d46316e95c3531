#include "sim/packet_file.h"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "nftc/error.h"

namespace nftc {
namespace {

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

PacketSpec SpecFromJson(const nlohmann::json& j, const PacketSpec& defaults, const SourceRef& where) {
  if (!j.is_object()) throw InputError("a packet must be a JSON object", where);
  PacketSpec o = defaults;
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

}  // namespace

PacketQuery BuildPacketQuery(const PacketSpec& o) {
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

PacketLine ParsePacketLine(const std::string& text, const SourceRef& where, const PacketSpec& defaults) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) throw InputError("not a JSON object", where);
  PacketLine p;
  try {
    p.query = BuildPacketQuery(SpecFromJson(j, defaults, where));
  } catch (const InputError& e) {
    // The conversion names flags and knows no location: give it the line's.
    if (!e.where().file.empty()) throw;
    throw InputError(e.what(), where);
  }
  if (j.contains("id")) p.id_json = j["id"].dump();
  return p;
}

void ReadPacketFile(const std::string& path, const PacketSpec& defaults,
                    const std::function<void(const PacketLine&)>& each) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot read packets file '" + path + "'");
  std::string line;
  int64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    each(ParsePacketLine(line, SourceRef{path, -1, n}, defaults));
  }
}

}  // namespace nftc
