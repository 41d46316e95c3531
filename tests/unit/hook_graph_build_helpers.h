// Small builders for hand-made rulesets in the owners and hook graph tests.
#pragma once

#include <string>

#include "nftc/model.h"

namespace nftc::test {

inline Table& AddTable(Ruleset& rs, Family f, std::string name, Backend b = Backend::kNftables) {
  Table t;
  t.family = f;
  t.name = std::move(name);
  t.backend = b;
  rs.tables.push_back(std::move(t));
  return rs.tables.back();
}

inline Chain& AddBase(Table& t, std::string name, ChainType type, Hook hook, int32_t prio,
                      Policy pol = Policy::kAccept) {
  Chain c;
  c.name = std::move(name);
  c.base = true;
  c.type = type;
  c.hook = hook;
  c.prio = prio;
  c.policy = pol;
  t.chains.push_back(std::move(c));
  return t.chains.back();
}

inline Chain& AddUser(Table& t, std::string name) {
  Chain c;
  c.name = std::move(name);
  t.chains.push_back(std::move(c));
  return t.chains.back();
}

inline Stmt VerdictStmt(VerdictKind k, std::string target = {}) {
  Stmt s;
  s.kind = StmtKind::kVerdict;
  s.verdict.kind = k;
  s.verdict.chain = std::move(target);
  return s;
}

inline Stmt IfaceMatch(MetaKey key, std::string name) {
  Stmt s;
  s.kind = StmtKind::kMatch;
  Expr l;
  l.kind = ExprKind::kMeta;
  l.key = static_cast<uint16_t>(key);
  l.type = DataType::kIfname;
  Expr r;
  r.kind = ExprKind::kValue;
  r.type = DataType::kIfname;
  r.value = Value::Str(std::move(name));
  s.e = {l, r};
  return s;
}

inline Stmt SaddrPrefix(uint32_t addr, uint32_t plen) {
  Stmt s;
  s.kind = StmtKind::kMatch;
  Expr l;
  l.kind = ExprKind::kPayload;
  l.key = static_cast<uint16_t>(Field::kIpSaddr);
  Expr a;
  a.kind = ExprKind::kValue;
  a.value = Value::Int(addr, 32);
  Expr p;
  p.kind = ExprKind::kPrefix;
  p.aux = plen;
  p.kids = {a};
  s.e = {l, p};
  return s;
}

inline Rule& AddRule(Chain& c, std::vector<Stmt> stmts, std::string comment = {}, std::string ipt = {}) {
  Rule r;
  r.position = static_cast<int32_t>(c.rules.size());
  r.handle = c.rules.size() + 1;
  r.stmts = std::move(stmts);
  r.comment = std::move(comment);
  r.ipt_line = std::move(ipt);
  c.rules.push_back(std::move(r));
  return c.rules.back();
}

inline Rule& Jump(Chain& c, std::string target) { return AddRule(c, {VerdictStmt(VerdictKind::kJump, std::move(target))}); }

}  // namespace nftc::test
