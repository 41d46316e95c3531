// NC2003 filter-after-nat-slot: a filter chain at prerouting or output that is meant to run
// first (a priority below `filter`, and a name or comment saying raw/first/early/pre-nat, or
// matches on the destination ports a DNAT of that hook rewrites) but sits at or after the NAT
// core's slot (-100): it sees packets after DNAT (netfilter-semantics.md §2, §3), so its
// matches on the original destination never fire.
#include <algorithm>
#include <cctype>
#include <set>

#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

bool IsDport(const Expr& e) {
  if (e.kind != ExprKind::kPayload) return false;
  Field f = e.field();
  return f == Field::kTcpDport || f == Field::kUdpDport || f == Field::kThDport;
}

void Ports(const Stmt& s, std::set<uint32_t>& out) {
  if (s.kind != StmtKind::kMatch || s.op == MatchOp::kNe || s.e.size() < 2 || !IsDport(s.e[0])) return;
  auto add = [&](const Expr& v) {
    if (v.kind == ExprKind::kValue && v.value.kind == Value::Kind::kInt) out.insert(static_cast<uint32_t>(v.value.num));
  };
  if (s.e[1].kind == ExprKind::kSet) for (const Expr& k : s.e[1].kids) add(k);
  else add(s.e[1]);
}

bool SaysFirst(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* w : {"raw", "first", "early", "prenat", "pre-nat", "before-nat", "before nat"})
    if (s.find(w) != std::string::npos) return true;
  return false;
}

class FilterAfterNatSlotRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    // Destination ports that a DNAT/redirect rewrites, per hook.
    std::set<uint32_t> dnat_ports[2];  // 0 prerouting, 1 output
    std::set<const Chain*> visited;
    ctx.ForEachRule([&](const Table& t, const Chain& c, const Rule& r) {
      bool dnat = false;
      for (const Stmt& s : r.stmts)
        if (s.kind == StmtKind::kNat && (s.sub == static_cast<uint8_t>(NatKind::kDnat) || s.sub == static_cast<uint8_t>(NatKind::kRedirect)))
          dnat = true;
      if (!dnat) return;
      std::set<uint32_t> p;
      for (const Stmt& s : r.stmts) Ports(s, p);
      // The chain may be shared by prerouting and output (Docker's nat-prerouting-and-output).
      for (int h = 0; h < 2; ++h) dnat_ports[h].insert(p.begin(), p.end());
    });
    ctx.ForEachBaseChain([&](const Table& t, const Chain& c) {
      if (t.family != Family::kIp && t.family != Family::kIp6 && t.family != Family::kInet) return;
      if (c.type != ChainType::kFilter || (c.hook != Hook::kPrerouting && c.hook != Hook::kOutput)) return;
      if (c.prio < -100 || c.prio >= 0) return;
      const std::set<uint32_t>& dp = dnat_ports[c.hook == Hook::kOutput];
      std::set<uint32_t> hit;
      for (const Rule& r : c.rules) {
        std::set<uint32_t> p;
        for (const Stmt& s : r.stmts) Ports(s, p);
        for (uint32_t x : p) if (dp.count(x)) hit.insert(x);
      }
      bool first = SaysFirst(c.name) || SaysFirst(c.comment) || SaysFirst(t.name);
      if (!first && hit.empty()) return;
      std::string why = first ? "its name or comment says it should run first" : "";
      if (!hit.empty()) {
        std::string ports;
        for (uint32_t x : hit) ports += (ports.empty() ? "" : ", ") + std::to_string(x);
        why += std::string(why.empty() ? "" : ", and ") + "it matches destination port(s) " + ports +
               " that a DNAT at this hook rewrites";
      }
      ctx.Report(ctx.At(t, c), "filter chain '" + c.name + "' at " + std::string(ToString(c.hook)) + " priority " +
                                   std::to_string(c.prio) + " runs at or after the NAT slot (-100), so it sees "
                                   "packets after DNAT; " + why)
          .Hint("give it a priority below -100 (e.g. raw -300 or mangle -150) so it runs before NAT")
          .Fix("nft add chain " + std::string(ToString(t.family)) + " " + t.name + " " + c.name +
               "_early '{ type filter hook " + std::string(ToString(c.hook)) +
               " priority mangle; }'  # move the rules there, then delete the old chain");
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeFilterAfterNatSlotRule() { return std::make_unique<FilterAfterNatSlotRule>(); }

}  // namespace nftc
