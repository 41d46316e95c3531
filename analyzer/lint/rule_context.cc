// RuleContext: iteration helpers, location builders and Report().
#include "nftc/rule_context.h"

#include <cstdio>

#include "lint/hash.h"
#include "lint/session.h"

namespace nftc {

ReportBuilder& ReportBuilder::Related(Location where, std::string message) {
  where.message = std::move(message);
  d().related.push_back(std::move(where));
  return *this;
}
ReportBuilder& ReportBuilder::Hint(std::string hint) { d().hint = std::move(hint); return *this; }
ReportBuilder& ReportBuilder::Fix(std::string command) { d().fix = std::move(command); return *this; }
ReportBuilder& ReportBuilder::Witness(std::string packet) { d().witness = std::move(packet); return *this; }
ReportBuilder& ReportBuilder::Key(std::string key) { d().stable_key = std::move(key); return *this; }
ReportBuilder& ReportBuilder::Owner(std::string owner) { d().owner = std::move(owner); return *this; }
ReportBuilder& ReportBuilder::Level(Severity s) { d().severity = s; return *this; }

RuleContext::RuleContext(LintSession& session, const RuleEntry& rule, Severity severity,
                         std::vector<Diagnostic>* out)
    : session_(session), rule_(rule), severity_(severity), out_(out) {}

const Ruleset& RuleContext::ruleset() const { return session_.ruleset(); }

const HookGraph& RuleContext::Graph() const { return session_.graph(); }

TraceResult RuleContext::Simulate(const PacketQuery& q) const {
  return nftc::Simulate(ruleset(), q, SimOpts());
}

const SimOptions& RuleContext::SimOpts() const { return session_.sim_options(); }

void RuleContext::ForEachTable(const std::function<void(const Table&)>& fn) const {
  for (const Table& t : ruleset().tables) fn(t);
}
void RuleContext::ForEachChain(const std::function<void(const Table&, const Chain&)>& fn) const {
  for (const Table& t : ruleset().tables)
    for (const Chain& c : t.chains) fn(t, c);
}
void RuleContext::ForEachBaseChain(const std::function<void(const Table&, const Chain&)>& fn) const {
  for (const Table& t : ruleset().tables)
    for (const Chain& c : t.chains)
      if (c.base) fn(t, c);
}
void RuleContext::ForEachRule(
    const std::function<void(const Table&, const Chain&, const Rule&)>& fn) const {
  for (const Table& t : ruleset().tables)
    for (const Chain& c : t.chains)
      for (const Rule& r : c.rules) fn(t, c, r);
}
void RuleContext::ForEachSet(const std::function<void(const Table&, const Set&)>& fn) const {
  for (const Table& t : ruleset().tables)
    for (const Set& s : t.sets) fn(t, s);
}

Location RuleContext::AtRuleset() const {
  Location l;
  l.src.file = ruleset().origin;
  return l;
}
Location RuleContext::At(const Table& t) const {
  Location l;
  l.family = std::string(ToString(t.family));
  l.table = t.name;
  l.backend = t.backend;
  l.src = t.src;
  return l;
}
Location RuleContext::At(const Table& t, const Chain& c) const {
  Location l = At(t);
  l.chain = c.name;
  l.src = c.src;
  return l;
}
Location RuleContext::At(const Table& t, const Chain& c, const Rule& r) const {
  Location l = At(t, c);
  l.handle = r.handle;
  l.position = r.position;
  l.src = r.src;
  l.content = RuleContentDigest(r);
  return l;
}
Location RuleContext::AtSet(const Table& t, const Set& s) const {
  Location l = At(t);
  l.set = s.name;
  l.src = s.src;
  return l;
}

Location RuleContext::AtNote(const LoadNote& n) const {
  Location l = ResolveNote(n);
  if (!n.where.file.empty()) l.src = n.where;  // where the loader saw it (e.g. the save line)
  return l;
}

Location RuleContext::ResolveNote(const LoadNote& n) const {
  if (auto fam = ParseFamily(n.family)) {
    for (Backend b : {Backend::kNftables, Backend::kIptablesNft, Backend::kIptablesLegacy}) {
      const Table* t = ruleset().FindTable(*fam, n.table, b);
      if (!t) continue;
      const Chain* c = n.chain.empty() ? nullptr : t->FindChain(n.chain);
      if (!c) return At(*t);
      if (n.handle != 0)
        for (const Rule& r : c->rules)
          if (r.handle == n.handle) return At(*t, *c, r);
      return At(*t, *c);
    }
  }
  Location l;
  l.family = n.family;
  l.table = n.table;
  l.chain = n.chain;
  if (n.handle != 0) l.handle = n.handle;
  l.src = n.where;
  if (l.src.file.empty()) l.src.file = ruleset().origin;
  return l;
}

namespace {

// The owner of the innermost object at `l` that has an attribution other than "unknown".
std::string OwnerAt(const Ruleset& rs, const Location& l) {
  if (l.empty()) return "unknown";
  auto fam = ParseFamily(l.family);
  if (!fam) return "unknown";
  const Table* t = rs.FindTable(*fam, l.table, l.backend);
  if (!t) return "unknown";
  std::string owner = t->owner.owner;
  if (const Chain* c = l.chain.empty() ? nullptr : t->FindChain(l.chain)) {
    if (c->owner.owner != "unknown" && !c->owner.owner.empty()) owner = c->owner.owner;
    if (l.position >= 0 && static_cast<size_t>(l.position) < c->rules.size()) {
      const Rule& r = c->rules[l.position];
      if (r.owner.owner != "unknown" && !r.owner.owner.empty()) owner = r.owner.owner;
    }
  } else if (const Set* s = l.set.empty() ? nullptr : t->FindSet(l.set)) {
    if (s->owner.owner != "unknown" && !s->owner.owner.empty()) owner = s->owner.owner;
  }
  return owner.empty() ? "unknown" : owner;
}

// Canonical, handle-free text of an expression tree.
void DigestExpr(lint::Fnv64& h, const Expr& e) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "e%u/%u/%u/%u/%u/%u/v%u/%u/%016llx%016llx/%u",
                static_cast<unsigned>(e.kind), static_cast<unsigned>(e.type), e.key, e.flags,
                e.aux, e.len, static_cast<unsigned>(e.value.kind), e.value.bits,
                static_cast<unsigned long long>(e.value.num >> 64),
                static_cast<unsigned long long>(e.value.num), static_cast<unsigned>(e.verdict.kind));
  h.Add(buf);
  h.Add(e.value.str);
  h.Add(e.verdict.chain);
  h.Add(e.name);
  h.Add(e.json);
  h.Add(std::to_string(e.kids.size()));
  for (const Expr& k : e.kids) DigestExpr(h, k);
}

}  // namespace

std::string RuleContentDigest(const Rule& r) {
  lint::Fnv64 h;
  h.Add(r.comment);
  h.Add(r.ipt_line);
  for (const Stmt& s : r.stmts) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "s%u/%u/%u/%u/%u", static_cast<unsigned>(s.kind),
                  static_cast<unsigned>(s.op), s.sub, s.nat_flags,
                  static_cast<unsigned>(s.verdict.kind));
    h.Add(buf);
    h.Add(s.verdict.chain);
    h.Add(s.text);
    h.Add(s.json);
    if (s.xt) {
      h.Add(std::to_string(static_cast<int>(s.xt->type)) + s.xt->name);
      for (const std::string& a : s.xt->args) h.Add(a);
    }
    h.Add(std::to_string(s.e.size()));
    for (const Expr& e : s.e) DigestExpr(h, e);
  }
  return h.Hex();
}

ReportBuilder RuleContext::Report(Location where, std::string message) {
  Diagnostic d;
  d.id = std::string(rule_.id);
  d.slug = std::string(rule_.slug);
  d.severity = severity_;
  d.message = std::move(message);
  d.owner = OwnerAt(ruleset(), where);
  d.where = std::move(where);
  out_->push_back(std::move(d));
  return ReportBuilder(out_, out_->size() - 1);
}

}  // namespace nftc
