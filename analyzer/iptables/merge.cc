#include "iptables/merge.h"

#include "iptables/translate.h"

namespace nftc::ipt {

namespace {

LoadNote Note(LoadNote::Kind kind, std::string msg, const SourceRef& where, Family f,
              const std::string& table, const std::string& chain = "", uint64_t handle = 0) {
  LoadNote n;
  n.kind = kind;
  n.message = std::move(msg);
  n.where = where;
  n.family = std::string(ToString(f));
  n.table = table;
  n.chain = chain;
  n.handle = handle;
  return n;
}

Table* FindNftTable(Ruleset& rs, Family f, const std::string& name) {
  Table* fallback = nullptr;
  for (auto& t : rs.tables) {
    if (t.family != f || t.name != name || t.backend == Backend::kIptablesLegacy) continue;
    if (t.backend == Backend::kIptablesNft) return &t;
    if (!fallback) fallback = &t;
  }
  return fallback;
}

Chain* FindChain(Table& t, const std::string& name) {
  for (auto& c : t.chains)
    if (c.name == name) return &c;
  return nullptr;
}

/// The statement kinds a native nft translation of a target extension would use.
bool NativeFor(std::string_view target, StmtKind k) {
  if (target == "DNAT" || target == "SNAT" || target == "MASQUERADE" || target == "REDIRECT")
    return k == StmtKind::kNat;
  if (target == "REJECT") return k == StmtKind::kReject;
  if (target == "LOG" || target == "NFLOG") return k == StmtKind::kLog;
  if (target == "MARK" || target == "CONNMARK" || target == "TRACE") return k == StmtKind::kMangle;
  if (target == "NOTRACK" || target == "CT") return k == StmtKind::kNotrack;
  return false;
}

/// Why an nft rule and a save rule do not belong together, or "" when they plausibly do.
std::string Mismatch(const Rule& r, const SaveRule& sr, const SaveTable& st) {
  // Verdict side.
  const Stmt* verdict = nullptr;
  const Stmt* xt_target = nullptr;
  bool native = false;
  for (const auto& s : r.stmts) {
    if (s.kind == StmtKind::kVerdict) verdict = &s;
    if (s.kind == StmtKind::kXt && s.xt && s.xt->type == XtType::kTarget) xt_target = &s;
    if (NativeFor(sr.target.name, s.kind)) native = true;
    // nft's native "queue" statement (the JSON loader keeps it as unknown "queue").
    if ((sr.target.name == "QUEUE" || sr.target.name == "NFQUEUE") &&
        ((s.kind == StmtKind::kVerdict && s.verdict.kind == VerdictKind::kQueue) ||
         (s.kind == StmtKind::kUnknown && s.text == "queue")))
      native = true;
  }
  const Target& t = sr.target;
  std::string want;
  if (t.kind == Target::Kind::kNone) {
    if (verdict || xt_target) return "save rule has no target, nft rule has one";
  } else if (t.kind == Target::Kind::kGoto || st.FindChain(t.name)) {
    VerdictKind k = t.kind == Target::Kind::kGoto ? VerdictKind::kGoto : VerdictKind::kJump;
    if (!verdict || verdict->verdict.kind != k || verdict->verdict.chain != t.name)
      return "save rule " + std::string(k == VerdictKind::kGoto ? "goes to " : "jumps to ") + t.name +
             ", nft rule does not";
  } else if ((t.name == "QUEUE" || t.name == "NFQUEUE") && native) {
  } else if (IsBuiltinVerdict(t.name)) {
    VerdictKind k = t.name == "ACCEPT" ? VerdictKind::kAccept
                    : t.name == "DROP" ? VerdictKind::kDrop
                    : t.name == "RETURN" ? VerdictKind::kReturn
                                         : VerdictKind::kQueue;
    if (!verdict || verdict->verdict.kind != k) return "save rule's target " + t.name + " differs from the nft verdict";
  } else if (xt_target) {
    if (xt_target->xt->name != t.name)
      return "save rule's target " + t.name + " differs from nft's xt target " + xt_target->xt->name;
  } else if (!native) {
    return "save rule's target " + t.name + " not found in the nft rule";
  }
  // Every xt match must be one of the rule's modules, in order.
  size_t next = 0;
  for (const auto& s : r.stmts) {
    if (s.kind != StmtKind::kXt || !s.xt || s.xt->type != XtType::kMatch) continue;
    while (next < sr.modules.size() && sr.modules[next].name != s.xt->name) ++next;
    if (next == sr.modules.size()) return "nft's xt match " + s.xt->name + " is not among the save rule's modules";
    ++next;
  }
  return "";
}

/// Fills the xt statements of one rule and inserts their translations.
void MergeRule(Rule& r, const SaveRule& sr, const RuleCtx& ctx, Family f, Ruleset& rs,
               const std::string& table, const std::string& chain) {
  r.ipt_line = sr.text;
  std::vector<Stmt> out;
  out.reserve(r.stmts.size() + 4);
  std::vector<bool> used(sr.modules.size(), false);
  std::vector<std::string> unknown;
  for (auto& s : r.stmts) {
    bool is_xt = s.kind == StmtKind::kXt && s.xt;
    out.push_back(std::move(s));
    if (!is_xt) continue;
    XtInfo& xt = *out.back().xt;
    Translation tr;
    if (xt.type == XtType::kMatch) {
      size_t j = 0;
      while (j < sr.modules.size() && (used[j] || sr.modules[j].name != xt.name)) ++j;
      if (j == sr.modules.size()) continue;
      used[j] = true;
      xt.args = sr.modules[j].args;
      TranslateModule(sr.modules[j], ctx, tr);
    } else if (xt.type == XtType::kTarget && sr.target.name == xt.name) {
      xt.args = sr.target.args;
      TranslateTarget(sr.target, ctx, tr);
    } else {
      continue;
    }
    xt.has_args = true;
    if (r.comment.empty() && !tr.comment.empty()) r.comment = tr.comment;
    unknown.insert(unknown.end(), tr.unknown.begin(), tr.unknown.end());
    for (auto& t : tr.stmts) out.push_back(std::move(t));
  }
  r.stmts = std::move(out);
  if (!unknown.empty()) {
    std::string msg = "iptables-nft rule only partly understood: ";
    for (size_t k = 0; k < unknown.size(); ++k) msg += (k ? "; " : "") + unknown[k];
    rs.notes.push_back(Note(LoadNote::Kind::kUnknownExpr, msg, sr.src, f, table, chain, r.handle));
  }
}

}  // namespace

void MergeIptablesNftSave(Ruleset& rs, const ParsedSave& save, Family family) {
  for (const auto& st : save.tables) {
    Table* t = FindNftTable(rs, family, st.name);
    if (!t) {
      rs.notes.push_back(Note(LoadNote::Kind::kMergeMismatch,
                              "table " + std::string(ToString(family)) + " " + st.name +
                                  " is in the iptables-nft-save text but not in the nft ruleset",
                              st.src, family, st.name));
      continue;
    }
    for (const auto& sc : st.chains) {
      Chain* c = FindChain(*t, sc.name);
      std::string place = std::string(ToString(family)) + " " + st.name + " " + sc.name;
      if (!c) {
        if (sc.builtin && sc.rules.empty()) continue;  // iptables-nft creates base chains lazily
        rs.notes.push_back(Note(LoadNote::Kind::kMergeMismatch,
                                "chain " + place + " is in the iptables-nft-save text but not in the nft ruleset",
                                sc.src, family, st.name, sc.name));
        continue;
      }
      if (c->rules.size() != sc.rules.size()) {
        rs.notes.push_back(Note(LoadNote::Kind::kMergeMismatch,
                                "chain " + place + ": " + std::to_string(sc.rules.size()) +
                                    " rules in the iptables-nft-save text, " + std::to_string(c->rules.size()) +
                                    " in the nft ruleset; not merged",
                                sc.src, family, st.name, sc.name));
        continue;
      }
      std::string why;
      size_t bad = 0;
      for (size_t i = 0; i < sc.rules.size() && why.empty(); ++i) {
        why = Mismatch(c->rules[i], sc.rules[i], st);
        bad = i;
      }
      if (!why.empty()) {
        rs.notes.push_back(Note(LoadNote::Kind::kMergeMismatch,
                                "chain " + place + " rule " + std::to_string(bad + 1) + ": " + why +
                                    "; chain not merged",
                                sc.rules[bad].src, family, st.name, sc.name, c->rules[bad].handle));
        continue;
      }
      for (size_t i = 0; i < sc.rules.size(); ++i) {
        const SaveRule& sr = sc.rules[i];
        RuleCtx ctx;
        ctx.family = family;
        ctx.protocol = sr.Protocol();
        ctx.table = st.name;
        ctx.chain = sc.name;
        ctx.save_table = &st;
        MergeRule(c->rules[i], sr, ctx, family, rs, st.name, sc.name);
      }
    }
    for (const auto& c : t->chains) {
      if (st.FindChain(c.name)) continue;
      rs.notes.push_back(Note(LoadNote::Kind::kMergeMismatch,
                              "chain " + std::string(ToString(family)) + " " + st.name + " " + c.name +
                                  " is in the nft ruleset but not in the iptables-nft-save text",
                              c.src, family, st.name, c.name));
    }
  }
}

}  // namespace nftc::ipt
