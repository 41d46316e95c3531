#include "owners/owners_report.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace nftc {
namespace {

std::string Conf(double c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", c);
  return buf;
}

std::string Pad(const std::string& s, size_t w) { return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' '); }

std::map<std::string, int> RuleOwners(const Chain& c) {
  std::map<std::string, int> m;
  for (const auto& r : c.rules) ++m[r.owner.owner];
  return m;
}

nlohmann::ordered_json AttrJson(const Attribution& a) {
  return {{"owner", a.owner}, {"confidence", a.confidence}, {"evidence", a.evidence}};
}

}  // namespace

void FormatOwnersText(const Ruleset& rs, bool rules, std::ostream& out) {
  size_t w = 0;
  for (const auto& t : rs.tables) {
    w = std::max(w, t.Id().size());
    for (const auto& c : t.chains) w = std::max(w, c.name.size() + 8);
    for (const auto& s : t.sets) w = std::max(w, s.name.size() + 8);
  }
  size_t ow = 0;
  for (const auto& t : rs.tables) {
    ow = std::max(ow, t.owner.owner.size());
    for (const auto& c : t.chains) {
      ow = std::max(ow, c.owner.owner.size());
      for (const auto& r : c.rules) ow = std::max(ow, r.owner.owner.size());
    }
  }
  auto line = [&](const std::string& what, const Attribution& a) {
    out << Pad(what, w + 2) << Pad(a.owner, ow + 1) << Conf(a.confidence) << "  " << a.evidence << "\n";
  };
  for (const auto& t : rs.tables) {
    line(t.Id(), t.owner);
    for (const auto& c : t.chains) {
      line("  chain " + c.name, c.owner);
      auto ro = RuleOwners(c);
      bool mixed = ro.size() > 1 || (ro.size() == 1 && ro.begin()->first != c.owner.owner);
      if (mixed && !rules) {
        out << "      rules:";
        std::string sep = " ";
        for (const auto& [o, n] : ro) out << sep << o << " " << n, sep = ", ";
        out << "\n";
      }
      if (rules)
        for (const auto& r : c.rules) {
          out << "      #" << r.position << " (handle " << r.handle << ")  " << r.owner.owner << "  "
              << Conf(r.owner.confidence) << "  " << r.owner.evidence;
          if (!r.ipt_line.empty()) out << "  | " << r.ipt_line;
          else if (!r.comment.empty()) out << "  | comment \"" << r.comment << "\"";
          out << "\n";
        }
    }
    for (const auto& s : t.sets) line(std::string(s.is_map ? "  map " : "  set ") + s.name, s.owner);
  }
}

void FormatOwnersJson(const Ruleset& rs, bool rules, std::ostream& out) {
  nlohmann::ordered_json doc;
  doc["schema_version"] = kOwnersJsonSchemaVersion;
  std::map<std::string, std::map<std::string, int>> sum;
  nlohmann::ordered_json tables = nlohmann::ordered_json::array();
  for (const auto& t : rs.tables) {
    ++sum[t.owner.owner]["tables"];
    nlohmann::ordered_json jt;
    jt["family"] = ToString(t.family);
    jt["table"] = t.name;
    jt["backend"] = ToString(t.backend);
    jt.update(AttrJson(t.owner));
    jt["chains"] = nlohmann::ordered_json::array();
    for (const auto& c : t.chains) {
      ++sum[c.owner.owner]["chains"];
      nlohmann::ordered_json jc;
      jc["name"] = c.name;
      jc["base"] = c.base;
      if (c.base) {
        jc["hook"] = ToString(c.hook);
        jc["prio"] = c.prio;
        jc["type"] = ToString(c.type);
      }
      jc.update(AttrJson(c.owner));
      nlohmann::ordered_json ro = nlohmann::ordered_json::object();
      for (const auto& [o, n] : RuleOwners(c)) ro[o] = n, sum[o]["rules"] += n;
      jc["rule_owners"] = ro;
      if (rules) {
        jc["rules"] = nlohmann::ordered_json::array();
        for (const auto& r : c.rules) {
          nlohmann::ordered_json jr = {{"position", r.position}, {"handle", r.handle}};
          jr.update(AttrJson(r.owner));
          jc["rules"].push_back(std::move(jr));
        }
      }
      jt["chains"].push_back(std::move(jc));
    }
    jt["sets"] = nlohmann::ordered_json::array();
    for (const auto& s : t.sets) {
      ++sum[s.owner.owner]["sets"];
      nlohmann::ordered_json js = {{"name", s.name}, {"map", s.is_map}};
      js.update(AttrJson(s.owner));
      jt["sets"].push_back(std::move(js));
    }
    tables.push_back(std::move(jt));
  }
  nlohmann::ordered_json js = nlohmann::ordered_json::object();
  for (const auto& [o, m] : sum) {
    nlohmann::ordered_json e;
    for (const char* k : {"tables", "chains", "rules", "sets"}) e[k] = m.count(k) ? m.at(k) : 0;
    js[o] = e;
  }
  doc["summary"] = js;
  doc["tables"] = tables;
  out << doc.dump(2) << "\n";
}

}  // namespace nftc
