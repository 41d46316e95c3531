// NC5003 unreachable-chain: a regular chain that no base chain of its table reaches through
// jumps, gotos or verdict maps (jumps never leave their table): its rules never run.
#include <set>

#include "legacy_commands.h"
#include "nftc/lint_rule.h"
#include "nftc/owners.h"
#include "nftc/rule_context.h"
#include "refs.h"

namespace nftc {
namespace {

// Chains a program creates as hooks for optional features, reached only once the feature is
// used (ufw's rate limiting and logging levels, netavark's isolation modes, kube-proxy's
// services without endpoints): part of the program's skeleton, not leftovers.
struct Skeleton { const char* owner; const char* prefix; };
constexpr Skeleton kSkeleton[] = {
    {"ufw", "ufw-logging-"},        {"ufw", "ufw6-logging-"},        {"ufw", "ufw-skip-to-policy-"},
    {"ufw", "ufw6-skip-to-policy-"}, {"ufw", "ufw-user-limit"},       {"ufw", "ufw6-user-limit"},
    {"ufw", "ufw-user-logging-"},   {"ufw", "ufw6-user-logging-"},   {"netavark", "NETAVARK-ISOLATION-"},
    {"kube-proxy", "reject-chain"},
};

bool IsSkeleton(const Chain& c) {
  for (const Skeleton& s : kSkeleton)
    if (c.owner.owner == s.owner && c.name.rfind(s.prefix, 0) == 0) return true;
  return false;
}

// A named verdict map that is not constant and that rules use: programs add elements that
// jump or go to chains at run time (kube-proxy, Docker 29), so a chain no element names yet
// may be its next target.
bool HasMutableVerdictMap(const Table& t) {
  std::set<std::string> used;
  for (const Chain& c : t.chains)
    for (const Rule& r : c.rules)
      for (const Stmt& s : r.stmts)
        if (s.kind == StmtKind::kVmap && s.e.size() == 2 && s.e[1].kind == ExprKind::kSetRef)
          used.insert(s.e[1].name);
  for (const Set& m : t.sets)
    if (m.is_map && used.count(m.name) && !(m.flags & kSetConstant) && m.data.size() == 1 &&
        m.data[0] == DataType::kVerdict)
      return true;
  return false;
}

class UnreachableChainRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    // Programs with a rule or a native table: empty iptables chains of the others are
    // NC4004's leftovers (reported there, not twice).
    std::set<std::string> active;
    ctx.ForEachTable([&](const Table& t) {
      if (t.backend == Backend::kNftables && !IsGenericOwner(t.owner.owner)) active.insert(t.owner.owner);
    });
    ctx.ForEachRule([&](const Table&, const Chain& c, const Rule& r) {
      if (!IsGenericOwner(r.owner.owner)) active.insert(r.owner.owner);
      if (!IsGenericOwner(c.owner.owner)) active.insert(c.owner.owner);
    });
    ctx.ForEachTable([&](const Table& t) {
      std::vector<bool> reach = refs::ReachableChains(t);
      bool dynamic_targets = HasMutableVerdictMap(t);
      std::vector<std::vector<size_t>> from = refs::Referrers(t);
      for (size_t i = 0; i < t.chains.size(); ++i) {
        const Chain& c = t.chains[i];
        if (reach[i] || c.base) continue;
        if (from[i].empty() && c.rules.empty() && legacy_cmd::IsIptables(t) &&
            !IsGenericOwner(c.owner.owner) && !active.count(c.owner.owner))
          continue;  // NC4004
        // An empty chain runs nothing: only leftovers of programs that are gone matter (NC4004).
        if (c.rules.empty() || IsSkeleton(c)) continue;
        if (dynamic_targets && from[i].empty()) continue;
        std::string n = std::to_string(c.rules.size());
        std::string what = "regular chain '" + c.name + "' (" + n + (c.rules.size() == 1 ? " rule" : " rules") +
                           ") is never reached: ";
        if (from[i].empty()) {
          what += "no rule or verdict map of " + t.Id() + " jumps or goes to it";
        } else {
          std::string list;
          for (size_t j : from[i]) list += (list.empty() ? "" : ", ") + t.chains[j].name;
          what += "only chains that are unreachable themselves jump to it (" + list + ")";
        }
        ReportBuilder b = ctx.Report(ctx.At(t, c), what)
                              .Hint("a leftover of a program or an edit: delete it, or add the jump "
                                    "that was meant to use it (jumps never leave their table)")
                              .Key(t.Id() + " " + c.name);
        for (size_t j : from[i]) b.Related(ctx.At(t, t.chains[j]), "jumps to it, but is not reached either");
        if (from[i].empty()) {
          b.Related(ctx.At(t), "the table whose base chains never reach it");
          if (legacy_cmd::IsIptables(t)) b.Fix(legacy_cmd::RemoveChain(t, c));
          else
            b.Fix("nft 'flush chain " + std::string(ToString(t.family)) + " " + t.name + " " + c.name +
                  "; delete chain " + std::string(ToString(t.family)) + " " + t.name + " " + c.name + "'");
        }
      }
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeUnreachableChainRule() { return std::make_unique<UnreachableChainRule>(); }

}  // namespace nftc
