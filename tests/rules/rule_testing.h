// Test scaffolding for lint rules: a tiny builder for hand-made rulesets and helpers that
// run one rule (ExpectFires / ExpectQuiet style). Header-only: tests/rules/*_test.cc and
// tests/unit/lint_*_test.cc include it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lint/engine.h"
#include "nftc/model.h"

namespace nftc::test {

/// Appends a table. The reference dies with the next AddTable (vector growth).
inline Table& AddTable(Ruleset& rs, Family f, std::string name,
                       Backend b = Backend::kNftables, std::string comment = "") {
  Table t;
  t.family = f;
  t.name = std::move(name);
  t.backend = b;
  t.comment = std::move(comment);
  t.handle = rs.tables.size() + 1;
  t.src.file = rs.origin.empty() ? "test.json" : rs.origin;
  rs.tables.push_back(std::move(t));
  return rs.tables.back();
}

/// Appends a chain (base if hook != kNone).
inline Chain& AddChain(Table& t, std::string name, Hook hook = Hook::kNone, int32_t prio = 0,
                       Policy policy = Policy::kAccept, std::string comment = "") {
  Chain c;
  c.name = std::move(name);
  c.hook = hook;
  c.base = hook != Hook::kNone;
  c.prio = prio;
  c.policy = policy;
  c.comment = std::move(comment);
  c.handle = 100 + t.chains.size();
  c.src.file = t.src.file;
  t.chains.push_back(std::move(c));
  return t.chains.back();
}

/// Appends a rule with the given statements; position follows the chain order.
inline Rule& AddRule(Chain& c, uint64_t handle, std::vector<Stmt> stmts, std::string comment = "") {
  Rule r;
  r.handle = handle;
  r.position = static_cast<int32_t>(c.rules.size());
  r.stmts = std::move(stmts);
  r.comment = std::move(comment);
  r.src.file = c.src.file;
  c.rules.push_back(std::move(r));
  return c.rules.back();
}

inline Stmt VerdictStmt(VerdictKind k, std::string chain = "") {
  Stmt s;
  s.kind = StmtKind::kVerdict;
  s.verdict.kind = k;
  s.verdict.chain = std::move(chain);
  return s;
}

/// `tcp dport <port>` as the loader builds it.
inline Stmt DportMatch(uint16_t port) {
  Stmt s;
  s.kind = StmtKind::kMatch;
  Expr l;
  l.kind = ExprKind::kPayload;
  l.key = static_cast<uint16_t>(Field::kTcpDport);
  l.type = DataType::kInetService;
  Expr r;
  r.kind = ExprKind::kValue;
  r.type = DataType::kInetService;
  r.value = Value::Int(port, 16);
  s.e = {l, r};
  return s;
}

/// An xt match/target as nft JSON shows it (has_args = false) or as merged from iptables-save.
inline Stmt XtStmt(std::string name, bool has_args = false, XtType type = XtType::kMatch) {
  Stmt s;
  s.kind = StmtKind::kXt;
  XtInfo x;
  x.type = type;
  x.name = std::move(name);
  x.has_args = has_args;
  if (has_args) x.args = {"--ctstate", "RELATED,ESTABLISHED"};
  s.xt = std::move(x);
  return s;
}

/// A statement the loader did not understand.
inline Stmt UnknownStmt(std::string kind) {
  Stmt s;
  s.kind = StmtKind::kUnknown;
  s.text = std::move(kind);
  s.json = "{\"" + s.text + "\":null}";
  return s;
}

/// A match whose packet side is an unknown expression.
inline Stmt UnknownExprMatch(std::string kind) {
  Stmt s = DportMatch(1);
  s.e[0] = Expr{};
  s.e[0].kind = ExprKind::kUnknown;
  s.e[0].name = std::move(kind);
  return s;
}

/// Runs only rule `id` (its default severity, no config).
inline std::vector<Diagnostic> RunRule(const Ruleset& rs, const std::string& id) {
  LintOptions o;
  o.only = {id};
  return RunLint(rs, o).findings;
}

/// How many findings rule `id` reports on `rs`.
inline size_t CountFindings(const Ruleset& rs, const std::string& id) { return RunRule(rs, id).size(); }

/// True when one of the finding's related locations is chain `chain` of table `table`.
inline bool HasRelated(const Diagnostic& d, const std::string& table, const std::string& chain) {
  for (const Location& l : d.related)
    if (l.table == table && l.chain == chain) return true;
  return false;
}

}  // namespace nftc::test
