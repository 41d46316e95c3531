// THE list of lint rules, in ID order. The only place where IDs are allocated.
//
// ID ranges by phase:
//   NC1xxx  input and loader: what could not be understood (no silent "clean")
//   NC2xxx  hook/priority graph: clashes, wrong side of a kernel fixed point
//   NC3xxx  packet path and verdict interplay (simulator)
//   NC4xxx  tool-specific coexistence: legacy leftovers, stale chains, next-boot drift
// Numbers are never reused: a retired rule stays here as RuleGroup::kRemoved.
#include <algorithm>
#include <cctype>

#include "nftc/lint_rule.h"

namespace nftc {

// Factories, one per rule file (rules/ncNNNN_slug.cc).
std::unique_ptr<LintRule> MakeUnknownExpressionRule();
std::unique_ptr<LintRule> MakeXtWithoutArgumentsRule();
std::unique_ptr<LintRule> MakeIptablesMergeMismatchRule();
std::unique_ptr<LintRule> MakeLoadDegradationRule();
std::unique_ptr<LintRule> MakePriorityClashRule();
std::unique_ptr<LintRule> MakeCtStateBeforeConntrackRule();
std::unique_ptr<LintRule> MakeFilterAfterNatSlotRule();
std::unique_ptr<LintRule> MakeTooBroadForwardingRule();
std::unique_ptr<LintRule> MakeLegacyRulesBesideNftablesRule();
std::unique_ptr<LintRule> MakeStaleIptablesChainsRule();
std::unique_ptr<LintRule> MakeIptablesForwardDropCutsForwardersRule();
std::unique_ptr<LintRule> MakeEmptyLeftoverChainsRule();
// rules5 (issue 5)
std::unique_ptr<LintRule> MakePublishedPortBypassesHostFirewallRule();
std::unique_ptr<LintRule> MakeBanMissesPublishedPortRule();
std::unique_ptr<LintRule> MakeAcceptNotFinalRule();
std::unique_ptr<LintRule> MakeGuestDhcpDnsBlockedRule();
std::unique_ptr<LintRule> MakeJumpToMissingChainRule();
std::unique_ptr<LintRule> MakeUndefinedSetRule();
// drift (issue 6)
std::unique_ptr<LintRule> MakeNextBootForwardingDriftRule();
std::unique_ptr<LintRule> MakeNextBootBackendDriftRule();
// rules6 (issue 5)
std::unique_ptr<LintRule> MakeBridgedTrafficHitsIpForwardRule();
std::unique_ptr<LintRule> MakeFlowtableBypassesChainsRule();
std::unique_ptr<LintRule> MakeShadowedRuleRule();
std::unique_ptr<LintRule> MakeUnreachableChainRule();
std::unique_ptr<LintRule> MakeUnusedSetRule();
std::unique_ptr<LintRule> MakeDropPolicyWithoutEstablishedRule();

const std::vector<RuleEntry>& Registry() {
  using S = Severity;
  using G = RuleGroup;
  static const std::vector<RuleEntry> kRules = {
      {"NC1001", "unknown-expression", S::kWarning, G::kStable, MakeUnknownExpressionRule},
      {"NC1002", "xt-without-arguments", S::kWarning, G::kStable, MakeXtWithoutArgumentsRule},
      {"NC1003", "iptables-merge-mismatch", S::kError, G::kStable, MakeIptablesMergeMismatchRule},
      {"NC1004", "load-degradation", S::kWarning, G::kStable, MakeLoadDegradationRule},
      {"NC2001", "priority-clash", S::kWarning, G::kStable, MakePriorityClashRule},
      {"NC2002", "ct-state-before-conntrack", S::kError, G::kStable, MakeCtStateBeforeConntrackRule},
      {"NC2003", "filter-after-nat-slot", S::kWarning, G::kStable, MakeFilterAfterNatSlotRule},
      {"NC3001", "too-broad-forwarding", S::kWarning, G::kStable, MakeTooBroadForwardingRule},
      {"NC3002", "published-port-bypasses-host-firewall", S::kWarning, G::kStable,
       MakePublishedPortBypassesHostFirewallRule},
      {"NC3003", "ban-misses-published-port", S::kWarning, G::kStable, MakeBanMissesPublishedPortRule},
      {"NC3004", "accept-not-final", S::kError, G::kStable, MakeAcceptNotFinalRule},
      {"NC3005", "bridged-traffic-hits-ip-forward", S::kWarning, G::kStable, MakeBridgedTrafficHitsIpForwardRule},
      {"NC3006", "flowtable-bypasses-chains", S::kWarning, G::kStable, MakeFlowtableBypassesChainsRule},
      {"NC3007", "guest-dhcp-dns-blocked", S::kError, G::kStable, MakeGuestDhcpDnsBlockedRule},
      {"NC4001", "legacy-rules-beside-nftables", S::kError, G::kStable, MakeLegacyRulesBesideNftablesRule},
      {"NC4002", "stale-iptables-chains", S::kWarning, G::kStable, MakeStaleIptablesChainsRule},
      {"NC4003", "iptables-forward-drop-cuts-forwarders", S::kError, G::kStable, MakeIptablesForwardDropCutsForwardersRule},
      {"NC4004", "empty-leftover-chains", S::kInfo, G::kStable, MakeEmptyLeftoverChainsRule},
      {"NC4005", "next-boot-forwarding-drift", S::kWarning, G::kStable, MakeNextBootForwardingDriftRule},
      {"NC4006", "next-boot-backend-drift", S::kWarning, G::kStable, MakeNextBootBackendDriftRule},
      {"NC5001", "shadowed-rule", S::kInfo, G::kStable, MakeShadowedRuleRule},
      {"NC5002", "jump-to-missing-chain", S::kError, G::kStable, MakeJumpToMissingChainRule},
      {"NC5003", "unreachable-chain", S::kInfo, G::kStable, MakeUnreachableChainRule},
      {"NC5004", "undefined-set", S::kError, G::kStable, MakeUndefinedSetRule},
      {"NC5005", "unused-set", S::kInfo, G::kStable, MakeUnusedSetRule},
      {"NC5006", "drop-policy-without-established", S::kWarning, G::kStable, MakeDropPolicyWithoutEstablishedRule},
  };
  return kRules;
}

const RuleEntry* FindRule(std::string_view id_or_slug) {
  for (const RuleEntry& r : Registry()) {
    if (r.slug == id_or_slug) return &r;
    if (r.id.size() == id_or_slug.size() &&
        std::equal(r.id.begin(), r.id.end(), id_or_slug.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) ==
                 std::toupper(static_cast<unsigned char>(b));
        }))
      return &r;
  }
  return nullptr;
}

std::string_view ToString(RuleGroup g) {
  switch (g) {
    case RuleGroup::kStable: return "stable";
    case RuleGroup::kPreview: return "preview";
    case RuleGroup::kRemoved: return "removed";
  }
  return "?";
}

}  // namespace nftc
