// Inline directives and config selectors.
#include "lint/suppression.h"

#include <fnmatch.h>

#include <algorithm>

#include "nftc/lint_rule.h"

namespace nftc {

std::vector<std::string> ScopeComments(const Ruleset& rs, const Location& where) {
  std::vector<std::string> out;
  if (where.empty()) return out;
  auto fam = ParseFamily(where.family);
  if (!fam) return out;
  const Table* t = rs.FindTable(*fam, where.table, where.backend);
  if (!t) return out;
  out.push_back(t->comment);
  if (!where.chain.empty()) {
    const Chain* c = t->FindChain(where.chain);
    if (!c) return out;
    out.push_back(c->comment);
    if (where.position >= 0 && static_cast<size_t>(where.position) < c->rules.size()) {
      out.push_back(c->rules[where.position].comment);
    } else if (where.handle) {
      for (const Rule& r : c->rules)
        if (r.handle == *where.handle) out.push_back(r.comment);
    }
  } else if (!where.set.empty()) {
    if (const Set* s = t->FindSet(where.set)) out.push_back(s->comment);
  }
  return out;
}

std::vector<std::string> InlineDisabled(std::string_view comment) {
  static constexpr std::string_view kMarker = "nft-coexist:";
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = comment.find(kMarker, pos)) != std::string_view::npos) {
    pos += kMarker.size();
    while (pos < comment.size() && comment[pos] == ' ') ++pos;
    static constexpr std::string_view kDisable = "disable=";
    if (comment.substr(pos, kDisable.size()) != kDisable) continue;
    pos += kDisable.size();
    size_t end = pos;
    while (end < comment.size() && comment[end] != ' ' && comment[end] != '\t') ++end;
    std::string_view list = comment.substr(pos, end - pos);
    size_t s = 0;
    while (s <= list.size()) {
      size_t e = list.find(',', s);
      if (e == std::string_view::npos) e = list.size();
      std::string_view item = list.substr(s, e - s);
      if (item == "all") out.push_back("all");
      else if (const RuleEntry* r = FindRule(item)) out.push_back(std::string(r->id));
      s = e + 1;
    }
    pos = end;
  }
  return out;
}

bool SuppressedInline(const Ruleset& rs, const Diagnostic& d) {
  for (const std::string& c : ScopeComments(rs, d.where)) {
    if (c.empty()) continue;
    for (const std::string& id : InlineDisabled(c))
      if (id == "all" || id == d.id) return true;
  }
  return false;
}

namespace {

bool Glob(const std::string& pattern, const std::string& value) {
  return pattern.empty() || fnmatch(pattern.c_str(), value.c_str(), 0) == 0;
}

}  // namespace

bool SelectorMatches(const Selector& sel, const Ruleset& rs, const Diagnostic& d) {
  const Location& w = d.where;
  if (!Glob(sel.owner, d.owner)) return false;
  if (!Glob(sel.family, w.family)) return false;
  if (!sel.table.empty()) {
    bool qualified = sel.table.find('/') != std::string::npos;
    if (!Glob(sel.table, qualified ? w.family + "/" + w.table : w.table)) return false;
  }
  if (!Glob(sel.chain, w.chain)) return false;
  if (!sel.backend.empty() && !Glob(sel.backend, std::string(ToString(w.backend)))) return false;
  if (!sel.comment.empty()) {
    std::vector<std::string> comments = ScopeComments(rs, w);
    if (std::none_of(comments.begin(), comments.end(), [&](const std::string& c) {
          return c.find(sel.comment) != std::string::npos;
        }))
      return false;
  }
  return true;
}

}  // namespace nftc
