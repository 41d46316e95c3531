// AttributeOwners: applies the pattern table (patterns.cc) to a ruleset. The order of the
// steps is documented in include/nftc/owners.h.
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "nftc/owners.h"
#include "nftc/priority.h"
#include "owners/direct_rules.h"

namespace nftc {
namespace {

struct Compiled {
  const OwnerPattern* pat;
  std::unique_ptr<RE2> re;
};

const std::vector<Compiled>& CompiledPatterns() {
  static const std::vector<Compiled> kCompiled = [] {
    std::vector<Compiled> v;
    for (const auto& p : OwnerPatterns()) {
      auto re = std::make_unique<RE2>(std::string(p.regex), RE2::Quiet);
      // A bad regex is a bug in patterns.cc; owners_patterns_test catches it. Skip it here.
      if (re->ok()) v.push_back({&p, std::move(re)});
    }
    return v;
  }();
  return kCompiled;
}

/// Best match (highest confidence; table order breaks ties) of one kind for one name.
std::optional<Attribution> MatchName(PatternKind kind, Family fam, std::string_view name) {
  if (name.empty()) return std::nullopt;
  const Compiled* best = nullptr;
  for (const auto& c : CompiledPatterns()) {
    if (c.pat->kind != kind) continue;
    if (c.pat->families && !(c.pat->families & (1u << static_cast<unsigned>(fam)))) continue;
    if (!RE2::FullMatch(re2::StringPiece(name.data(), name.size()), *c.re)) continue;
    if (!best || c.pat->confidence > best->pat->confidence) best = &c;
  }
  if (!best) return std::nullopt;
  return Attribution{std::string(best->pat->program), std::string(best->pat->evidence), best->pat->confidence};
}

Attribution Make(std::string_view owner, std::string evidence, double conf) {
  return Attribution{std::string(owner), std::move(evidence), conf};
}

std::string RenderAddr(const Value& v, uint32_t plen) {
  std::string s;
  if (v.bits == 32) {
    uint32_t a = static_cast<uint32_t>(v.num);
    s = std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
        std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
  } else {
    // IPv6: eight hex groups, longest zero run (>= 2) compressed.
    uint16_t g[8];
    for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>(v.num >> (112 - 16 * i));
    int bs = -1, bl = 0;
    for (int i = 0; i < 8;) {
      int j = i;
      while (j < 8 && g[j] == 0) ++j;
      if (j - i > bl && j - i >= 2) bs = i, bl = j - i;
      i = j == i ? i + 1 : j;
    }
    char buf[8];
    for (int i = 0; i < 8; ++i) {
      if (i == bs) { s += "::"; i += bl - 1; continue; }
      if (!s.empty() && s.back() != ':') s += ":";
      snprintf(buf, sizeof buf, "%x", g[i]);
      s += buf;
    }
  }
  return s + "/" + std::to_string(plen);
}

/// What a rule says about itself: jump targets, interface names, address prefixes.
struct RuleFacts {
  std::vector<std::string> targets;  ///< jump/goto/vmap target chains
  bool only_handoffs = true;         ///< the rule's verdict is a jump/goto/vmap
  std::vector<std::string> ifaces;
  std::vector<std::string> addrs;
};

void CollectVerdictMap(const Table& t, const Expr& m, RuleFacts& f) {
  if (m.kind == ExprKind::kSet) {
    for (const auto& el : m.kids)
      if (el.kind == ExprKind::kMapElem && el.kids.size() > 1 && !el.kids[1].verdict.chain.empty())
        f.targets.push_back(el.kids[1].verdict.chain);
  } else if (m.kind == ExprKind::kSetRef) {
    if (const Set* s = t.FindSet(m.name))
      for (const auto& el : s->elems)
        if (!el.verdict.chain.empty()) f.targets.push_back(el.verdict.chain);
  }
}

RuleFacts Facts(const Table& t, const Rule& r) {
  RuleFacts f;
  bool handoff = false;
  for (const auto& s : r.stmts) {
    if (s.kind == StmtKind::kVerdict) {
      if (s.verdict.kind == VerdictKind::kJump || s.verdict.kind == VerdictKind::kGoto) {
        f.targets.push_back(s.verdict.chain);
        handoff = true;
      }
    } else if (s.kind == StmtKind::kVmap && s.e.size() > 1) {
      CollectVerdictMap(t, s.e[1], f);
      handoff = true;
    } else if (s.kind == StmtKind::kMatch && s.e.size() > 1) {
      const Expr& l = s.e[0];
      const Expr& r2 = s.e[1];
      if (l.kind == ExprKind::kMeta) {
        MetaKey k = l.meta();
        if (k == MetaKey::kIifname || k == MetaKey::kOifname || k == MetaKey::kIif || k == MetaKey::kOif) {
          if (r2.kind == ExprKind::kValue && r2.value.kind == Value::Kind::kString)
            f.ifaces.push_back(r2.value.str);
          for (const auto& kid : r2.kids)
            if (kid.kind == ExprKind::kValue && kid.value.kind == Value::Kind::kString)
              f.ifaces.push_back(kid.value.str);
        }
      } else if (l.kind == ExprKind::kPayload) {
        Field fl = l.field();
        if (fl == Field::kIpSaddr || fl == Field::kIpDaddr || fl == Field::kIp6Saddr || fl == Field::kIp6Daddr) {
          if (r2.kind == ExprKind::kPrefix && !r2.kids.empty() && r2.kids[0].value.kind == Value::Kind::kInt)
            f.addrs.push_back(RenderAddr(r2.kids[0].value, r2.aux));
          else if (r2.kind == ExprKind::kValue && r2.value.kind == Value::Kind::kInt)
            f.addrs.push_back(RenderAddr(r2.value, r2.value.bits == 32 ? 32 : 128));
        }
      }
    }
  }
  f.only_handoffs = handoff;
  return f;
}

bool IsSharedTable(const Table& t) { return IsGenericOwner(t.owner.owner); }

bool IsBuiltinChain(const Table& t, const Chain& c) {
  if (!c.base) return false;
  return t.backend != Backend::kNftables || ClassicPriority(t.family, t.name, c.name, t.backend).has_value();
}

Attribution AttributeChainByName(const Table& t, const Chain& c) {
  if (!IsSharedTable(t)) return Make(t.owner.owner, "in " + t.owner.owner + "'s table " + t.Id(), t.owner.confidence);
  if (auto a = MatchName(PatternKind::kChain, t.family, c.name)) return *a;
  if (IsBuiltinChain(t, c))
    return Make(t.owner.owner, "built-in chain of " + t.Id(), t.owner.confidence);
  return Make(t.owner.owner, "no chain pattern matched; owner of " + t.Id(), std::min(t.owner.confidence, 0.5));
}

Attribution AttributeRule(const Table& t, const Chain& c, const Rule& r, const RuleFacts& f,
                          const std::vector<owners::DirectRule>& direct) {
  if (auto a = MatchName(PatternKind::kRuleComment, t.family, r.comment)) return *a;
  for (const auto& tgt : f.targets) {
    const Chain* tc = t.FindChain(tgt);
    if (tc && !IsGenericOwner(tc->owner.owner))
      return Make(tc->owner.owner, "jumps to " + tgt + " (" + tc->owner.owner + ")", std::min(0.95, tc->owner.confidence));
  }
  if (!r.ipt_line.empty() && !direct.empty()) {
    std::vector<std::string> key = owners::NormaliseIptArgs(r.ipt_line);
    for (const auto& d : direct)
      if (d.family == t.family && d.table == t.name && d.chain == c.name && d.key == key)
        return Make("firewalld", "firewalld --direct rule (listed in " + d.source + ")", 0.9);
  }
  if (!IsGenericOwner(c.owner.owner))
    return Make(c.owner.owner, "in " + c.owner.owner + "'s chain " + c.name, c.owner.confidence);
  std::optional<Attribution> best;
  for (const auto& i : f.ifaces)
    if (auto a = MatchName(PatternKind::kRuleIface, t.family, i); a && (!best || a->confidence > best->confidence)) best = a;
  for (const auto& ad : f.addrs)
    if (auto a = MatchName(PatternKind::kRuleAddr, t.family, ad); a && (!best || a->confidence > best->confidence)) best = a;
  if (best) return *best;
  return Make(c.owner.owner, "no program marker; rule of " + c.owner.owner + " chain " + c.name, std::min(c.owner.confidence, 0.5));
}

/// A built-in chain of a shared table: does one program clearly own it?
Attribution AttributeBuiltin(const Table& t, const Chain& c, const std::vector<RuleFacts>& facts) {
  std::set<std::string> users;
  for (const auto& r : c.rules)
    if (!IsGenericOwner(r.owner.owner)) users.insert(r.owner.owner);
  std::string base = "built-in chain of " + t.Id();
  if (users.empty()) return Make(t.owner.owner, base, t.owner.confidence);
  bool all_same = users.size() == 1;
  for (const auto& r : c.rules) all_same = all_same && r.owner.owner == *users.begin();
  if (all_same) {
    bool handoffs = std::all_of(facts.begin(), facts.end(), [](const RuleFacts& f) { return f.only_handoffs; });
    const std::string& p = *users.begin();
    if (c.policy == Policy::kDrop)
      return Make(p, base + "; policy drop and all " + std::to_string(c.rules.size()) + " rules are " + p + "'s", 0.8);
    if (handoffs)
      return Make(p, base + "; all " + std::to_string(c.rules.size()) + " rules hand off to " + p + "'s chains", 0.75);
  }
  std::string list;
  for (const auto& u : users) list += (list.empty() ? "" : ", ") + u;
  return Make(t.owner.owner, base + " (shared; rules from " + list + ")", t.owner.confidence);
}

}  // namespace

Attribution AttributeTable(const Table& t) {
  if (auto a = MatchName(PatternKind::kTable, t.family, t.name)) return *a;
  if (auto a = MatchName(PatternKind::kTableComment, t.family, t.comment)) return *a;
  if (t.backend == Backend::kIptablesLegacy)
    return Make(owner::kIptablesLegacy, "iptables-legacy table (x_tables, invisible to nft)", 1.0);
  if (t.backend == Backend::kIptablesNft)
    return Make(owner::kIptablesNft, "iptables table name/family, managed by iptables-nft", 0.9);
  return Make(owner::kUnknown, "no table pattern matched", 0.0);
}

void AttributeOwners(Ruleset& rs) {
  const std::vector<owners::DirectRule> direct = owners::CollectDirectRules(rs.host);
  for (auto& t : rs.tables) {
    t.owner = AttributeTable(t);
    // Chains by name first: rules need the owners of their jump targets.
    for (auto& c : t.chains) c.owner = AttributeChainByName(t, c);
    if (!IsSharedTable(t)) {
      // A program's own table: everything in it is the program's (no per-rule evidence).
      for (auto& c : t.chains)
        for (auto& r : c.rules) r.owner = c.owner;
    } else {
      std::vector<RuleFacts> fv;
      for (auto& c : t.chains) {
        fv.clear();
        for (auto& r : c.rules) {
          fv.push_back(Facts(t, r));
          r.owner = AttributeRule(t, c, r, fv.back(), direct);
        }
        // Built-in chains are decided after their rules; jump targets were decided above.
        if (IsBuiltinChain(t, c)) c.owner = AttributeBuiltin(t, c, fv);
      }
    }
    for (auto& s : t.sets) {
      if (!IsSharedTable(t)) s.owner = Make(t.owner.owner, "in " + t.owner.owner + "'s table " + t.Id(), t.owner.confidence);
      else if (auto a = MatchName(PatternKind::kSet, t.family, s.name)) s.owner = *a;
      else s.owner = Make(t.owner.owner, "no set pattern matched; owner of " + t.Id(), std::min(t.owner.confidence, 0.5));
    }
  }
}

}  // namespace nftc
