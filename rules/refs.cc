// See refs.h.
#include "refs.h"

#include <set>
#include <unordered_map>

namespace nftc::refs {
namespace {

void ExprVerdicts(const Expr& e, const std::function<void(const Verdict&)>& fn) {
  if (e.kind == ExprKind::kVerdict) fn(e.verdict);
  for (const Expr& k : e.kids) ExprVerdicts(k, fn);
}

void ExprSetRefs(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == ExprKind::kSetRef && !e.name.empty()) out.push_back(e.name);
  for (const Expr& k : e.kids) ExprSetRefs(k, out);
}

}  // namespace

void RuleVerdicts(const Rule& r, const Table* t, const std::function<void(const Verdict&)>& fn) {
  for (const Stmt& s : r.stmts) {
    if (s.kind == StmtKind::kVerdict) fn(s.verdict);
    for (const Expr& e : s.e) {
      ExprVerdicts(e, fn);
      if (t && s.kind == StmtKind::kVmap && e.kind == ExprKind::kSetRef)
        if (const Set* m = t->FindSet(e.name))
          for (const SetElem& el : m->elems) fn(el.verdict);
    }
  }
}

std::vector<std::string> JumpTargets(const Table& t, const Rule& r) {
  std::vector<std::string> out;
  RuleVerdicts(r, &t, [&](const Verdict& v) {
    if ((v.kind == VerdictKind::kJump || v.kind == VerdictKind::kGoto) && !v.chain.empty())
      out.push_back(v.chain);
  });
  return out;
}

std::vector<std::string> SetRefs(const Rule& r) {
  std::vector<std::string> out;
  for (const Stmt& s : r.stmts) {
    for (const Expr& e : s.e) ExprSetRefs(e, out);
    if (s.kind == StmtKind::kSetUpdate && !s.text.empty())
      out.push_back(s.text[0] == '@' ? s.text.substr(1) : s.text);
  }
  return out;
}

std::vector<std::vector<size_t>> Referrers(const Table& t) {
  std::vector<std::vector<size_t>> out(t.chains.size());
  std::unordered_map<std::string, size_t> idx;
  for (size_t i = 0; i < t.chains.size(); ++i) idx.emplace(t.chains[i].name, i);
  for (size_t i = 0; i < t.chains.size(); ++i) {
    std::set<size_t> seen;
    for (const Rule& r : t.chains[i].rules)
      for (const std::string& n : JumpTargets(t, r))
        if (auto it = idx.find(n); it != idx.end() && seen.insert(it->second).second)
          out[it->second].push_back(i);
  }
  return out;
}

std::vector<bool> ReachableChains(const Table& t) {
  std::unordered_map<std::string, size_t> idx;
  for (size_t i = 0; i < t.chains.size(); ++i) idx.emplace(t.chains[i].name, i);
  std::vector<bool> seen(t.chains.size(), false);
  std::vector<size_t> todo;
  for (size_t i = 0; i < t.chains.size(); ++i)
    if (t.chains[i].base) {
      seen[i] = true;
      todo.push_back(i);
    }
  while (!todo.empty()) {
    size_t i = todo.back();
    todo.pop_back();
    for (const Rule& r : t.chains[i].rules)
      for (const std::string& n : JumpTargets(t, r))
        if (auto it = idx.find(n); it != idx.end() && !seen[it->second]) {
          seen[it->second] = true;
          todo.push_back(it->second);
        }
  }
  return seen;
}

}  // namespace nftc::refs
