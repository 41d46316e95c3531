// Shared by NC2001, NC3001 and NC4003: the interface names rules match on, and the host's
// interfaces, as plain name lists.
#pragma once

#include <functional>
#include <set>
#include <string>

#include "nftc/model.h"

namespace nftc::iface {

/// True for the meta keys that name an input (in = true) or output interface.
inline bool IsIfKey(const Expr& e, bool in) {
  if (e.kind != ExprKind::kMeta) return false;
  MetaKey k = e.meta();
  return in ? (k == MetaKey::kIifname || k == MetaKey::kIif) : (k == MetaKey::kOifname || k == MetaKey::kOif);
}

/// Calls fn(name) for every literal name in an interface operand (value or anonymous set,
/// map elements' keys).
inline void EachName(const Expr& e, const std::function<void(const std::string&)>& fn) {
  if (e.kind == ExprKind::kValue && e.value.kind == Value::Kind::kString) fn(e.value.str);
  for (const Expr& k : e.kids) {
    if (k.kind == ExprKind::kMapElem) {
      if (!k.kids.empty()) EachName(k.kids[0], fn);
    } else {
      EachName(k, fn);
    }
  }
}

/// The names a statement matches positively as input (in) or output interface; named
/// verdict maps are resolved through `t`.
inline void StmtNames(const Table& t, const Stmt& s, bool in, std::set<std::string>& out) {
  if (s.e.size() < 2 || !IsIfKey(s.e[0], in)) return;
  if (s.kind == StmtKind::kMatch && s.op == MatchOp::kNe) return;
  if (s.kind != StmtKind::kMatch && s.kind != StmtKind::kVmap) return;
  const Expr& r = s.e[1];
  if (r.kind == ExprKind::kSetRef) {
    if (const Set* set = t.FindSet(r.name))
      for (const SetElem& el : set->elems)
        if (!el.lo.empty() && el.lo[0].kind == Value::Kind::kString) out.insert(el.lo[0].str);
    return;
  }
  EachName(r, [&](const std::string& n) { out.insert(n); });
}

/// Every interface name any rule of the ruleset matches (either direction), wildcards
/// ("veth*") excluded.
inline std::set<std::string> NamedInRules(const Ruleset& rs) {
  std::set<std::string> out;
  for (const Table& t : rs.tables)
    for (const Chain& c : t.chains)
      for (const Rule& r : c.rules)
        for (const Stmt& s : r.stmts) {
          if (s.e.empty()) continue;
          std::set<std::string> names;
          StmtNames(t, s, true, names);
          StmtNames(t, s, false, names);
          if (s.kind == StmtKind::kMatch && s.op == MatchOp::kNe && s.e.size() == 2 &&
              (IsIfKey(s.e[0], true) || IsIfKey(s.e[0], false)))
            EachName(s.e[1], [&](const std::string& n) { names.insert(n); });
          for (const std::string& n : names)
            if (!n.empty() && n.back() != '*') out.insert(n);
        }
  return out;
}

/// The host's interface names ("eth0@eth0-peer" -> "eth0"), without lo.
inline std::set<std::string> HostInterfaces(const HostContext& h) {
  std::set<std::string> out;
  for (const Interface& i : h.interfaces) {
    std::string n = i.name.substr(0, i.name.find('@'));
    if (!n.empty() && n != "lo") out.insert(n);
  }
  return out;
}

/// The stand-in name for "any other interface" (one no rule names).
inline constexpr const char* kOther = "nftc-other0";
inline std::string Display(const std::string& n) { return n == kOther ? "any other interface" : n; }

}  // namespace nftc::iface
