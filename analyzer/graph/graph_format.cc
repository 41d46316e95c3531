#include "graph/graph_format.h"

#include <climits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nftc/owners.h"
#include "nftc/priority.h"

namespace nftc {
namespace {

std::string PrioNumber(int32_t p) { return p == INT_MAX ? "INT_MAX" : std::to_string(p); }

std::string TableLabel(const Table& t) {
  return t.backend == Backend::kIptablesLegacy ? t.name + " (legacy)" : t.name.str();
}

std::string HookTitle(const HookView& v) {
  std::string s = std::string(ToString(v.pipeline));
  if (v.pipeline == Pipeline::kNetdev) s += " dev " + (v.device.empty() ? std::string("(none)") : v.device);
  return s + " " + std::string(ToString(v.hook));
}

/// '/', '|', '\' marks of a tie group member at position k of n.
std::string TieMark(const HookView& v, size_t idx) {
  const GraphEntry& e = v.entries[idx];
  if (e.tie < 0) return "";
  const auto& members = v.ties[e.tie].entries;
  if (idx == members.front()) return "/";
  if (idx == members.back()) return "\\";
  return "|";
}

std::string Pad(const std::string& s, size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }

}  // namespace

void FormatGraphText(const HookGraph& g, std::ostream& out) {
  bool first = true;
  for (const auto& v : g.hooks()) {
    if (!first) out << "\n";
    first = false;
    out << "== " << HookTitle(v) << " ==\n";
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"", "prio", "nft", "family", "table", "chain", "type", "policy", "owner"});
    for (size_t i = 0; i < v.entries.size(); ++i) {
      const GraphEntry& e = v.entries[i];
      std::string prio = (e.in_nat_slot ? "> " : "") + PrioNumber(e.prio);
      if (!e.IsChain()) {
        std::string who = e.marker == MarkerKind::kFlowtable ? "" : "kernel: ";
        std::string text = "-- " + who + e.label + (e.note.empty() ? "" : " (" + e.note + ")") + " --";
        rows.push_back({TieMark(v, i), prio, "\x01" + text});
        continue;
      }
      const Table& t = *e.table;
      const Chain& c = *e.chain;
      Family fam_for_render = t.family;
      rows.push_back({TieMark(v, i), prio, RenderPriority(fam_for_render, c.hook, c.prio),
                      std::string(ToString(t.family)), TableLabel(t), c.name, std::string(ToString(c.type)),
                      c.policy == Policy::kDrop ? "drop" : "accept", c.owner.owner});
    }
    std::vector<size_t> w(9, 0);
    for (const auto& r : rows)
      for (size_t k = 0; k < (r.size() == 9 ? 9 : 2); ++k) w[k] = std::max(w[k], r[k].size());
    for (const auto& r : rows) {
      std::string line = "  " + Pad(r[0], std::max<size_t>(w[0], 1)) + "  " + Pad(r[1], w[1]) + "  ";
      if (r.size() == 3) {
        line += r[2].substr(1);
      } else {
        for (size_t k = 2; k < 9; ++k) line += (k == 8 ? r[k] : Pad(r[k], w[k]) + "  ");
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out << line << "\n";
    }
    for (const auto& tie : v.ties) {
      out << "  tie at " << PrioNumber(tie.prio) << (tie.in_nat_slot ? " (inside the NAT core)" : "")
          << ", order undefined (registration order):";
      std::string sep = " ";
      for (size_t i : tie.entries) {
        const GraphEntry& e = v.entries[i];
        out << sep << (e.IsChain() ? e.table->Id() + " " + e.chain->name
                                   : (e.marker == MarkerKind::kFlowtable ? "" : "kernel ") + e.label);
        sep = ", ";
      }
      out << "\n";
    }
  }
}

void FormatGraphJson(const HookGraph& g, std::ostream& out) {
  nlohmann::ordered_json doc;
  doc["schema_version"] = kGraphJsonSchemaVersion;
  doc["hooks"] = nlohmann::ordered_json::array();
  for (const auto& v : g.hooks()) {
    nlohmann::ordered_json h;
    h["pipeline"] = ToString(v.pipeline);
    h["device"] = v.pipeline == Pipeline::kNetdev ? nlohmann::ordered_json(v.device) : nlohmann::ordered_json();
    h["hook"] = ToString(v.hook);
    h["entries"] = nlohmann::ordered_json::array();
    for (const auto& e : v.entries) {
      nlohmann::ordered_json j;
      if (e.IsChain()) {
        const Table& t = *e.table;
        const Chain& c = *e.chain;
        j["kind"] = "chain";
        j["prio"] = e.prio;
        j["prio_text"] = RenderPriority(t.family, c.hook, c.prio);
        j["nat_slot"] = e.in_nat_slot;
        j["tie"] = e.tie < 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(e.tie);
        j["family"] = ToString(t.family);
        j["table"] = t.name;
        j["backend"] = ToString(t.backend);
        j["chain"] = c.name;
        j["type"] = ToString(c.type);
        j["policy"] = c.policy == Policy::kDrop ? "drop" : "accept";
        j["owner"] = c.owner.owner;
        j["owner_confidence"] = c.owner.confidence;
        j["owner_evidence"] = c.owner.evidence;
      } else {
        j["kind"] = "marker";
        j["marker"] = ToString(e.marker);
        j["prio"] = e.prio;
        j["tie"] = e.tie < 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(e.tie);
        j["label"] = e.label;
        if (!e.note.empty()) j["note"] = e.note;
        if (e.flowtable) {
          j["family"] = ToString(e.table->family);
          j["table"] = e.table->name;
          j["flowtable"] = e.flowtable->name;
          j["owner"] = e.Owner();
        }
      }
      h["entries"].push_back(std::move(j));
    }
    h["ties"] = nlohmann::ordered_json::array();
    for (const auto& t : v.ties)
      h["ties"].push_back({{"prio", t.prio}, {"nat_slot", t.in_nat_slot}, {"entries", t.entries}});
    doc["hooks"].push_back(std::move(h));
  }
  out << doc.dump(2) << "\n";
}

namespace {

const char* OwnerColour(std::string_view owner) {
  static const char* kPalette[] = {
      "#f4a582", "#92c5de", "#b8e186", "#fddbc7", "#c2a5cf", "#a6dba0", "#fee08b", "#d9f0d3",
      "#80cdc1", "#dfc27d", "#f1b6da", "#bababa", "#e6f5d0", "#fdae61", "#abd9e9", "#ffffbf",
  };
  if (owner == owner::kUnknown) return "#ffffff";
  if (owner == owner::kIptablesNft || owner == owner::kIptablesLegacy) return "#e0e0e0";
  const auto& progs = KnownPrograms();
  for (size_t i = 0; i < progs.size(); ++i)
    if (progs[i].id == owner) return kPalette[i % (sizeof kPalette / sizeof *kPalette)];
  return "#ffffff";
}

std::string DotEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

}  // namespace

void FormatGraphDot(const HookGraph& g, std::ostream& out) {
  out << "digraph nft_coexist {\n  rankdir=LR;\n  node [fontname=\"monospace\", fontsize=10];\n";
  for (size_t hi = 0; hi < g.hooks().size(); ++hi) {
    const HookView& v = g.hooks()[hi];
    out << "  subgraph cluster_h" << hi << " {\n    label=\"" << DotEscape(HookTitle(v)) << "\";\n";
    auto id = [&](size_t i) { return "h" + std::to_string(hi) + "_" + std::to_string(i); };
    for (size_t i = 0; i < v.entries.size(); ++i) {
      const GraphEntry& e = v.entries[i];
      bool opens = e.tie >= 0 && v.ties[e.tie].entries.front() == i;
      if (opens)
        out << "    subgraph cluster_h" << hi << "_t" << e.tie << " {\n      style=dashed; label=\"tie at "
            << PrioNumber(e.prio) << ": order undefined\";\n";
      std::string ind = e.tie >= 0 ? "      " : "    ";
      if (e.IsChain()) {
        std::string label = PrioNumber(e.prio) + (e.in_nat_slot ? " (in NAT core)" : "") + "\\n" +
                            DotEscape(e.table->Id()) + "\\n" + DotEscape(e.chain->name) + "\\n[" +
                            DotEscape(e.chain->owner.owner) + "]";
        out << ind << id(i) << " [label=\"" << label << "\", shape=ellipse, style=filled, fillcolor=\""
            << OwnerColour(e.chain->owner.owner) << "\"];\n";
      } else {
        out << ind << id(i) << " [label=\"" << PrioNumber(e.prio) << "\\nkernel: " << DotEscape(e.label)
            << "\", shape=box, style=filled, fillcolor=\"#cccccc\"];\n";
      }
      if (e.tie >= 0 && v.ties[e.tie].entries.back() == i) out << "    }\n";
    }
    for (size_t i = 1; i < v.entries.size(); ++i) out << "    " << id(i - 1) << " -> " << id(i) << ";\n";
    out << "  }\n";
  }
  out << "}\n";
}

}  // namespace nftc
