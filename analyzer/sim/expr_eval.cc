#include "sim/expr_eval.h"

#include "model/hash_expr.h"
#include "model/rule_print.h"
#include "model/set_index.h"
#include "sim/set_lookup.h"

namespace nftc::sim {
namespace {

constexpr u128 kTcp = 6, kUdp = 17, kSctp = 132, kDccp = 33, kUdplite = 136, kIcmp = 1, kIcmp6 = 58;

uint8_t BitsOf(DataType t, uint8_t fallback) {
  switch (t) {
    case DataType::kIpv4Addr: return 32;
    case DataType::kIpv6Addr: return 128;
    case DataType::kInetService: return 16;
    case DataType::kInetProto: case DataType::kIcmpType: case DataType::kIcmpv6Type:
    case DataType::kIcmpCode: case DataType::kTcpFlags: case DataType::kPktType: return 8;
    case DataType::kMark: case DataType::kCtState: case DataType::kCtStatus: return 32;
    case DataType::kEtherType: return 16;
    case DataType::kEtherAddr: return 48;
    default: return fallback;
  }
}

Ref FieldRef(F f, uint8_t bits) {
  Ref r;
  r.k = Ref::K::kField;
  r.field = f;
  r.bits = bits;
  return r;
}

Ref Other(const Expr& x, uint8_t bits) {
  Ref r;
  r.k = Ref::K::kOther;
  r.key = ExprToString(x);
  r.bits = bits;
  return r;
}

void NeedProto(Ref& r, std::vector<u128> p, const char* text) {
  r.need_proto = std::move(p);
  r.dep_text = text;
}

// Is the chain being run before conntrack (prerouting/output below -200)?
bool BeforeConntrack(const Ctx& c) {
  if (c.entries == nullptr || c.entry >= c.entries->size()) return false;
  const HookEntry& h = c.cur();
  return (h.hook == Hook::kPrerouting || h.hook == Hook::kOutput) && h.slot <= -200;
}

}  // namespace

Ref Resolve(const Eval& e, const Expr& x) {
  const Ctx& c = e.c;
  Ref r;
  switch (x.kind) {
    case ExprKind::kPayload: {
      switch (x.field()) {
        case Field::kIpSaddr: r = FieldRef(F::kSaddr, 32); r.need_v6 = false; return r;
        case Field::kIpDaddr: r = FieldRef(F::kDaddr, 32); r.need_v6 = false; return r;
        case Field::kIp6Saddr: r = FieldRef(F::kSaddr, 128); r.need_v6 = true; return r;
        case Field::kIp6Daddr: r = FieldRef(F::kDaddr, 128); r.need_v6 = true; return r;
        case Field::kIpProtocol: r = FieldRef(F::kL4proto, 8); r.need_v6 = false; return r;
        case Field::kIp6Nexthdr: r = FieldRef(F::kL4proto, 8); r.need_v6 = true; return r;
        case Field::kTcpSport: r = FieldRef(F::kSport, 16); NeedProto(r, {kTcp}, "meta l4proto tcp"); return r;
        case Field::kTcpDport: r = FieldRef(F::kDport, 16); NeedProto(r, {kTcp}, "meta l4proto tcp"); return r;
        case Field::kUdpSport: r = FieldRef(F::kSport, 16); NeedProto(r, {kUdp}, "meta l4proto udp"); return r;
        case Field::kUdpDport: r = FieldRef(F::kDport, 16); NeedProto(r, {kUdp}, "meta l4proto udp"); return r;
        case Field::kSctpSport: r = FieldRef(F::kSport, 16); NeedProto(r, {kSctp}, "meta l4proto sctp"); return r;
        case Field::kSctpDport: r = FieldRef(F::kDport, 16); NeedProto(r, {kSctp}, "meta l4proto sctp"); return r;
        case Field::kDccpSport: r = FieldRef(F::kSport, 16); NeedProto(r, {kDccp}, "meta l4proto dccp"); return r;
        case Field::kDccpDport: r = FieldRef(F::kDport, 16); NeedProto(r, {kDccp}, "meta l4proto dccp"); return r;
        case Field::kUdpliteSport: r = FieldRef(F::kSport, 16); NeedProto(r, {kUdplite}, "meta l4proto udplite"); return r;
        case Field::kUdpliteDport: r = FieldRef(F::kDport, 16); NeedProto(r, {kUdplite}, "meta l4proto udplite"); return r;
        case Field::kThSport: case Field::kThDport:
          r = FieldRef(x.field() == Field::kThSport ? F::kSport : F::kDport, 16);
          NeedProto(r, {kTcp, kUdp, kSctp, kDccp, kUdplite}, "meta l4proto with ports");
          return r;
        case Field::kIcmpType: r = FieldRef(F::kIcmpType, 8); r.need_v6 = false; NeedProto(r, {kIcmp}, "meta l4proto icmp"); return r;
        case Field::kIcmpCode: r = FieldRef(F::kIcmpCode, 8); r.need_v6 = false; NeedProto(r, {kIcmp}, "meta l4proto icmp"); return r;
        case Field::kIcmpv6Type: r = FieldRef(F::kIcmpType, 8); r.need_v6 = true; NeedProto(r, {kIcmp6}, "meta l4proto ipv6-icmp"); return r;
        case Field::kIcmpv6Code: r = FieldRef(F::kIcmpCode, 8); r.need_v6 = true; NeedProto(r, {kIcmp6}, "meta l4proto ipv6-icmp"); return r;
        case Field::kIpTtl: case Field::kIpLength: case Field::kIpDscp: case Field::kIpId: case Field::kIpVersion:
          r = Other(x, BitsOf(x.type, 16)); r.need_v6 = false; return r;
        case Field::kIp6Hoplimit: case Field::kIp6Length:
          r = Other(x, BitsOf(x.type, 16)); r.need_v6 = true; return r;
        case Field::kTcpFlags:
          r = Other(x, 8); NeedProto(r, {kTcp}, "meta l4proto tcp"); return r;
        default:
          return Other(x, x.len > 0 && x.len <= 128 ? uint8_t(x.len) : BitsOf(x.type, 32));
      }
    }
    case ExprKind::kMeta:
      switch (x.meta()) {
        case MetaKey::kIifname: case MetaKey::kIif: r.k = Ref::K::kIif; return r;
        case MetaKey::kOifname: case MetaKey::kOif: r.k = Ref::K::kOif; return r;
        case MetaKey::kL4proto: return FieldRef(F::kL4proto, 8);
        case MetaKey::kNfproto: r.k = Ref::K::kConst; r.value = c.v6 ? 10 : 2; r.bits = 8; return r;
        case MetaKey::kProtocol: r.k = Ref::K::kConst; r.value = c.v6 ? 0x86dd : 0x0800; r.bits = 16; return r;
        case MetaKey::kMark: return FieldRef(F::kMark, 32);
        case MetaKey::kPkttype: return FieldRef(F::kPktType, 8);
        case MetaKey::kSkuid: case MetaKey::kSkgid:
          if (!c.local_out) { r.k = Ref::K::kBreak; return r; }  // no local socket
          return Other(x, 32);
        default: return Other(x, BitsOf(x.type, 32));
      }
    case ExprKind::kCt: {
      bool no_ct = BeforeConntrack(c) || (c.fd(F::kCtState).set.IsSingle() &&
                                          c.fd(F::kCtState).set.First() == kCtUntracked);
      if (no_ct) {
        // Without a conntrack entry `ct state` reads invalid (untracked after notrack);
        // every other ct key breaks the rule (kernel nft_ct_get_eval).
        if (x.ct() == CtKey::kState) {
          r.k = Ref::K::kConst;
          r.value = BeforeConntrack(c) ? kCtInvalid : kCtUntracked;
          return r;
        }
        r.k = Ref::K::kBreak;
        return r;
      }
      bool reply = x.aux == uint32_t(CtDir::kReply);
      switch (x.ct()) {
        case CtKey::kState: return FieldRef(F::kCtState, 32);
        case CtKey::kStatus: return FieldRef(F::kCtStatus, 32);
        case CtKey::kMark: return FieldRef(F::kCtMark, 32);
        case CtKey::kDirection: return FieldRef(F::kCtDir, 8);
        case CtKey::kL3proto: r.k = Ref::K::kConst; r.value = c.v6 ? 10 : 2; r.bits = 8; return r;
        case CtKey::kProtocol: return FieldRef(F::kL4proto, 8);
        case CtKey::kSaddr: if (reply) break; return FieldRef(c.dnat || c.snat ? F::kOrigSaddr : F::kSaddr, c.v6 ? 128 : 32);
        case CtKey::kDaddr: if (reply) break; return FieldRef(c.dnat || c.snat ? F::kOrigDaddr : F::kDaddr, c.v6 ? 128 : 32);
        case CtKey::kProtoSrc: if (reply) break; return FieldRef(c.dnat || c.snat ? F::kOrigSport : F::kSport, 16);
        case CtKey::kProtoDst: if (reply) break; return FieldRef(c.dnat || c.snat ? F::kOrigDport : F::kDport, 16);
        default: break;
      }
      return Other(x, BitsOf(x.type, 32));
    }
    case ExprKind::kUnknown: {
      auto hash = ParseHashExpr(x);
      if (!hash) break;
      const std::string& text = hash->text;
      const NumSet range = NumSet::Range(hash->offset, hash->offset + hash->mod - 1);
      r.k = Ref::K::kOther;
      r.bits = 32;
      r.label = x.name;
      // A number generator yields a fresh value at every evaluation; a hash is one fixed
      // (unknown) value per packet and expression.
      bool fresh = hash->fresh;
      r.key = fresh ? "numgen:" + std::to_string(reinterpret_cast<uintptr_t>(&e.stmt)) : text + ":" + x.json;
      if (fresh || !c.other.count(r.key)) {
        FieldDom d;
        d.set = range;
        e.c.other[r.key] = std::move(d);
      }
      return r;
    }
    default:
      break;
  }
  r.k = Ref::K::kOpaque;
  return r;
}

bool ApplyDeps(Eval& e, const Ref& r) {
  if (r.need_v6 && *r.need_v6 != e.c.v6) {
    e.c.rstate = RuleState::kNoMatch;
    return false;
  }
  if (r.need_proto.empty()) return true;
  Ref p = FieldRef(F::kL4proto, 8);
  std::vector<u128> v = r.need_proto;
  return MatchNum(e, p, NumSet::Of(v), false, r.dep_text);
}

FieldDom& Dom(Ctx& c, const Ref& r) {
  if (r.k == Ref::K::kField) return c.fd(r.field);
  auto it = c.other.find(r.key);
  if (it == c.other.end()) {
    FieldDom d;
    d.set = NumSet::Full(r.bits);
    it = c.other.emplace(r.key, std::move(d)).first;
  }
  return it->second;
}

bool Split(Eval& e, int decided, const std::string& cond,
           const std::function<void(Ctx&)>& narrow_true,
           const std::function<void(Ctx&)>& narrow_false) {
  if (decided == 1) return true;
  if (decided == 0) {
    e.c.rstate = RuleState::kNoMatch;
    return false;
  }
  Ctx other = e.c;
  if (narrow_false) narrow_false(other);
  other.conds.push_back("not (" + cond + ")");
  other.rstate = RuleState::kNoMatch;
  e.extra.push_back(std::move(other));
  if (narrow_true) narrow_true(e.c);
  e.c.conds.push_back(cond);
  return true;
}

bool SplitOpaque(Eval& e, const std::string& key, const std::string& cond) {
  auto it = e.c.memo.find(key);
  int d = it == e.c.memo.end() ? -1 : (it->second ? 1 : 0);
  return Split(e, d, cond, [&](Ctx& c) { c.memo[key] = true; },
               [&](Ctx& c) { c.memo[key] = false; });
}

std::optional<u128> ConstValue(const Expr& x) {
  if ((x.kind == ExprKind::kValue || x.kind == ExprKind::kFlags) && x.value.kind == Value::Kind::kInt)
    return x.value.num;
  return std::nullopt;
}

namespace {

// Adds the values of one element expression to `s`. False when not numeric.
bool AddElem(const Expr& x, NumSet& s) {
  switch (x.kind) {
    case ExprKind::kValue:
    case ExprKind::kFlags:
      if (x.value.kind != Value::Kind::kInt) return false;
      s.Add(x.value.num, x.value.num);
      return true;
    case ExprKind::kPrefix: {
      if (x.kids.empty() || x.kids[0].value.kind != Value::Kind::kInt) return false;
      uint8_t bits = x.kids[0].value.bits ? x.kids[0].value.bits : BitsOf(x.kids[0].type, 32);
      uint32_t plen = x.aux > bits ? bits : x.aux;
      u128 host = plen >= bits ? 0 : MaxOf(uint8_t(bits - plen));
      u128 v = x.kids[0].value.num;
      s.Add(v & ~host, (v & ~host) | host);
      return true;
    }
    case ExprKind::kRange:
      if (x.kids.size() != 2 || x.kids[0].value.kind != Value::Kind::kInt ||
          x.kids[1].value.kind != Value::Kind::kInt)
        return false;
      s.Add(x.kids[0].value.num, x.kids[1].value.num);
      return true;
    default:
      return false;
  }
}

const Set* FindSet(const Table& t, const std::string& name) { return t.FindSet(name); }  // indexed

}  // namespace

// The value domain of a named single-component set: built once per set and cached on it
// (issue 7: sorting 200k elements per evaluated packet). nullptr: no such set or a concat key;
// a nullopt inside: elements that are not plain numbers.
const std::optional<NumSet>* NamedSetDomain(const Eval& e, const Expr& rhs) {
  const Set* set = FindSet(e.table, rhs.name);
  if (!set || set->key.size() > 1) return nullptr;
  return &DerivedOf<std::optional<NumSet>>(*set, kSlotSimDomain, [set] {
    std::vector<Interval> iv;
    iv.reserve(set->elems.size());
    for (const SetElem& el : set->elems) {
      if (el.lo.size() != 1 || el.lo[0].kind != Value::Kind::kInt)
        return std::make_shared<const std::optional<NumSet>>(std::nullopt);
      u128 hi = el.hi.size() == 1 && el.hi[0].kind == Value::Kind::kInt ? el.hi[0].num : el.lo[0].num;
      iv.push_back({el.lo[0].num, hi});
    }
    return std::make_shared<const std::optional<NumSet>>(NumSet::OfIntervals(std::move(iv)));
  });
}

std::optional<NumSet> RhsSet(const Eval& e, const Expr& rhs, MatchOp op, uint8_t bits) {
  NumSet s;
  if (op == MatchOp::kLt || op == MatchOp::kGt || op == MatchOp::kLe || op == MatchOp::kGe) {
    auto v = ConstValue(rhs);
    if (!v) return std::nullopt;
    u128 max = MaxOf(bits);
    switch (op) {
      case MatchOp::kLt: return *v == 0 ? NumSet() : NumSet::Range(0, *v - 1);
      case MatchOp::kLe: return NumSet::Range(0, *v);
      case MatchOp::kGt: return *v >= max ? NumSet() : NumSet::Range(*v + 1, max);
      default: return NumSet::Range(*v, max);
    }
  }
  switch (rhs.kind) {
    case ExprKind::kSet:
      for (const Expr& k : rhs.kids)
        if (!AddElem(k, s)) return std::nullopt;
      return s;
    case ExprKind::kSetRef: {
      const std::optional<NumSet>* d = NamedSetDomain(e, rhs);
      if (!d) return std::nullopt;
      return *d;
    }
    default:
      if (!AddElem(rhs, s)) return std::nullopt;
      return s;
  }
}

std::optional<std::vector<std::string>> RhsNames(const Eval& e, const Expr& rhs) {
  std::vector<std::string> out;
  auto add = [&](const Expr& x) {
    if (x.kind != ExprKind::kValue || x.value.kind != Value::Kind::kString) return false;
    out.push_back(x.value.str);
    return true;
  };
  if (rhs.kind == ExprKind::kSet) {
    for (const Expr& k : rhs.kids)
      if (!add(k)) return std::nullopt;
    return out;
  }
  if (rhs.kind == ExprKind::kSetRef) {
    const Set* set = FindSet(e.table, rhs.name);
    if (!set) return std::nullopt;
    for (const SetElem& el : set->elems) {
      if (el.lo.size() != 1 || el.lo[0].kind != Value::Kind::kString) return std::nullopt;
      out.push_back(el.lo[0].str);
    }
    return out;
  }
  if (!add(rhs)) return std::nullopt;
  return out;
}

bool MatchNum(Eval& e, const Ref& r, const NumSet& s, bool neg, const std::string& cond) {
  if (r.k == Ref::K::kConst) return Split(e, s.Contains(r.value) != neg ? 1 : 0, cond, {}, {});
  FieldDom& d = Dom(e.c, r);
  if (d.set.IsSingle()) {  // a known value: O(log n) in a big set, no copies
    bool in = s.Contains(d.set.First());
    return Split(e, in != neg ? 1 : 0, cond, {}, {});
  }
  // Decided without building sets (the usual case); the two sides only for a fork.
  int decided = !d.set.Overlaps(s) ? 0 : d.set.SubsetOf(s) ? 1 : -1;
  if (neg && decided >= 0) decided = 1 - decided;
  if (decided >= 0) return Split(e, decided, cond, {}, {});
  NumSet in = d.set.Intersect(s), out = d.set.Subtract(s);
  NumSet yes = neg ? out : in, no = neg ? in : out;
  return Split(
      e, decided, cond, [&](Ctx& c) { Dom(c, r).set = yes; }, [&](Ctx& c) { Dom(c, r).set = no; });
}

bool MatchMasked(Eval& e, const Ref& r, u128 mask, u128 val, bool neg, const std::string& cond) {
  if (r.k == Ref::K::kConst) return Split(e, ((r.value & mask) == val) != neg ? 1 : 0, cond, {}, {});
  FieldDom& d = Dom(e.c, r);
  std::vector<u128> vals = d.set.Values(65536);
  if (!vals.empty() || d.set.Empty()) {
    std::vector<u128> t;
    for (u128 v : vals)
      if ((v & mask) == val) t.push_back(v);
    return MatchNum(e, r, NumSet::Of(t), neg, cond);
  }
  int decided = d.DecideMasked(mask, val);
  if (neg && decided >= 0) decided = 1 - decided;
  bool full = mask == MaxOf(r.bits);
  auto add = [&](Ctx& c, bool eq) {
    FieldDom& x = Dom(c, r);
    if (eq && full) x.set = x.set.Intersect(NumSet::Single(val));
    else x.facts.push_back({mask, val, eq});
  };
  return Split(e, decided, cond, [&](Ctx& c) { add(c, !neg); }, [&](Ctx& c) { add(c, neg); });
}

bool MatchNames(Eval& e, const Ref& r, const std::vector<std::string>& pats, bool neg,
                const std::string& cond) {
  IfDom& d = r.k == Ref::K::kIif ? e.c.iif : e.c.oif;
  bool any_true = false, all_false = true;
  std::vector<std::string> open;
  for (const auto& p : pats) {
    int x = d.Decide(p);
    if (x == 1) any_true = true;
    if (x != 0) all_false = false;
    if (x == -1) open.push_back(p);
  }
  int decided = any_true ? 1 : all_false ? 0 : -1;
  if (decided >= 0) return Split(e, neg ? 1 - decided : decided, cond, {}, {});
  bool is_iif = r.k == Ref::K::kIif;
  auto none = [&](Ctx& c) {
    IfDom& x = is_iif ? c.iif : c.oif;
    for (const auto& p : open) x.Refine(p, false);
  };
  if (neg) {
    // "not any of": the current path is the one where none matches; each matching name
    // is a path of its own that fails the rule.
    for (size_t i = 0; i < open.size(); ++i) {
      Ctx o = e.c;
      (is_iif ? o.iif : o.oif).Refine(open[i], true);
      o.conds.push_back("not (" + cond + ")");
      o.rstate = RuleState::kNoMatch;
      e.extra.push_back(std::move(o));
    }
    none(e.c);
    e.c.conds.push_back(cond);
    return true;
  }
  Ctx no = e.c;
  none(no);
  no.conds.push_back("not (" + cond + ")");
  no.rstate = RuleState::kNoMatch;
  e.extra.push_back(std::move(no));
  for (size_t i = 1; i < open.size(); ++i) {
    Ctx o = e.c;
    (is_iif ? o.iif : o.oif).Refine(open[i], true);
    o.conds.push_back(cond + " (" + open[i] + ")");
    e.extra.push_back(std::move(o));
  }
  (is_iif ? e.c.iif : e.c.oif).Refine(open[0], true);
  e.c.conds.push_back(open.size() > 1 ? cond + " (" + open[0] + ")" : cond);
  return true;
}

void EvalMatch(Eval& e) {
  const Stmt& s = e.stmt;
  if (s.e.size() != 2) {
    SplitOpaque(e, StmtToString(s), "unknown expression: " + StmtToString(s));
    return;
  }
  const Expr& lhs = s.e[0];
  const Expr& rhs = s.e[1];
  const std::string cond = StmtToString(s);
  bool neg = s.op == MatchOp::kNe;
  if (lhs.kind == ExprKind::kFib) return EvalFibMatch(e);
  if (lhs.kind == ExprKind::kConcat) return EvalConcatMatch(e);
  if (lhs.kind == ExprKind::kBinop) {
    auto mask = lhs.kids.size() == 2 ? ConstValue(lhs.kids[1]) : std::nullopt;
    auto val = ConstValue(rhs);
    bool simple = (s.op == MatchOp::kImplicit || s.op == MatchOp::kEq || s.op == MatchOp::kNe) &&
                  rhs.kind == ExprKind::kValue;
    if (mask && val && simple && lhs.aux == uint32_t(BinOp::kAnd)) {
      Ref r = Resolve(e, lhs.kids[0]);
      if (r.k == Ref::K::kField || r.k == Ref::K::kOther || r.k == Ref::K::kConst) {
        if (ApplyDeps(e, r)) MatchMasked(e, r, *mask, *val, neg, cond);
        return;
      }
      if (r.k == Ref::K::kBreak) {
        e.c.rstate = RuleState::kNoMatch;
        return;
      }
    }
    SplitOpaque(e, cond, cond);
    return;
  }
  Ref r = Resolve(e, lhs);
  if (r.k == Ref::K::kBreak) {
    e.c.rstate = RuleState::kNoMatch;
    return;
  }
  if (r.k == Ref::K::kOpaque) {
    std::string what = lhs.kind == ExprKind::kUnknown ? "verdict depends on unknown expression " + cond : cond;
    SplitOpaque(e, cond, what);
    return;
  }
  if (!ApplyDeps(e, r)) return;
  if (r.k == Ref::K::kIif || r.k == Ref::K::kOif) {
    auto names = RhsNames(e, rhs);
    if (!names) {
      SplitOpaque(e, cond, cond);
      return;
    }
    MatchNames(e, r, *names, neg, cond);
    return;
  }
  bool bitmask = rhs.type == DataType::kCtState || rhs.type == DataType::kCtStatus ||
                 rhs.type == DataType::kTcpFlags || lhs.type == DataType::kCtStatus;
  bool flag_test = rhs.kind == ExprKind::kFlags ||
                   (bitmask && rhs.kind == ExprKind::kValue && (s.op == MatchOp::kImplicit || s.op == MatchOp::kIn));
  if (flag_test && rhs.value.kind == Value::Kind::kInt) {
    // (x & flags) != 0; negated: == 0.
    MatchMasked(e, r, rhs.value.num, 0, !neg, cond);
    return;
  }
  bool member_op = s.op == MatchOp::kImplicit || s.op == MatchOp::kEq || s.op == MatchOp::kIn || neg;
  if (rhs.kind == ExprKind::kSetRef && member_op) {
    // A concrete value against a named set: one index lookup (a ban set may hold a million
    // addresses), decided as MatchNum would decide it.
    std::optional<u128> v;
    if (r.k == Ref::K::kConst) v = r.value;
    else if (const NumSet& d = Dom(e.c, r).set; d.IsSingle()) v = d.First();
    if (v)
      if (auto in = NamedSetContains(e, rhs.name, Value::Int(*v, r.bits))) {
        Split(e, *in != neg ? 1 : 0, cond, {}, {});
        return;
      }
    // Otherwise against the set's value domain, built once per set (cached on it).
    const std::optional<NumSet>* d = NamedSetDomain(e, rhs);
    if (!d || !*d) return EvalConcatMatch(e);
    MatchNum(e, r, **d, neg, cond);
    return;
  }
  auto set = RhsSet(e, rhs, s.op, r.bits);
  if (!set) {
    if (rhs.kind == ExprKind::kSet || rhs.kind == ExprKind::kSetRef) return EvalConcatMatch(e);
    SplitOpaque(e, cond, cond);
    return;
  }
  MatchNum(e, r, *set, neg, cond);
}

}  // namespace nftc::sim
