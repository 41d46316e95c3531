// Chain walking: rules in order, verdicts, jumps, gotos, returns, policies.
#include "sim/walk.h"

#include <algorithm>
#include <cstdlib>

#include "model/rule_print.h"
#include "sim/expr_eval.h"
#include "sim/rule_skip.h"
#include "sim/nat.h"
#include "sim/set_lookup.h"

namespace nftc::sim {
namespace {

const Table& TableOf(const Ctx& c) { return *c.cur().table; }

std::string OwnerOf(const Table& t, const Chain& ch, const Rule* r) {
  if (r && r->owner.owner != "unknown" && !r->owner.owner.empty()) return r->owner.owner;
  if (ch.owner.owner != "unknown" && !ch.owner.owner.empty()) return ch.owner.owner;
  return t.owner.owner.empty() ? "unknown" : t.owner.owner;
}

void AddStep(Ctx& c, const Chain& ch, const Rule* r, const std::string& verdict) {
  const HookEntry& h = c.cur();
  TraceStep s;
  s.hook = c.hook;
  s.family = h.table->family;
  s.table = h.table->name;
  s.chain = ch.name;
  s.base_chain = h.chain->name;
  if (r) {
    s.handle = r->handle;
    s.rule = h.legacy && !r->ipt_line.empty() ? r->ipt_line.str() : RuleToString(*r);
  }
  s.verdict = verdict;
  s.legacy = h.legacy;
  s.tie = h.tie;
  s.owner = OwnerOf(*h.table, ch, r);
  s.table_ref = h.table;
  s.chain_ref = &ch;
  s.rule_ref = r;
  c.steps.push_back(std::move(s));
}

void ResetRule(Ctx& c) {
  c.stmt = 0;
  c.rstate = RuleState::kRunning;
  c.rverdict = Verdict{};
  c.rreject = false;
  c.rbinds = false;
}

void EndBaseChain(Ctx& c) {
  c.stack.clear();
  ++c.entry;
  ResetRule(c);
}

const Chain* FindChain(const Table& t, const std::string& n) {
  for (const Chain& ch : t.chains)
    if (ch.name == n) return &ch;
  return nullptr;
}

bool NatManipDst(Hook h) { return h == Hook::kPrerouting || h == Hook::kOutput; }

// Matches the iptables translation leaves unknown but whose answer for the simulated
// packet is clear: `-m rt` needs an IPv6 routing header (the simulated packet has no
// extension headers); `-m recent --update/--rcheck/--remove` needs an earlier hit of the
// same source, which only a `--set` earlier on this path gives (and `--hitcount N > 1`
// needs more than the one packet). Sets rstate and returns true when decided.
bool KnownForFirstPacket(Ctx& c, const Stmt& s) {
  const std::string& d = s.json;
  if (d.find(" ! ") != std::string::npos || d.rfind("! ", 0) == 0) return false;
  if (s.text == "match rt") {
    c.rstate = RuleState::kNoMatch;
    return true;
  }
  if (s.text == "match recent") {
    bool hit = c.memo.count("recent:set") && c.memo["recent:set"];
    auto hc = d.find("--hitcount ");
    if (hc != std::string::npos && std::atoi(d.c_str() + hc + 11) > 1) hit = false;
    if (!hit) c.rstate = RuleState::kNoMatch;
    return true;
  }
  return false;
}

void EvalStmt(World& w, Ctx& c, const Stmt& s, std::vector<Ctx>& extra) {
  Eval e{w, c, extra, TableOf(c), s};
  switch (s.kind) {
    case StmtKind::kMatch: EvalMatch(e); return;
    case StmtKind::kVerdict:
      c.rstate = RuleState::kVerdict;
      c.rverdict = s.verdict;
      return;
    case StmtKind::kVmap: {
      if (s.e.size() != 2) return;
      std::string cond = StmtToString(s);
      bool ok = Lookup(e, s.e[0], s.e[1], cond, [&](Ctx& p, const LElem* el) {
        if (!el || el->verdict.kind == VerdictKind::kNone) {
          p.rstate = RuleState::kNoMatch;  // lookup miss: NFT_BREAK
          return;
        }
        p.rstate = RuleState::kVerdict;
        p.rverdict = el->verdict;
      });
      if (!ok) SplitOpaque(e, cond, "verdict depends on " + cond);
      return;
    }
    case StmtKind::kNat: EvalNat(e); return;
    case StmtKind::kReject:
      c.rstate = RuleState::kVerdict;
      c.rverdict = Verdict{VerdictKind::kDrop, ""};
      c.rreject = true;
      return;
    case StmtKind::kMangle: EvalMangle(e); return;
    case StmtKind::kLimit:
      // The first packet finds a full token bucket: `limit rate` passes, `over` does not.
      if (s.sub) c.rstate = RuleState::kNoMatch;
      return;
    case StmtKind::kNotrack: EvalNotrack(e); return;
    case StmtKind::kXt:
      if (s.xt && !s.xt->has_args) EvalXtNoArgs(e);
      return;  // with arguments: the translated statements follow
    case StmtKind::kUnknown: {
      if (KnownForFirstPacket(c, s)) return;
      std::string key = "stmt:" + std::to_string(reinterpret_cast<uintptr_t>(&s));
      SplitOpaque(e, key, "verdict depends on unknown expression " + (s.text.empty() ? s.json : s.text));
      return;
    }
    case StmtKind::kOther:
      if (s.text == "recent --set") c.memo["recent:set"] = true;
      return;
    case StmtKind::kCounter: case StmtKind::kLog: case StmtKind::kQuota: case StmtKind::kFlowAdd:
    case StmtKind::kSetUpdate:
      return;
  }
}

void ApplyVerdict(World& w, Ctx& c, const Chain& ch, const Rule& r) {
  Verdict v = c.rverdict;
  Frame& fr = c.stack.back();
  switch (v.kind) {
    case VerdictKind::kAccept: {
      AddStep(c, ch, &r, "accept");
      if (c.rbinds && c.cur().nat) (NatManipDst(c.hook) ? c.nat_done_dst : c.nat_done_src) = true;
      EndBaseChain(c);
      return;
    }
    case VerdictKind::kDrop:
      AddStep(c, ch, &r, "drop");
      Finish(c, c.rreject ? "reject" : "drop");
      return;
    case VerdictKind::kQueue:
      AddStep(c, ch, &r, "queue");
      Finish(c, "queue");
      return;
    case VerdictKind::kReturn:
      AddStep(c, ch, &r, "return");
      if (c.stack.size() == 1) fr.rule = ch.rules.size();  // return in a base chain: policy
      else c.stack.pop_back();
      ResetRule(c);
      return;
    case VerdictKind::kJump:
    case VerdictKind::kGoto: {
      bool jump = v.kind == VerdictKind::kJump;
      AddStep(c, ch, &r, std::string(jump ? "jump " : "goto ") + v.chain);
      const Chain* target = FindChain(TableOf(c), v.chain);
      if (!target) {
        c.notes.push_back("jump to missing chain " + v.chain + ": ignored");
        ++fr.rule;
      } else if (jump) {
        ++fr.rule;
        c.stack.push_back(Frame{target, 0});
      } else {
        fr = Frame{target, 0};
      }
      ResetRule(c);
      return;
    }
    case VerdictKind::kContinue:
    case VerdictKind::kNone:
      AddStep(c, ch, &r, "continue");
      ++fr.rule;
      ResetRule(c);
      return;
  }
}

// Starts the next base chain of the hook, skipping NAT chains that do not run.
void StartChain(World& w, Ctx& c, std::vector<Ctx>& extra) {
  const HookEntry& h = c.cur();
  if (h.nat && !w.plan->conntrack[c.v6 ? 1 : 0]) {
    // No rule of this family needs conntrack: no entry, and the NAT core runs no nat chain.
    std::string note = std::string("nat chains do not run: no rule needs ") + (c.v6 ? "IPv6" : "IPv4") +
                       " conntrack, so the kernel does not track these packets";
    if (std::find(c.notes.begin(), c.notes.end(), note) == c.notes.end()) c.notes.push_back(note);
    ++c.entry;
    return;
  }
  if (h.nat) {
    bool done = NatManipDst(c.hook) ? c.nat_done_dst : c.nat_done_src;
    const NumSet& st = c.fd(F::kCtState).set;
    if (done || !st.Contains(kCtNew)) {
      ++c.entry;
      return;
    }
    if (!st.IsSingle()) {
      // NAT chains see only the first packet of a connection: fork on ct state new.
      Ctx other = c;
      other.fd(F::kCtState).set = st.Subtract(NumSet::Single(kCtNew));
      other.conds.push_back("not (ct state new)");
      ++other.entry;
      extra.push_back(std::move(other));
      c.fd(F::kCtState).set = NumSet::Single(kCtNew);
      c.conds.push_back("ct state new");
    }
  }
  c.stack.push_back(Frame{h.chain, 0});
  ResetRule(c);
}

}  // namespace

void Finish(Ctx& c, const std::string& verdict) {
  c.done = true;
  c.out.verdict = verdict;
  if (verdict != "accept") c.out.final_hook = c.hook;
}

void RunStep(World& w, Ctx& c, std::vector<Ctx>& extra) {
  if (c.stack.empty()) {
    if (c.entries == nullptr || c.entry >= c.entries->size()) {
      // NAT core: without a binding the connection gets a null binding for this manip.
      if (c.hook == Hook::kPrerouting || c.hook == Hook::kOutput) c.nat_done_dst = true;
      if (c.hook == Hook::kInput || c.hook == Hook::kPostrouting) c.nat_done_src = true;
      NextStage(w, c, extra);
      return;
    }
    StartChain(w, c, extra);
    return;
  }
  if (c.budget == 0) {
    c.notes.push_back("evaluation budget exhausted (jump loop?)");
    Finish(c, "depends");
    return;
  }
  --c.budget;
  Frame& fr = c.stack.back();
  const Chain& ch = *fr.chain;
  if (fr.rule >= ch.rules.size()) {
    if (c.stack.size() > 1) {  // implicit return: no trace line
      c.stack.pop_back();
      ResetRule(c);
      return;
    }
    const Chain& base = *c.cur().chain;
    bool drop = base.policy == Policy::kDrop;
    AddStep(c, base, nullptr, drop ? "drop" : "accept");
    if (drop) Finish(c, "drop");
    else EndBaseChain(c);
    return;
  }
  const Rule& r = ch.rules[fr.rule];
  if (c.rstate == RuleState::kRunning && c.stmt == 0 && RuleCannotMatch(w, c, TableOf(c), r))
    c.rstate = RuleState::kNoMatch;
  if (c.rstate == RuleState::kRunning && c.stmt < r.stmts.size()) {
    const Stmt& s = r.stmts[c.stmt++];
    EvalStmt(w, c, s, extra);
    return;
  }
  if (c.rstate == RuleState::kNoMatch) {
    ++fr.rule;
    ResetRule(c);
    return;
  }
  if (c.rstate == RuleState::kRunning) c.rverdict = Verdict{VerdictKind::kContinue, ""};
  ApplyVerdict(w, c, ch, r);
}

}  // namespace nftc::sim
