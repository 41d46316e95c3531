#include "sim/nat.h"

#include "model/rule_print.h"
#include "sim/routing.h"
#include "sim/set_lookup.h"

namespace nftc::sim {
namespace {

constexpr u128 kStatusSnat = 16, kStatusDnat = 32;

std::string DomText(const NumSet& s, bool addr, bool v6) {
  if (s.IsSingle()) return addr ? FormatIpAddress(s.First(), v6) : std::to_string(uint64_t(s.First()));
  return "any";
}

void SetStatusBit(Ctx& c, u128 bit) {
  FieldDom& d = c.fd(F::kCtStatus);
  if (d.set.IsSingle()) d.set = NumSet::Single(d.set.First() | bit);
  else d.facts.push_back({bit, bit, true});
}

void Snapshot(Ctx& c) {
  if (c.dnat || c.snat) return;
  c.fd(F::kOrigSaddr) = c.fd(F::kSaddr);
  c.fd(F::kOrigDaddr) = c.fd(F::kDaddr);
  c.fd(F::kOrigSport) = c.fd(F::kSport);
  c.fd(F::kOrigDport) = c.fd(F::kDport);
}

// Sets `f` from a NAT operand (value, range, prefix). False if the operand is not usable.
bool Assign(Ctx& c, F f, const Expr& x) {
  NumSet s;
  if (x.kind == ExprKind::kValue && x.value.kind == Value::Kind::kInt) s = NumSet::Single(x.value.num);
  else if (x.kind == ExprKind::kRange && x.kids.size() == 2) s = NumSet::Range(x.kids[0].value.num, x.kids[1].value.num);
  else return false;
  c.fd(f).set = s;
  c.fd(f).facts.clear();
  return true;
}

bool Absent(const Expr& x) { return x.kind == ExprKind::kSymbol && x.name.empty(); }

// Source NAT keeps the source port when it lies in the given range (and the tuple is
// unique, which a single simulated connection is): kernel-results l05, masquerade
// to :1024-65535 kept 42005.
void AssignSrcPort(Ctx& c, const Expr& port) {
  NumSet cur = c.fd(F::kSport).set;
  if (!Assign(c, F::kSport, port)) return;
  if (cur.IsSingle() && c.fd(F::kSport).set.Contains(cur.First())) c.fd(F::kSport).set = cur;
}

// `random` / `fully-random` make the kernel pick the mapped port at random even when the
// original one is free (nf_nat_core.c get_unique_tuple: NF_NAT_RANGE_PROTO_RANDOM_ALL skips
// the "keep it if unique" shortcut): the port is then any port of the range.
void RandomPort(Ctx& c, const Stmt& s, bool dst, const Expr& port) {
  if (!(s.nat_flags & (kNatRandom | kNatFullyRandom))) return;
  F pf = dst ? F::kDport : F::kSport;
  const NumSet& p = c.fd(F::kL4proto).set;
  if (!p.IsSingle() || (p.First() != 6 && p.First() != 17 && p.First() != 132 && p.First() != 33 &&
                        p.First() != 136))
    return;  // no ports to pick
  // Without a range the kernel keeps the port's class: 1-511, 600-1023 or 1024-65535.
  NumSet range = NumSet::Range(1024, 65535);
  const NumSet& cur = c.fd(pf).set;
  if (cur.IsSingle() && cur.First() < 1024)
    range = cur.First() < 512 ? NumSet::Range(1, 511) : NumSet::Range(600, 1023);
  if (port.kind == ExprKind::kValue && port.value.kind == Value::Kind::kInt) range = NumSet::Single(port.value.num);
  else if (port.kind == ExprKind::kRange && port.kids.size() == 2)
    range = NumSet::Range(port.kids[0].value.num, port.kids[1].value.num);
  else if (dst) return;  // DNAT without a port range keeps the port
  c.fd(pf).set = range;
  c.fd(pf).facts.clear();
}

// Applies the translation once the new address/port are known on path c.
void Bind(Ctx& c, NatKind k, const std::string& before) {
  bool dst = k == NatKind::kDnat || k == NatKind::kRedirect;
  SetStatusBit(c, dst ? kStatusDnat : kStatusSnat);
  std::string after = dst ? AddrPort(c, F::kDaddr, F::kDport) : AddrPort(c, F::kSaddr, F::kSport);
  (dst ? c.dnat_text : c.snat_text) = before + " -> " + after;
  (dst ? c.dnat : c.snat) = true;
  c.rbinds = true;
  c.rstate = RuleState::kVerdict;
  c.rverdict = Verdict{VerdictKind::kAccept, ""};
}

void Masquerade(Eval& e, const std::string& before) {
  Ctx& c = e.c;
  if (c.oif.kind == IfDom::Kind::kKnown) {
    if (auto a = PrimaryAddr(*e.w.host, c.oif.name, c.v6)) {
      c.fd(F::kSaddr).set = NumSet::Single(*a);
    } else {
      c.fd(F::kSaddr).set = NumSet::Full(c.v6 ? 128 : 32);
      c.notes.push_back("masquerade: no address known on " + c.oif.name);
    }
  } else {
    c.fd(F::kSaddr).set = NumSet::Full(c.v6 ? 128 : 32);
  }
  c.fd(F::kSaddr).facts.clear();
}

}  // namespace

std::string AddrPort(const Ctx& c, F addr, F port) {
  std::string a = DomText(c.fd(addr).set, true, c.v6);
  const NumSet& p = c.fd(port).set;
  if (p.IsSingle()) return (c.v6 ? "[" + a + "]" : a) + ":" + std::to_string(uint64_t(p.First()));
  return a;
}

void EvalNat(Eval& e) {
  const Stmt& s = e.stmt;
  NatKind k = static_cast<NatKind>(s.sub);
  Ctx& c = e.c;
  bool dst = k == NatKind::kDnat || k == NatKind::kRedirect;
  std::string before = dst ? AddrPort(c, F::kDaddr, F::kDport) : AddrPort(c, F::kSaddr, F::kSport);
  const Expr none;
  const Expr& addr = s.e.size() > 0 ? s.e[0] : none;
  const Expr& port = s.e.size() > 1 ? s.e[1] : none;
  // `dnat ip to` in an inet chain applies to IPv4 only (nft adds the nfproto dependency).
  if (addr.kind == ExprKind::kValue && addr.value.kind == Value::Kind::kInt && addr.value.bits &&
      (addr.value.bits == 128) != c.v6) {
    c.rstate = RuleState::kNoMatch;
    return;
  }
  Snapshot(c);
  F af = dst ? F::kDaddr : F::kSaddr, pf = dst ? F::kDport : F::kSport;
  if (k == NatKind::kMasquerade) {
    Masquerade(e, before);
    if (!Absent(port)) AssignSrcPort(c, port);
    RandomPort(c, s, false, port);
    Bind(c, k, before);
    return;
  }
  if (k == NatKind::kRedirect) {
    std::optional<u128> a;
    if (c.iif.kind == IfDom::Kind::kKnown) a = PrimaryAddr(*e.w.host, c.iif.name, c.v6);
    else if (c.local_out) a = c.v6 ? u128(1) : u128(0x7f000001);
    c.fd(F::kDaddr).set = a ? NumSet::Single(*a) : LocalAddrs(*e.w.host, c.v6, nullptr);
    if (!Absent(port)) Assign(c, F::kDport, port);
    Bind(c, k, before);
    return;
  }
  if (addr.kind == ExprKind::kMapLookup && addr.kids.size() == 2) {
    std::string cond = ExprToString(addr);
    bool ok = Lookup(e, addr.kids[0], addr.kids[1], cond, [&](Ctx& p, const LElem* el) {
      if (!el || el->data.empty() || el->data[0].kind != Value::Kind::kInt) {
        p.rstate = RuleState::kNoMatch;
        return;
      }
      p.fd(af).set = NumSet::Single(el->data[0].num);
      p.fd(af).facts.clear();
      if (el->data.size() > 1 && el->data[1].kind == Value::Kind::kInt) p.fd(pf).set = NumSet::Single(el->data[1].num);
      else if (!Absent(port)) Assign(p, pf, port);
      Bind(p, k, before);
    });
    if (!ok) {
      c.fd(af).set = NumSet::Full(c.v6 ? 128 : 32);
      c.notes.push_back("NAT map not evaluated: " + cond);
      Bind(c, k, before);
    }
    return;
  }
  if (!Absent(addr) && !Assign(c, af, addr)) {
    c.fd(af).set = NumSet::Full(c.v6 ? 128 : 32);
    c.notes.push_back("NAT address not evaluated: " + ExprToString(addr));
  }
  if (!Absent(port)) {
    if (!dst) AssignSrcPort(c, port);
    else if (!Assign(c, pf, port)) c.fd(pf).set = NumSet::Full(16);
  }
  RandomPort(c, s, dst, port);
  Bind(c, k, before);
}

namespace {

// The domain an expression evaluates to (constant, a mark, or a bit operation on one).
FieldDom ValueDom(Eval& e, const Expr& x, uint8_t bits) {
  FieldDom d;
  if (auto v = ConstValue(x)) {
    d.set = NumSet::Single(*v);
    return d;
  }
  if (x.kind == ExprKind::kBinop && x.kids.size() == 2) {
    auto cst = ConstValue(x.kids[1]);
    FieldDom in = ValueDom(e, x.kids[0], bits);
    BinOp op = static_cast<BinOp>(x.aux);
    if (!cst) return FieldDom{NumSet::Full(bits), {}};
    u128 c = *cst, full = MaxOf(bits);
    auto apply = [&](u128 v) -> u128 {
      switch (op) {
        case BinOp::kAnd: return v & c;
        case BinOp::kOr: return (v | c) & full;
        case BinOp::kXor: return (v ^ c) & full;
        case BinOp::kLshift: return (v << uint32_t(c)) & full;
        case BinOp::kRshift: return v >> uint32_t(c);
      }
      return v;
    };
    std::vector<u128> vals = in.set.Values(65536);
    if (!vals.empty()) {
      for (u128& v : vals) v = apply(v);
      d.set = NumSet::Of(vals);
      return d;
    }
    d.set = NumSet::Full(bits);
    if (op == BinOp::kAnd) {
      d.facts.push_back({~c & full, 0, true});
      for (const MaskFact& f : in.facts)
        if (f.eq) d.facts.push_back({f.mask | (~c & full), f.val & c, true});
    } else if (op == BinOp::kOr) {
      d.facts.push_back({c, c, true});
      for (const MaskFact& f : in.facts)
        if (f.eq) d.facts.push_back({f.mask | c, (f.val | c) & (f.mask | c), true});
    } else if (op == BinOp::kXor) {
      for (const MaskFact& f : in.facts)
        if (f.eq) d.facts.push_back({f.mask, f.val ^ (c & f.mask), true});
    }
    return d;
  }
  Ref r = Resolve(e, x);
  if (r.k == Ref::K::kField || r.k == Ref::K::kOther) return Dom(e.c, r);
  if (r.k == Ref::K::kConst) {
    d.set = NumSet::Single(r.value);
    return d;
  }
  d.set = NumSet::Full(bits);
  return d;
}

}  // namespace

void EvalMangle(Eval& e) {
  const Stmt& s = e.stmt;
  if (s.e.size() != 2) return;
  Ref r = Resolve(e, s.e[0]);
  if (r.k == Ref::K::kBreak) return;  // e.g. ct mark set without conntrack: no effect
  if (r.k != Ref::K::kField && r.k != Ref::K::kOther) return;  // nftrace, priority, ...
  FieldDom v = ValueDom(e, s.e[1], r.bits);
  Dom(e.c, r) = std::move(v);
}

void EvalNotrack(Eval& e) {
  const HookEntry& h = e.c.cur();
  bool before_ct = (h.hook == Hook::kPrerouting || h.hook == Hook::kOutput) && h.slot <= -200;
  if (!before_ct) return;
  e.c.fd(F::kCtState).set = NumSet::Single(kCtUntracked);
  e.c.fd(F::kCtState).facts.clear();
}

void EvalXtNoArgs(Eval& e) {
  const XtInfo& xt = *e.stmt.xt;
  Ctx& c = e.c;
  if (xt.type != XtType::kTarget) {
    std::string key = "xt:" + xt.name + ":" + std::to_string(reinterpret_cast<uintptr_t>(&e.stmt));
    SplitOpaque(e, key, "xt match " + xt.name + " (arguments unknown: no iptables-save) matches");
    return;
  }
  const std::string& n = xt.name;
  auto verdict = [&](VerdictKind k) {
    c.rstate = RuleState::kVerdict;
    c.rverdict = Verdict{k, ""};
  };
  if (n == "ACCEPT") return verdict(VerdictKind::kAccept);
  if (n == "DROP") return verdict(VerdictKind::kDrop);
  if (n == "RETURN") return verdict(VerdictKind::kReturn);
  if (n == "REJECT") {
    verdict(VerdictKind::kDrop);
    c.rreject = true;
    return;
  }
  if (n == "LOG" || n == "NFLOG" || n == "CHECKSUM" || n == "TCPMSS" || n == "CT" || n == "AUDIT") return;
  if (n == "NOTRACK") return EvalNotrack(e);
  if (n == "MARK" || n == "CONNMARK") {
    F f = n == "MARK" ? F::kMark : F::kCtMark;
    c.fd(f).set = NumSet::Full(32);
    c.fd(f).facts.clear();
    c.notes.push_back("xt target " + n + " without arguments: mark unknown");
    return;
  }
  if (n == "MASQUERADE" || n == "SNAT" || n == "DNAT" || n == "REDIRECT") {
    NatKind k = n == "MASQUERADE" ? NatKind::kMasquerade : n == "SNAT" ? NatKind::kSnat
                : n == "DNAT" ? NatKind::kDnat : NatKind::kRedirect;
    bool dst = k == NatKind::kDnat || k == NatKind::kRedirect;
    std::string before = dst ? AddrPort(c, F::kDaddr, F::kDport) : AddrPort(c, F::kSaddr, F::kSport);
    Snapshot(c);
    if (k == NatKind::kMasquerade) {
      Masquerade(e, before);
    } else {
      F a = dst ? F::kDaddr : F::kSaddr, p = dst ? F::kDport : F::kSport;
      c.fd(a).set = NumSet::Full(c.v6 ? 128 : 32);
      c.fd(a).facts.clear();
      c.fd(p).set = NumSet::Full(16);
      c.notes.push_back("xt target " + n + " without arguments: translated address unknown");
    }
    Bind(c, k, before);
    return;
  }
  c.notes.push_back("effect of xt target " + n + " unknown (no iptables-save): assumed to continue");
}

}  // namespace nftc::sim
