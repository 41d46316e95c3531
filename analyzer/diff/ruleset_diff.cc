#include "diff/ruleset_diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "lint/engine.h"
#include "model/rule_print.h"
#include "nftc/error.h"
#include "nftc/hook_graph.h"
#include "nftc/priority.h"

namespace nftc {

namespace {

std::string TableKey(const Table& t) { return t.Id(); }

std::string ChainHead(const Chain& c) {
  if (!c.base) return "regular chain";
  return std::string(ToString(c.type)) + " hook " + std::string(ToString(c.hook));
}

/// Longest common subsequence of two rule-text sequences; returns the texts only in a and
/// only in b, in order. Falls back to a multiset difference for very long chains.
void SequenceDiff(const std::vector<std::string>& a, const std::vector<std::string>& b,
                  std::vector<std::string>* only_a, std::vector<std::string>* only_b) {
  if (a == b) return;
  const size_t n = a.size(), m = b.size();
  if (n * m > 4'000'000) {
    std::multiset<std::string> mb(b.begin(), b.end()), ma(a.begin(), a.end());
    for (const auto& s : a) {
      auto it = mb.find(s);
      if (it == mb.end()) only_a->push_back(s);
      else mb.erase(it);
    }
    for (const auto& s : b) {
      auto it = ma.find(s);
      if (it == ma.end()) only_b->push_back(s);
      else ma.erase(it);
    }
    return;
  }
  std::vector<std::vector<uint32_t>> L(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      L[i][j] = a[i] == b[j] ? L[i + 1][j + 1] + 1 : std::max(L[i + 1][j], L[i][j + 1]);
  size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] == b[j]) ++i, ++j;
    else if (L[i + 1][j] >= L[i][j + 1]) only_a->push_back(a[i++]);
    else only_b->push_back(b[j++]);
  }
  while (i < n) only_a->push_back(a[i++]);
  while (j < m) only_b->push_back(b[j++]);
}

std::vector<std::string> RuleTexts(const Chain& c) {
  std::vector<std::string> out;
  out.reserve(c.rules.size());
  for (const auto& r : c.rules) out.push_back(RuleToString(r));
  return out;
}

/// Elements of a set as sorted strings, so that element order does not matter.
std::vector<std::string> ElementTexts(const Set& s) {
  std::vector<std::string> out;
  out.reserve(s.elems.size());
  for (const auto& e : s.elems) {
    std::string t;
    for (size_t i = 0; i < e.lo.size(); ++i) {
      DataType dt = i < s.key.size() ? s.key[i] : DataType::kUnknown;
      if (i) t += " . ";
      t += ValueToString(e.lo[i], dt);
      if (i < e.hi.size() && !(e.hi[i] == e.lo[i])) t += "-" + ValueToString(e.hi[i], dt);
    }
    if (e.verdict.kind != VerdictKind::kNone) t += " : " + VerdictToString(e.verdict);
    for (size_t i = 0; i < e.data.size(); ++i)
      t += (i ? " . " : " : ") + ValueToString(e.data[i], i < s.data.size() ? s.data[i] : DataType::kUnknown);
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Differ {
 public:
  explicit Differ(std::vector<Change>& out) : out_(out) {}

  void Add(Change::Kind k, std::string object, std::string owner, std::string where, std::string detail) {
    Change c;
    c.kind = k;
    c.object = std::move(object);
    c.owner = owner.empty() ? "unknown" : std::move(owner);
    c.where = std::move(where);
    c.detail = std::move(detail);
    out_.push_back(std::move(c));
  }

  void Tables(const Ruleset& a, const Ruleset& b) {
    std::map<std::string, const nftc::Table*> ta, tb;
    for (const auto& t : a.tables) ta[TableKey(t)] = &t;
    for (const auto& t : b.tables) tb[TableKey(t)] = &t;
    for (const auto& [k, t] : ta)
      if (!tb.count(k))
        Add(Change::Kind::kRemoved, "table", t->owner.owner, k,
            std::to_string(t->chains.size()) + " chains, " + std::to_string(RuleCount(*t)) + " rules");
    for (const auto& [k, t] : tb)
      if (!ta.count(k))
        Add(Change::Kind::kAdded, "table", t->owner.owner, k,
            std::to_string(t->chains.size()) + " chains, " + std::to_string(RuleCount(*t)) + " rules");
    for (const auto& [k, t] : ta)
      if (auto it = tb.find(k); it != tb.end()) DiffTable(*t, *it->second);
  }

 private:
  static size_t RuleCount(const nftc::Table& t) {
    size_t n = 0;
    for (const auto& c : t.chains) n += c.rules.size();
    return n;
  }

  void DiffTable(const nftc::Table& a, const nftc::Table& b) {
    const std::string tid = a.Id();
    for (const auto& c : a.chains)
      if (!b.FindChain(c.name))
        Add(Change::Kind::kRemoved, "chain", c.owner.owner, tid + " " + c.name,
            ChainHead(c) + ", " + std::to_string(c.rules.size()) + " rules");
    for (const auto& c : b.chains)
      if (!a.FindChain(c.name))
        Add(Change::Kind::kAdded, "chain", c.owner.owner, tid + " " + c.name,
            ChainHead(c) + ", " + std::to_string(c.rules.size()) + " rules");
    for (const auto& ca : a.chains)
      if (const nftc::Chain* cb = b.FindChain(ca.name)) DiffChain(tid, a.family, ca, *cb);
    for (const auto& sa : a.sets) {
      const Set* sb = b.FindSet(sa.name);
      if (!sb) {
        Add(Change::Kind::kRemoved, "set", sa.owner.owner.empty() ? a.owner.owner : sa.owner.owner,
            tid + " " + sa.name, std::to_string(sa.elems.size()) + " elements");
        continue;
      }
      auto ea = ElementTexts(sa), eb = ElementTexts(*sb);
      if (ea == eb) continue;
      std::vector<std::string> gone, added;
      std::set_difference(ea.begin(), ea.end(), eb.begin(), eb.end(), std::back_inserter(gone));
      std::set_difference(eb.begin(), eb.end(), ea.begin(), ea.end(), std::back_inserter(added));
      std::ostringstream d;
      d << ea.size() << " -> " << eb.size() << " elements (+" << added.size() << " -" << gone.size() << ")";
      Add(Change::Kind::kChanged, "set-elements", sa.owner.owner.empty() ? a.owner.owner : sa.owner.owner,
          tid + " " + sa.name, d.str());
    }
    for (const auto& sb : b.sets)
      if (!a.FindSet(sb.name))
        Add(Change::Kind::kAdded, "set", sb.owner.owner.empty() ? b.owner.owner : sb.owner.owner,
            tid + " " + sb.name, std::to_string(sb.elems.size()) + " elements");
  }

  void DiffChain(const std::string& tid, Family fam, const nftc::Chain& a, const nftc::Chain& b) {
    const std::string where = tid + " " + a.name;
    const std::string& owner = a.owner.owner;
    if (a.base != b.base || a.hook != b.hook || a.type != b.type)
      Add(Change::Kind::kChanged, "hook", owner, where, ChainHead(a) + " -> " + ChainHead(b));
    if (a.base && b.base && a.prio != b.prio)
      Add(Change::Kind::kChanged, "priority", owner, where,
          RenderPriority(fam, a.hook, a.prio) + " (" + std::to_string(a.prio) + ") -> " +
              RenderPriority(fam, b.hook, b.prio) + " (" + std::to_string(b.prio) + ")");
    if (a.base && b.base && a.policy != b.policy)
      Add(Change::Kind::kChanged, "policy", owner, where,
          std::string(a.policy == Policy::kDrop ? "drop" : "accept") + " -> " +
              (b.policy == Policy::kDrop ? "drop" : "accept"));
    std::vector<std::string> gone, added;
    SequenceDiff(RuleTexts(a), RuleTexts(b), &gone, &added);
    for (auto& r : gone) Add(Change::Kind::kRemoved, "rule", owner, where, std::move(r));
    for (auto& r : added) Add(Change::Kind::kAdded, "rule", b.owner.owner, where, std::move(r));
  }

  std::vector<Change>& out_;
};

/// Per hook, the base chains in kernel order as "family table chain@prio".
std::map<std::string, std::vector<std::string>> HookOrders(const Ruleset& rs) {
  std::map<std::string, std::vector<std::string>> out;
  HookGraph g = HookGraph::Build(rs);
  for (const auto& h : g.hooks()) {
    std::string key = std::string(ToString(h.pipeline)) + (h.device.empty() ? "" : " " + h.device) + " " +
                      std::string(ToString(h.hook));
    auto& v = out[key];
    for (const auto& e : h.entries)
      if (e.IsChain())
        v.push_back(e.table->Id() + " " + e.chain->name + "@" + std::to_string(e.prio) + (e.tie >= 0 ? " (tie)" : ""));
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "(none)" : s;
}

}  // namespace

std::string_view ToString(Change::Kind k) {
  switch (k) {
    case Change::Kind::kAdded: return "added";
    case Change::Kind::kRemoved: return "removed";
    case Change::Kind::kChanged: return "changed";
  }
  return "?";
}

std::vector<Change> DiffRulesets(const Ruleset& a, const Ruleset& b, const DiffOptions& opts) {
  std::vector<Change> out;
  Differ d(out);
  d.Tables(a, b);
  if (opts.sysctl && a.host.have_sysctl && b.host.have_sysctl) {
    for (const auto& [k, va] : a.host.sysctl) {
      auto vb = b.host.Sysctl(k);
      if (!vb) d.Add(Change::Kind::kRemoved, "sysctl", "kernel", k, va);
      else if (*vb != va) d.Add(Change::Kind::kChanged, "sysctl", "kernel", k, va + " -> " + *vb);
    }
    for (const auto& [k, vb] : b.host.sysctl)
      if (!a.host.Sysctl(k)) d.Add(Change::Kind::kAdded, "sysctl", "kernel", k, vb);
  }
  if (opts.graph) {
    auto ga = HookOrders(a), gb = HookOrders(b);
    std::set<std::string> keys;
    for (const auto& [k, v] : ga) keys.insert(k);
    for (const auto& [k, v] : gb) keys.insert(k);
    for (const auto& k : keys) {
      const auto& va = ga[k];
      const auto& vb = gb[k];
      if (va != vb) d.Add(Change::Kind::kChanged, "hook-order", "kernel", k, Join(va) + "  ->  " + Join(vb));
    }
  }
  if (opts.findings) {
    LintOptions lo;
    LintOutcome fa = RunLint(a, lo), fb = RunLint(b, lo);
    std::map<std::string, const Diagnostic*> ma, mb;
    for (const auto& f : fa.findings) ma[f.fingerprint] = &f;
    for (const auto& f : fb.findings) mb[f.fingerprint] = &f;
    for (const auto& [fp, f] : ma)
      if (!mb.count(fp))
        d.Add(Change::Kind::kRemoved, "finding", f->owner, f->where.Describe(), f->id + " " + f->message);
    for (const auto& [fp, f] : mb)
      if (!ma.count(fp)) d.Add(Change::Kind::kAdded, "finding", f->owner, f->where.Describe(), f->id + " " + f->message);
  }
  std::stable_sort(out.begin(), out.end(), [](const Change& x, const Change& y) {
    if (x.owner != y.owner) return x.owner < y.owner;
    if (x.where != y.where) return x.where < y.where;
    if (x.object != y.object) return x.object < y.object;
    return x.kind < y.kind;
  });
  return out;
}

bool GlobMatch(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi, ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::vector<AllowPattern> ParseAllowList(const std::string& text, const std::string& origin) {
  std::vector<AllowPattern> out;
  std::istringstream in(text);
  std::string line;
  int64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    auto hash = line.find('#');
    std::string body = line.substr(0, hash);
    std::istringstream ls(body);
    std::string word;
    AllowPattern p;
    p.line = line;
    bool any = false;
    while (ls >> word) {
      // "where=inet\ f2b-table*": a backslash keeps the next space inside the value.
      while (!word.empty() && word.back() == '\\') {
        std::string more;
        if (!(ls >> more)) break;
        word.pop_back();
        word += " " + more;
      }
      auto eq = word.find('=');
      if (!any && eq == std::string::npos) {
        p.object = word;
      } else if (eq == std::string::npos) {
        throw InputError("expected key=value, got \"" + word + "\"", SourceRef{origin, -1, n});
      } else {
        std::string k = word.substr(0, eq), v = word.substr(eq + 1);
        if (k == "owner") p.owner = v;
        else if (k == "where") p.where = v;
        else if (k == "kind") p.kind = v;
        else if (k == "object") p.object = v;
        else throw InputError("unknown key \"" + k + "\" (owner, where, kind, object)", SourceRef{origin, -1, n});
      }
      any = true;
    }
    if (any) out.push_back(std::move(p));
  }
  return out;
}

size_t ApplyAllowList(std::vector<Change>& changes, const std::vector<AllowPattern>& allow) {
  size_t left = 0;
  for (auto& c : changes) {
    for (const auto& p : allow)
      if (GlobMatch(p.object, c.object) && GlobMatch(p.owner, c.owner) && GlobMatch(p.where, c.where) &&
          GlobMatch(p.kind, std::string(ToString(c.kind)))) {
        c.allowed = true;
        break;
      }
    if (!c.allowed) ++left;
  }
  return left;
}

}  // namespace nftc
