// NC5001 shadowed-rule: a rule that never sees a packet it could decide, because an earlier
// rule of its chain (directly, or through the chain it jumps to) decides every packet the
// later rule matches. Sound by construction: a rule shadows only when its conditions provably
// contain the later rule's (match_cover.h), it always decides (no limit, quota, unknown
// statement or xt match without arguments), and nothing between the two can change the
// packet (marks, set updates, unknown statements, jumps into chains that do).
//
// Not quadratic: per chain, the deciding condition lists seen so far are bucketed by the set
// of fields they test, and within a bucket indexed by the exact value of their first field;
// a later rule looks only at buckets whose fields it tests too, and at the entries of its own
// values (plus a bounded list of entries with ranges or wildcards).
#include <map>
#include <set>
#include <unordered_map>

#include "match_cover.h"
#include "model/rule_print.h"
#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"
#include "refs.h"

namespace nftc {
namespace {

using cover::Cond;

constexpr size_t kWideScan = 256;     // entries with ranges/wildcards checked per bucket
constexpr size_t kMaxDeciders = 512;  // decider lists kept per jumped-to chain
constexpr size_t kMaxIndexed = 100000;  // entries per chain index (beyond: later rules may be missed, never misreported)

// Statements that may change what a later match sees.
bool Mangles(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::kMangle: case StmtKind::kSetUpdate: case StmtKind::kNotrack:
    case StmtKind::kUnknown: case StmtKind::kOther:
      return true;
    case StmtKind::kXt:
      return s.xt && s.xt->type == XtType::kTarget && !s.xt->has_args;
    default:
      return false;
  }
}

bool HasLookup(const Expr& e) {
  if (e.kind == ExprKind::kMapLookup || e.kind == ExprKind::kSetRef || e.kind == ExprKind::kUnknown) return true;
  for (const Expr& k : e.kids)
    if (HasLookup(k)) return true;
  return false;
}

// What a rule does with the packets it matches, when it matches them provably.
struct Shape {
  bool clean = false;        // conditions all understood, nothing that may not match
  std::vector<Cond> conds;   // the conjunction
  enum class Act { kNone, kDecide, kJump } act = Act::kNone;
  std::string verdict;       // accept, drop, reject, queue, return, goto X, dnat ...
  std::string target;        // jump target
  bool mangles = false;      // changes the packet for later rules
  bool escapes = false;      // return/goto: leaves a jumped-to chain towards its caller
};

Shape Analyze(const Table& t, const Rule& r) {
  Shape sh;
  sh.clean = true;
  bool after_action = false, changed = false;
  for (const Stmt& s : r.stmts) {
    switch (s.kind) {
      case StmtKind::kMatch: {
        if (after_action || changed) break;  // evaluated on a changed packet: ignore
        auto c = cover::FromMatch(t, s);
        if (!c) sh.clean = false;
        else sh.conds.push_back(std::move(*c));
        break;
      }
      case StmtKind::kCounter: case StmtKind::kLog:
        break;
      case StmtKind::kLimit: case StmtKind::kQuota: case StmtKind::kVmap:
        sh.clean = false;
        break;
      case StmtKind::kXt:
        if (!s.xt || !s.xt->has_args) sh.clean = false;  // merged ones: the translation follows
        if (Mangles(s)) sh.mangles = changed = true;
        break;
      case StmtKind::kReject:
        sh.act = Shape::Act::kDecide;
        sh.verdict = "reject";
        after_action = true;
        break;
      case StmtKind::kNat:
        // A NAT statement ends the NAT chain, unless its address comes from a map lookup,
        // which may find nothing (then the rule does not match).
        for (const Expr& e : s.e)
          if (HasLookup(e)) sh.clean = false;
        sh.act = Shape::Act::kDecide;
        sh.verdict = "nat";
        after_action = true;
        break;
      case StmtKind::kVerdict: {
        const Verdict& v = s.verdict;
        if (v.kind == VerdictKind::kJump) {
          sh.act = Shape::Act::kJump;
          sh.target = v.chain;
        } else if (v.kind != VerdictKind::kContinue && v.kind != VerdictKind::kNone) {
          sh.act = Shape::Act::kDecide;
          sh.verdict = VerdictToString(v);
          sh.escapes = v.kind == VerdictKind::kReturn || v.kind == VerdictKind::kGoto;
        }
        after_action = true;
        break;
      }
      default:
        if (Mangles(s)) {
          sh.mangles = changed = true;
          if (!after_action) sh.clean = false;  // matches after it see a changed packet
        }
        break;
    }
  }
  for (const Stmt& s : r.stmts)
    if (s.kind == StmtKind::kVmap) {
      // Verdict maps may jump, return or go anywhere: treat as an escape for jumped-to chains.
      sh.escapes = true;
    }
  return sh;
}

// A decider: packets satisfying `conds` are decided by `rule` (in `chain`), possibly reached
// through `via` (the jump rule in the chain being checked).
struct Decider {
  std::vector<Cond> conds;
  const Chain* chain = nullptr;
  const Rule* rule = nullptr;
  const Rule* via = nullptr;
  std::string verdict;
};

struct Bucket {
  std::string first;  // lhs indexed by value
  std::unordered_map<std::string, std::vector<size_t>> points;
  std::vector<size_t> wide;
};

class ChainIndex {
 public:
  void Add(Decider d) {
    if (all_.size() >= kMaxIndexed) return;
    std::set<std::string> sig;
    for (const Cond& c : d.conds) sig.insert(c.lhs);
    std::string key;
    for (const std::string& s : sig) key += s + "\x1f";
    size_t id = all_.size();
    all_.push_back(std::move(d));
    auto [it, fresh] = buckets_.try_emplace(key);
    Bucket& b = it->second;
    if (fresh) {
      b.first = sig.empty() ? "" : *sig.begin();
      sigs_.push_back({std::move(sig), key});
    }
    std::string pk;
    for (const Cond& c : all_[id].conds)
      if (c.lhs == b.first) {
        pk = c.PointKey();
        break;
      }
    if (!pk.empty()) b.points[pk].push_back(id);
    else b.wide.push_back(id);
  }
  void Clear() {
    all_.clear();
    buckets_.clear();
    sigs_.clear();
  }
  // The first decider (in chain order) whose conditions contain `conds`.
  const Decider* Find(const std::vector<Cond>& conds) const {
    std::set<std::string> have;
    for (const Cond& c : conds) have.insert(c.lhs);
    size_t best = SIZE_MAX;
    for (const auto& [sig, key] : sigs_) {
      bool sub = true;
      for (const std::string& s : sig) sub = sub && have.count(s);
      if (!sub) continue;
      const Bucket& b = buckets_.at(key);
      auto check = [&](size_t id) {
        if (id < best && cover::CoversAll(all_[id].conds, conds)) best = id;
      };
      for (const Cond& c : conds) {
        if (c.lhs != b.first) continue;
        std::string pk = c.PointKey();
        if (pk.empty()) continue;
        if (auto it = b.points.find(pk); it != b.points.end())
          for (size_t id : it->second) check(id);
      }
      size_t n = 0;
      for (size_t id : b.wide) {
        if (++n > kWideScan) break;
        check(id);
      }
    }
    return best == SIZE_MAX ? nullptr : &all_[best];
  }

 private:
  std::vector<Decider> all_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::vector<std::pair<std::set<std::string>, std::string>> sigs_;
};

class Checker {
 public:
  Checker(RuleContext& ctx, const Table& t) : ctx_(ctx), t_(t) {
    for (size_t i = 0; i < t.chains.size(); ++i) idx_.emplace(t.chains[i].name, i);
  }

  void CheckChain(const Chain& c) {
    ChainIndex index;
    for (const Rule& r : c.rules) {
      Shape sh = Analyze(t_, r);
      std::vector<Cond> mine;  // R2's conditions: the understood ones (others only narrow it)
      for (const Cond& x : sh.conds) mine.push_back(x);
      AddImplied(r, mine);
      if (const Decider* d = index.Find(mine)) Report(c, r, *d);
      bool changes = sh.mangles || (sh.act == Shape::Act::kJump && MayMangle(sh.target, 0));
      if (changes) index.Clear();
      if (!sh.clean) continue;
      if (sh.act == Shape::Act::kDecide) {
        index.Add(Decider{sh.conds, &c, &r, nullptr, sh.verdict});
      } else if (sh.act == Shape::Act::kJump && !changes) {
        for (const Decider& d : Deciders(sh.target, 0)) {
          Decider x = d;
          x.conds.insert(x.conds.end(), sh.conds.begin(), sh.conds.end());
          x.via = &r;
          index.Add(std::move(x));
        }
      }
    }
  }

 private:
  // tcp/udp header fields imply the protocol (nft adds the dependency itself).
  static void AddImplied(const Rule& r, std::vector<Cond>& out) {
    for (const Stmt& s : r.stmts) {
      if (s.kind != StmtKind::kMatch || s.e.empty() || s.e[0].kind != ExprKind::kPayload) continue;
      Field f = s.e[0].field();
      int proto = (f == Field::kTcpDport || f == Field::kTcpSport || f == Field::kTcpFlags) ? 6
                  : (f == Field::kUdpDport || f == Field::kUdpSport)                        ? 17 : 0;
      if (!proto) continue;
      Expr m;
      m.kind = ExprKind::kMeta;
      m.key = static_cast<uint16_t>(MetaKey::kL4proto);
      Cond c;
      c.lhs = *cover::Canon(m);
      c.kind = Cond::Kind::kInts;
      c.ivs = {{static_cast<u128>(proto), static_cast<u128>(proto)}};
      out.push_back(std::move(c));
      return;
    }
  }

  const Chain* FindChain(const std::string& n) const {
    auto it = idx_.find(n);
    return it == idx_.end() ? nullptr : &t_.chains[it->second];
  }

  // May the chain (or chains it jumps to) change the packet?
  bool MayMangle(const std::string& name, int depth) {
    if (auto it = mangle_.find(name); it != mangle_.end()) return it->second;
    const Chain* c = FindChain(name);
    if (!c || depth > 16) return true;
    mangle_[name] = true;  // cycles: assume the worst
    bool m = false;
    for (const Rule& r : c->rules) {
      Shape sh = Analyze(t_, r);
      if (sh.mangles) m = true;
      for (const std::string& n : refs::JumpTargets(t_, r))
        if (MayMangle(n, depth + 1)) m = true;
      if (m) break;
    }
    mangle_[name] = m;
    return m;
  }

  // Condition lists under which a packet entering chain `name` is decided there (or in a
  // chain it jumps to), before anything could send it back to the caller.
  const std::vector<Decider>& Deciders(const std::string& name, int depth) {
    if (auto it = deciders_.find(name); it != deciders_.end()) return it->second;
    std::vector<Decider>& out = deciders_[name];  // empty while computing: cycles give nothing
    const Chain* c = FindChain(name);
    if (!c || depth > 8) return out;
    std::vector<Decider> acc;
    for (const Rule& r : c->rules) {
      Shape sh = Analyze(t_, r);
      if (sh.escapes || sh.mangles) break;
      if (sh.act == Shape::Act::kJump && MayMangle(sh.target, depth + 1)) break;
      if (!sh.clean) {
        // An unclean jump could still return early or decide; an unclean decision just
        // does not count. Either way later rules stay reachable as before.
        if (sh.act == Shape::Act::kJump) break;
        continue;
      }
      if (sh.act == Shape::Act::kDecide) {
        acc.push_back(Decider{sh.conds, c, &r, nullptr, sh.verdict});
      } else if (sh.act == Shape::Act::kJump) {
        const std::vector<Decider>& sub = Deciders(sh.target, depth + 1);
        for (const Decider& d : sub) {
          Decider x = d;
          x.conds.insert(x.conds.end(), sh.conds.begin(), sh.conds.end());
          acc.push_back(std::move(x));
        }
      }
      if (acc.size() > kMaxDeciders) break;
    }
    deciders_[name] = std::move(acc);
    return deciders_[name];
  }

  void Report(const Chain& c, const Rule& r, const Decider& d) {
    std::string by = RuleToString(*d.rule);
    std::string msg;
    if (!d.via) {
      msg = "rule never decides a packet: every packet it matches is already decided (" + d.verdict +
            ") by the earlier rule `" + by + "` of this chain";
    } else {
      msg = "rule never decides a packet: every packet it matches is decided (" + d.verdict +
            ") in chain '" + d.chain->name + "' by `" + by + "`, which the earlier rule `" +
            RuleToString(*d.via) + "` jumps to";
    }
    ReportBuilder b = ctx_.Report(ctx_.At(t_, c, r), msg)
                          .Related(ctx_.At(t_, *d.chain, *d.rule), "decides every packet the shadowed rule matches")
                          .Hint("delete the shadowed rule, or move it above the rule that decides first "
                                "(if it was meant to win)")
                          .Key(t_.Id() + " " + c.name + " " + RuleToString(r) + " <- " + by);
    if (d.via) b.Related(ctx_.At(t_, c, *d.via), "jumps to '" + d.chain->name + "' first");
  }

  RuleContext& ctx_;
  const Table& t_;
  std::unordered_map<std::string, size_t> idx_;
  std::unordered_map<std::string, bool> mangle_;
  std::unordered_map<std::string, std::vector<Decider>> deciders_;
};

class ShadowedRuleRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    ctx.ForEachTable([&](const Table& t) {
      Checker k(ctx, t);
      for (const Chain& c : t.chains) k.CheckChain(c);
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeShadowedRuleRule() { return std::make_unique<ShadowedRuleRule>(); }

}  // namespace nftc
