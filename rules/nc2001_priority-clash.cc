// NC2001 priority-clash: base chains of different owners or tables on the same pipeline,
// hook and priority. Their order is registration order (netfilter-semantics.md §1), which a
// reboot can change. The severity is earned by the interaction: error when the order changes
// a packet's fate (both translate the same connection: the first NAT binding wins, §3; one
// writes a mark or ct mark the other reads; notrack), warning when one can end a packet that
// the other would log, info when the chains are order-independent (said so in the message).
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "iface_names.h"
#include "nftc/hook_graph.h"
#include "nftc/lint_rule.h"
#include "nftc/rule_context.h"

namespace nftc {
namespace {

enum Eff : uint32_t { kNat = 1, kMasq = 2, kMarkW = 4, kMarkR = 8, kNotrack = 16, kDrop = 32, kReject = 64, kLog = 128, kQueue = 256 };

using Names = std::optional<std::set<std::string>>;  // nullopt: any

bool NameCompatible(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (!a.empty() && a.back() == '*') return b.rfind(a.substr(0, a.size() - 1), 0) == 0;
  if (!b.empty() && b.back() == '*') return a.rfind(b.substr(0, b.size() - 1), 0) == 0;
  return false;
}

// What a packet must look like to reach an effect: interfaces and destination ports.
struct Footprint {
  Names iif, oif;
  std::optional<std::set<uint32_t>> dport;
  bool empty = false;

  static Names Meet(const Names& a, const Names& b, bool& empty) {
    if (!a) return b;
    if (!b) return a;
    std::set<std::string> out;
    for (const auto& x : *a)
      for (const auto& y : *b)
        if (NameCompatible(x, y)) out.insert(x.back() == '*' ? y : x);
    if (out.empty()) empty = true;
    return out;
  }
  Footprint Meet(const Footprint& o) const {
    Footprint r;
    r.empty = empty || o.empty;
    r.iif = Meet(iif, o.iif, r.empty);
    r.oif = Meet(oif, o.oif, r.empty);
    if (!dport) r.dport = o.dport;
    else if (!o.dport) r.dport = dport;
    else {
      std::set<uint32_t> s;
      std::set_intersection(dport->begin(), dport->end(), o.dport->begin(), o.dport->end(), std::inserter(s, s.end()));
      if (s.empty()) r.empty = true;
      r.dport = s;
    }
    return r;
  }
};

struct Effect {
  uint32_t kind;
  Footprint fp;
};

bool IsDport(const Expr& e) {
  if (e.kind != ExprKind::kPayload) return false;
  Field f = e.field();
  return f == Field::kTcpDport || f == Field::kUdpDport || f == Field::kThDport || f == Field::kSctpDport;
}

bool IsMark(const Expr& e) {
  if (e.kind == ExprKind::kBinop && !e.kids.empty()) return IsMark(e.kids[0]);
  return (e.kind == ExprKind::kMeta && e.meta() == MetaKey::kMark) || (e.kind == ExprKind::kCt && e.ct() == CtKey::kMark);
}

// The rule's own constraints (positive interface and port matches).
Footprint RuleFootprint(const Table& t, const Rule& r) {
  Footprint fp;
  for (const Stmt& s : r.stmts) {
    if (s.kind != StmtKind::kMatch || s.op == MatchOp::kNe || s.e.size() < 2) continue;
    Footprint one;
    for (bool in : {true, false}) {
      if (!iface::IsIfKey(s.e[0], in)) continue;
      std::set<std::string> n;
      iface::StmtNames(t, s, in, n);
      if (!n.empty()) (in ? one.iif : one.oif) = n;
    }
    if (IsDport(s.e[0]) && (s.op == MatchOp::kImplicit || s.op == MatchOp::kEq || s.op == MatchOp::kIn)) {
      std::set<uint32_t> ports;
      bool ok = true;
      auto add = [&](const Expr& v) {
        if (v.kind == ExprKind::kValue && v.value.kind == Value::Kind::kInt) ports.insert(static_cast<uint32_t>(v.value.num));
        else ok = false;
      };
      if (s.e[1].kind == ExprKind::kSet) for (const Expr& k : s.e[1].kids) add(k);
      else add(s.e[1]);
      if (ok && !ports.empty()) one.dport = ports;
    }
    fp = fp.Meet(one);
  }
  return fp;
}

uint32_t XtEffect(const XtInfo& x) {
  const std::string& n = x.name;
  if (n == "DNAT" || n == "SNAT" || n == "REDIRECT" || n == "NETMAP") return kNat;
  if (n == "MASQUERADE") return kMasq;
  if (n == "MARK" || n == "CONNMARK") return x.type == XtType::kTarget ? kMarkW : kMarkR;
  if (n == "mark" || n == "connmark") return kMarkR;
  if (n == "LOG" || n == "NFLOG") return kLog;
  if (n == "REJECT") return kReject;
  if (n == "CT" || n == "NOTRACK") return kNotrack;
  if (n == "NFQUEUE") return kQueue;
  return 0;
}

void Walk(const Table& t, const Chain& c, const Footprint& path, int depth, std::vector<Effect>& out) {
  if (depth > 16 || path.empty) return;
  for (const Rule& r : c.rules) {
    Footprint fp = path.Meet(RuleFootprint(t, r));
    if (fp.empty) continue;
    for (const Stmt& s : r.stmts) {
      switch (s.kind) {
        case StmtKind::kNat: out.push_back({s.sub == static_cast<uint8_t>(NatKind::kMasquerade) ? kMasq : kNat, fp}); break;
        case StmtKind::kMangle: if (!s.e.empty() && IsMark(s.e[0])) out.push_back({kMarkW, fp}); break;
        case StmtKind::kMatch: if (!s.e.empty() && IsMark(s.e[0])) out.push_back({kMarkR, fp}); break;
        case StmtKind::kNotrack: out.push_back({kNotrack, fp}); break;
        case StmtKind::kReject: out.push_back({kReject, fp}); break;
        case StmtKind::kLog: out.push_back({kLog, fp}); break;
        case StmtKind::kXt: if (s.xt) if (uint32_t e = XtEffect(*s.xt)) out.push_back({e, fp}); break;
        case StmtKind::kVerdict:
          if (s.verdict.kind == VerdictKind::kDrop) out.push_back({kDrop, fp});
          if (s.verdict.kind == VerdictKind::kQueue) out.push_back({kQueue, fp});
          if (s.verdict.kind == VerdictKind::kJump || s.verdict.kind == VerdictKind::kGoto)
            if (const Chain* to = t.FindChain(s.verdict.chain)) Walk(t, *to, fp, depth + 1, out);
          break;
        case StmtKind::kVmap: {
          if (s.e.size() < 2) break;
          bool in = iface::IsIfKey(s.e[0], true), outk = iface::IsIfKey(s.e[0], false);
          auto visit = [&](const std::string& key, const Verdict& v) {
            if (v.kind == VerdictKind::kDrop) out.push_back({kDrop, fp});
            if (v.kind != VerdictKind::kJump && v.kind != VerdictKind::kGoto) return;
            const Chain* to = t.FindChain(v.chain);
            if (!to) return;
            Footprint k;
            if (in && !key.empty()) k.iif = std::set<std::string>{key};
            if (outk && !key.empty()) k.oif = std::set<std::string>{key};
            Walk(t, *to, fp.Meet(k), depth + 1, out);
          };
          const Expr& m = s.e[1];
          if (m.kind == ExprKind::kSetRef) {
            if (const Set* set = t.FindSet(m.name))
              for (const SetElem& el : set->elems)
                visit(!el.lo.empty() && el.lo[0].kind == Value::Kind::kString ? el.lo[0].str : "", el.verdict);
          } else {
            for (const Expr& el : m.kids)
              if (el.kind == ExprKind::kMapElem && el.kids.size() == 2) {
                std::string key = el.kids[0].kind == ExprKind::kValue && el.kids[0].value.kind == Value::Kind::kString
                                      ? el.kids[0].value.str : "";
                visit(key, el.kids[1].verdict);
              }
          }
          break;
        }
        default: break;
      }
    }
  }
  if (c.base && c.policy == Policy::kDrop) out.push_back({kDrop, path});
}

// Equal effects (the same kind reached with the same footprint, like one `oifname "veth*"
// drop` repeated in many chains) count once.
void Dedupe(std::vector<Effect>& v) {
  auto key = [](const Effect& e) { return std::tie(e.kind, e.fp.iif, e.fp.oif, e.fp.dport, e.fp.empty); };
  std::sort(v.begin(), v.end(), [&](const Effect& a, const Effect& b) { return key(a) < key(b); });
  v.erase(std::unique(v.begin(), v.end(), [&](const Effect& a, const Effect& b) { return key(a) == key(b); }), v.end());
}

std::string Name(const GraphEntry& e) {
  return std::string(ToString(e.table->family)) + " " + e.table->name +
         (e.table->backend == Backend::kIptablesLegacy ? " (legacy)" : "") + " " + e.chain->name;
}

class PriorityClashRule : public LintRule {
 public:
  void Check(RuleContext& ctx) const override {
    HookGraph g = HookGraph::Build(ctx.ruleset());
    std::set<std::vector<const Chain*>> seen;
    for (const PriorityClash& pc : g.Clashes()) {
      std::vector<const GraphEntry*> es = pc.chains;
      std::sort(es.begin(), es.end(), [](const GraphEntry* a, const GraphEntry* b) {
        auto ka = std::make_tuple(static_cast<int>(a->table->backend), Name(*a));
        auto kb = std::make_tuple(static_cast<int>(b->table->backend), Name(*b));
        return ka < kb;
      });
      std::vector<const Chain*> key;
      for (auto* e : es) key.push_back(e->chain);
      if (!seen.insert(key).second) continue;  // inet chains: once, not per pipeline

      std::vector<std::vector<Effect>> effects(es.size());
      for (size_t i = 0; i < es.size(); ++i) Walk(*es[i]->table, *es[i]->chain, Footprint{}, 0, effects[i]);
      for (auto& ef : effects) Dedupe(ef);
      // One pair of effects with overlapping footprints settles each kind of interaction;
      // only effects of the kinds involved are compared, and a settled kind is not looked
      // for again (issue 7: two copies of a 100k-rule table at one priority made this a
      // |effects|^2 loop).
      auto of = [&](size_t i, uint32_t mask) {
        std::vector<const Footprint*> v;
        for (const Effect& e : effects[i])
          if (e.kind & mask) v.push_back(&e.fp);
        return v;
      };
      auto overlap = [](const std::vector<const Footprint*>& x, const std::vector<const Footprint*>& y) {
        for (const Footprint* a : x)
          for (const Footprint* b : y)
            if (!a->Meet(*b).empty) return true;
        return false;
      };
      constexpr uint32_t kAny = ~uint32_t{0};
      std::set<std::string> errors, warnings;
      bool seen_nat = false, seen_mark = false, seen_notrack = false, seen_log = false;
      for (size_t i = 0; i < es.size(); ++i)
        for (size_t j = 0; j < es.size(); ++j) {
          if (i == j) continue;
          if (!seen_nat && i < j &&
              (overlap(of(i, kNat), of(j, kNat | kMasq)) || overlap(of(i, kMasq), of(j, kNat)))) {
            seen_nat = true;
            errors.insert("both translate the same connections (the first NAT binding wins)");
          }
          if (!seen_mark && overlap(of(i, kMarkW), of(j, kMarkR | kMarkW))) {
            seen_mark = true;
            errors.insert("one writes a mark that the other reads or writes");
          }
          if (!seen_notrack && overlap(of(i, kNotrack), of(j, kAny))) {
            seen_notrack = true;
            errors.insert("one sets notrack on traffic the other handles");
          }
          if (!seen_log && overlap(of(i, kDrop | kReject | kQueue), of(j, kLog))) {
            seen_log = true;
            warnings.insert("one can end packets that the other logs, so logs and counters depend on the order");
          }
        }
      std::string chains;
      for (size_t i = 0; i < es.size(); ++i)
        chains += (i ? ", " : "") + Name(*es[i]) + " (" + std::string(es[i]->Owner()) + ")";
      std::string where = std::string(ToString(pc.hook->pipeline)) + " " + std::string(ToString(pc.hook->hook)) +
                          (pc.tie->in_nat_slot ? " NAT slot" : "") + " priority " + std::to_string(pc.tie->prio);
      Severity sev = Severity::kInfo;
      std::string why;
      if (!errors.empty()) { sev = Severity::kError; for (auto& e : errors) why += (why.empty() ? "" : "; ") + e; }
      else if (!warnings.empty()) { sev = Severity::kWarning; for (auto& w : warnings) why += (why.empty() ? "" : "; ") + w; }
      else why = "order-independent: no packet's verdict, ICMP error, NAT binding or mark depends on which runs "
                 "first (they decide disjoint traffic, or translate it the same way); only counters may differ";
      auto rb = ctx.Report(ctx.At(*es[0]->table, *es[0]->chain),
                           "chains " + chains + " share " + where + ", so they run in registration order: " + why)
                    .Key("priority clash " + where)
                    .Hint(sev == Severity::kInfo
                              ? "nothing to fix today; give the chains distinct priorities if one of them must "
                                "see packets first"
                              : "give the chains distinct priorities so the order is fixed (e.g. priority filter - 1 "
                                "for the one that must run first)");
      if (ctx.severity() == ctx.rule().severity) rb.Level(sev);
      for (size_t i = 1; i < es.size(); ++i)
        rb.Related(ctx.At(*es[i]->table, *es[i]->chain), "same hook and priority (" + std::string(es[i]->Owner()) + ")");
    }
  }
};

}  // namespace

std::unique_ptr<LintRule> MakePriorityClashRule() { return std::make_unique<PriorityClashRule>(); }

}  // namespace nftc
