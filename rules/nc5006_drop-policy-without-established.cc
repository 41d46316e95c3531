// NC5006 drop-policy-without-established: a filter base chain on input, forward or output
// with policy drop, where neither the chain nor any chain it jumps or goes to accepts
// established or related packets. An accept of established traffic in another base chain on
// the same hook does not help: accept ends only its own base chain.
#include <optional>
#include <unordered_map>

#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"
#include "refs.h"

namespace nftc {
namespace {

// The ct state bits a constant side names, or nullopt.
std::optional<u128> StateBits(const Expr& e) {
  if ((e.kind == ExprKind::kValue || e.kind == ExprKind::kFlags) && e.value.kind == Value::Kind::kInt)
    return e.value.num;
  if (e.kind == ExprKind::kSet) {
    u128 m = 0;
    for (const Expr& k : e.kids) {
      auto b = StateBits(k);
      if (!b) return std::nullopt;
      m |= *b;
    }
    return m;
  }
  return std::nullopt;
}

bool IsCtState(const Expr& e) { return e.kind == ExprKind::kCt && e.ct() == CtKey::kState; }

enum class Lets { kNo, kYes, kUnknown };

// Does this rule accept established packets (possibly among others, possibly only some of
// them)? kUnknown when it cannot be told (xt matches without arguments, unknown matches).
Lets LetsEstablished(const Table& t, const Rule& r) {
  bool accept = false, has_match = false, state_ok = false, state_seen = false, unknown = false;
  for (const Stmt& s : r.stmts) {
    if (s.kind == StmtKind::kVerdict && s.verdict.kind == VerdictKind::kAccept) accept = true;
    if (s.kind == StmtKind::kUnknown) unknown = true;
    if (s.kind == StmtKind::kXt && s.xt && s.xt->type == XtType::kMatch && !s.xt->has_args &&
        (s.xt->name == "conntrack" || s.xt->name == "state"))
      unknown = true;
    if (s.kind == StmtKind::kMatch && s.e.size() == 2) {
      has_match = true;
      if (s.e[0].kind == ExprKind::kUnknown || s.e[1].kind == ExprKind::kUnknown) unknown = true;
      if (IsCtState(s.e[0])) {
        state_seen = true;
        auto bits = StateBits(s.e[1]);
        if (!bits) unknown = true;
        else if (s.op == MatchOp::kNe ? !(*bits & kCtEstablished) : (*bits & kCtEstablished) != 0)
          state_ok = true;
      }
    }
    if (s.kind == StmtKind::kVmap && s.e.size() == 2 && IsCtState(s.e[0])) {
      // ct state vmap { established : accept, ... }
      const Expr& m = s.e[1];
      auto check = [&](const std::vector<Value>& lo, const Verdict& v) {
        if (!lo.empty() && lo[0].kind == Value::Kind::kInt && (lo[0].num & kCtEstablished) &&
            v.kind == VerdictKind::kAccept)
          state_ok = accept = state_seen = true;
      };
      if (m.kind == ExprKind::kSet) {
        for (const Expr& el : m.kids)
          if (el.kind == ExprKind::kMapElem && el.kids.size() == 2) {
            auto bits = StateBits(el.kids[0]);
            if (bits) check({Value::Int(*bits, 32)}, el.kids[1].verdict);
          }
      } else if (m.kind == ExprKind::kSetRef) {
        if (const Set* set = t.FindSet(m.name))
          for (const SetElem& el : set->elems) check(el.lo, el.verdict);
      }
    }
  }
  if (!accept) return Lets::kNo;
  if (state_ok) return Lets::kYes;
  if (unknown) return Lets::kUnknown;
  if (!has_match) return Lets::kYes;  // a catch-all accept
  (void)state_seen;
  return Lets::kNo;
}

bool IsSomeHook(Hook h) { return h == Hook::kInput || h == Hook::kForward || h == Hook::kOutput; }

// Same IPv4 or IPv6 packets: ip/ip6/inet pipelines overlap, legacy tables included.
bool SharesPipeline(Family a, Family b) {
  if (a == Family::kInet) return b == Family::kIp || b == Family::kIp6 || b == Family::kInet;
  if (b == Family::kInet) return a == Family::kIp || a == Family::kIp6;
  return a == b;
}

class DropPolicyWithoutEstablishedRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    const Ruleset& rs = ctx.ruleset();
    // Per table: does the tree of each chain let established packets through?
    auto tree_lets = [&](const Table& t, size_t root) -> Lets {
      std::unordered_map<std::string, size_t> idx;
      for (size_t i = 0; i < t.chains.size(); ++i) idx.emplace(t.chains[i].name, i);
      std::vector<bool> seen(t.chains.size(), false);
      std::vector<size_t> todo{root};
      seen[root] = true;
      Lets out = Lets::kNo;
      while (!todo.empty()) {
        size_t i = todo.back();
        todo.pop_back();
        for (const Rule& r : t.chains[i].rules) {
          Lets l = LetsEstablished(t, r);
          if (l == Lets::kYes) return Lets::kYes;
          if (l == Lets::kUnknown) out = Lets::kUnknown;
          for (const std::string& n : refs::JumpTargets(t, r))
            if (auto it = idx.find(n); it != idx.end() && !seen[it->second]) {
              seen[it->second] = true;
              todo.push_back(it->second);
            }
        }
      }
      return out;
    };
    std::vector<std::pair<const Table*, const Chain*>> lets_est;  // base chains that accept established
    std::vector<std::pair<const Table*, const Chain*>> drop_without;
    for (const Table& t : rs.tables) {
      if (t.family != Family::kIp && t.family != Family::kIp6 && t.family != Family::kInet) continue;
      for (size_t i = 0; i < t.chains.size(); ++i) {
        const Chain& c = t.chains[i];
        if (!c.base || c.type != ChainType::kFilter || !IsSomeHook(c.hook)) continue;
        Lets l = tree_lets(t, i);
        if (l == Lets::kYes) lets_est.push_back({&t, &c});
        else if (l == Lets::kNo && c.policy == Policy::kDrop) drop_without.push_back({&t, &c});
      }
    }
    for (auto [t, c] : drop_without) {
      std::string hook(ToString(c->hook));
      std::string who = c->hook == Hook::kInput    ? "replies to connections the host opened (DNS, updates)"
                        : c->hook == Hook::kOutput ? "the host's replies to connections it accepted"
                                                   : "replies of forwarded connections";
      ReportBuilder b = ctx.Report(ctx.At(*t, *c),
                                   "base chain '" + c->name + "' (" + hook + ", policy drop) has no rule that "
                                   "accepts established or related packets, itself or in a chain it jumps "
                                   "to: " + who + " die at its policy")
                            .Hint("add `ct state established,related accept` at the top of the chain (an "
                                  "accept of established traffic in another base chain does not help: accept "
                                  "ends only its own base chain)")
                            .Key(t->Id() + " " + c->name);
      for (auto [t2, c2] : lets_est)
        if (c2->hook == c->hook && SharesPipeline(t2->family, t->family) && t2 != t)
          b.Related(ctx.At(*t2, *c2), "accepts established packets on the same " + hook +
                                          " hook, but that accept is not final");
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeDropPolicyWithoutEstablishedRule() {
  return std::make_unique<DropPolicyWithoutEstablishedRule>();
}

}  // namespace nftc
