// `nft-coexist trace` output: JSON (schema_version 1) and text in the style of
// `nft monitor trace`.
#include <nlohmann/json.hpp>

#include "nftc/packet_path.h"

namespace nftc {
namespace {

using json = nlohmann::ordered_json;

const char* HookName(Hook h) {
  switch (h) {
    case Hook::kPrerouting: return "prerouting";
    case Hook::kInput: return "input";
    case Hook::kForward: return "forward";
    case Hook::kOutput: return "output";
    case Hook::kPostrouting: return "postrouting";
    case Hook::kIngress: return "ingress";
    case Hook::kEgress: return "egress";
    case Hook::kNone: return "routing";
  }
  return "?";
}

const char* FamilyName(Family f) {
  switch (f) {
    case Family::kIp: return "ip";
    case Family::kIp6: return "ip6";
    case Family::kInet: return "inet";
    case Family::kArp: return "arp";
    case Family::kBridge: return "bridge";
    case Family::kNetdev: return "netdev";
  }
  return "?";
}

json View(const PacketView& v) {
  json j;
  if (!v.iif.empty()) j["iif"] = v.iif;
  if (!v.oif.empty()) j["oif"] = v.oif;
  j["src"] = v.src;
  j["dst"] = v.dst;
  j["proto"] = v.proto;
  if (v.proto == "tcp" || v.proto == "udp" || v.proto == "sctp" || v.proto == "any") {
    j["sport"] = v.sport;
    j["dport"] = v.dport;
  }
  return j;
}

json Step(const TraceStep& s) {
  json j;
  j["hook"] = HookName(s.hook);
  j["family"] = FamilyName(s.family);
  j["table"] = s.table;
  j["chain"] = s.chain;
  j["handle"] = s.handle ? json(*s.handle) : json(nullptr);
  j["rule"] = s.is_policy() ? json(nullptr) : json(s.rule);
  j["verdict"] = s.verdict;
  j["kind"] = s.is_policy() ? "policy" : "rule";
  if (s.legacy) j["legacy"] = true;
  if (s.tie) j["tie"] = true;
  j["owner"] = s.owner;
  return j;
}

std::string StepText(const TraceStep& s) {
  std::string t = std::string("[") + HookName(s.hook) + "] " + FamilyName(s.family) + " " + s.table +
                  (s.legacy ? " (legacy)" : "") + " " + s.chain;
  if (s.is_policy()) t += " policy " + s.verdict;
  else t += " rule " + s.rule + " (handle " + std::to_string(*s.handle) + ") (verdict " + s.verdict + ")";
  if (s.tie) t += "  [same priority as another chain: order depends on registration]";
  return t;
}

std::string PacketText(const PacketView& v) {
  std::string t = v.proto + " " + v.src;
  if (v.proto == "tcp" || v.proto == "udp" || v.proto == "sctp") t += ":" + v.sport;
  t += " -> " + v.dst;
  if (v.proto == "tcp" || v.proto == "udp" || v.proto == "sctp") t += ":" + v.dport;
  return t;
}

}  // namespace

std::string TraceToJson(const TraceResult& r) {
  json j;
  j["schema_version"] = 1;
  j["verdict"] = r.verdict;
  json outs = json::array();
  for (const Outcome& o : r.outcomes) {
    json oj;
    oj["verdict"] = o.verdict;
    oj["condition"] = o.condition;
    json steps = json::array();
    for (const TraceStep& s : o.steps) steps.push_back(Step(s));
    oj["steps"] = std::move(steps);
    json nat = json::object();
    if (!o.dnat.empty()) nat["dnat"] = o.dnat;
    if (!o.snat.empty()) nat["snat"] = o.snat;
    oj["nat"] = std::move(nat);
    if (o.verdict == "accept") {
      json d = View(o.final);
      d["to"] = o.delivered;
      oj["delivered"] = std::move(d);
    } else {
      oj["delivered"] = nullptr;
      if (o.final_hook) oj["died_at"] = HookName(*o.final_hook);
    }
    const TraceStep* by = o.decided_by();
    if (by) {
      json d;
      d["hook"] = HookName(by->hook);
      d["family"] = FamilyName(by->family);
      d["table"] = by->table;
      d["chain"] = by->chain;
      d["handle"] = by->handle ? json(*by->handle) : json(nullptr);
      d["owner"] = by->owner;
      oj["decided_by"] = std::move(d);
    } else {
      oj["decided_by"] = nullptr;
    }
    oj["original"] = View(o.original);
    oj["final"] = View(o.final);
    oj["notes"] = o.notes;
    outs.push_back(std::move(oj));
  }
  j["outcomes"] = std::move(outs);
  j["truncated"] = r.truncated;
  j["warnings"] = r.warnings;
  return j.dump(2) + "\n";
}

std::string TraceToText(const TraceResult& r) {
  std::string t;
  for (const auto& w : r.warnings) t += "warning: " + w + "\n";
  size_t n = 0;
  for (const Outcome& o : r.outcomes) {
    ++n;
    if (r.outcomes.size() > 1)
      t += "outcome " + std::to_string(n) + "/" + std::to_string(r.outcomes.size()) +
           (o.condition.empty() ? "" : " when " + o.condition) + ":\n";
    t += "packet " + PacketText(o.original) + (o.original.iif.empty() ? " (local out)" : " iif " + o.original.iif) + "\n";
    for (const TraceStep& s : o.steps) t += "  " + StepText(s) + "\n";
    for (const auto& note : o.notes) t += "  note: " + note + "\n";
    std::string v = "=> " + o.verdict;
    if (o.verdict == "accept") {
      v += o.delivered == "host" ? ": delivered to the host" : ": sent out " + o.delivered;
      v += " (" + PacketText(o.final) + ")";
    } else if (o.final_hook) {
      v += std::string(" at ") + HookName(*o.final_hook);
    }
    if (!o.dnat.empty()) v += ", dnat " + o.dnat;
    if (!o.snat.empty()) v += ", snat " + o.snat;
    if (const TraceStep* by = o.decided_by())
      v += ", decided by " + by->owner + " (" + FamilyName(by->family) + " " + by->table + " " + by->chain +
           (by->handle ? " #" + std::to_string(*by->handle) : std::string(" policy")) + ")";
    t += v + "\n";
  }
  if (r.truncated) t += "(more outcomes cut: --max-outcomes)\n";
  if (r.outcomes.size() > 1) t += "verdict: " + r.verdict + "\n";
  return t;
}

}  // namespace nftc
