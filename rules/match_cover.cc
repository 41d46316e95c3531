// See match_cover.h.
#include "match_cover.h"

#include <algorithm>

namespace nftc::cover {
namespace {

u128 MaxFor(uint8_t bits) { return bits >= 128 ? ~u128{0} : (u128{1} << bits) - 1; }

std::string Hex(u128 v) {
  static const char* d = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), d[static_cast<int>(v & 15)]);
    v >>= 4;
  } while (v);
  return s;
}

// Intervals of an integer constant side; false when it is not one.
bool Ints(const Expr& e, std::vector<std::pair<u128, u128>>& out) {
  switch (e.kind) {
    case ExprKind::kValue:
      if (e.value.kind != Value::Kind::kInt) return false;
      out.push_back({e.value.num, e.value.num});
      return true;
    case ExprKind::kPrefix: {
      if (e.kids.empty() || e.kids[0].kind != ExprKind::kValue || e.kids[0].value.kind != Value::Kind::kInt)
        return false;
      uint8_t bits = e.kids[0].value.bits;
      if (bits == 0 || e.aux > bits) return false;
      u128 host = e.aux == 0 ? MaxFor(bits) : MaxFor(static_cast<uint8_t>(bits - e.aux));
      u128 lo = e.kids[0].value.num & ~host & MaxFor(bits);
      out.push_back({lo, lo | host});
      return true;
    }
    case ExprKind::kRange:
      if (e.kids.size() != 2 || e.kids[0].kind != ExprKind::kValue || e.kids[1].kind != ExprKind::kValue ||
          e.kids[0].value.kind != Value::Kind::kInt || e.kids[1].value.kind != Value::Kind::kInt)
        return false;
      out.push_back({e.kids[0].value.num, e.kids[1].value.num});
      return true;
    case ExprKind::kSet:
      for (const Expr& k : e.kids)
        if (!Ints(k, out)) return false;
      return !e.kids.empty();
    default:
      return false;
  }
}

bool Names(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == ExprKind::kValue) {
    if (e.value.kind != Value::Kind::kString || e.value.str.find('\\') != std::string::npos) return false;
    out.push_back(e.value.str);
    return true;
  }
  if (e.kind == ExprKind::kSet) {
    for (const Expr& k : e.kids)
      if (!Names(k, out)) return false;
    return !e.kids.empty();
  }
  return false;
}

void Merge(std::vector<std::pair<u128, u128>>& v) {
  std::sort(v.begin(), v.end());
  std::vector<std::pair<u128, u128>> out;
  for (auto iv : v) {
    if (iv.first > iv.second) std::swap(iv.first, iv.second);
    if (!out.empty() && (iv.first <= out.back().second || iv.first == out.back().second + 1)) {
      out.back().second = std::max(out.back().second, iv.second);
    } else {
      out.push_back(iv);
    }
  }
  v = std::move(out);
}

// Every interval of b lies inside the (merged) union of a.
bool IvsInside(const std::vector<std::pair<u128, u128>>& a, const std::vector<std::pair<u128, u128>>& b) {
  for (const auto& iv : b) {
    auto it = std::upper_bound(a.begin(), a.end(), std::make_pair(iv.first, ~u128{0}));
    if (it == a.begin()) return false;
    --it;
    if (it->first > iv.first || it->second < iv.second) return false;
  }
  return true;
}

bool IvsDisjoint(const std::vector<std::pair<u128, u128>>& a, const std::vector<std::pair<u128, u128>>& b) {
  for (const auto& iv : b)
    for (const auto& x : a)  // a is short in practice (one rule's constant)
      if (!(x.second < iv.first || iv.second < x.first)) return false;
  return true;
}

bool Wild(const std::string& n) { return !n.empty() && n.back() == '*'; }
std::string Stem(const std::string& n) { return Wild(n) ? n.substr(0, n.size() - 1) : n; }

// Every name n2 matches is matched by n1.
bool NameCovers(const std::string& n1, const std::string& n2) {
  if (!Wild(n1)) return !Wild(n2) && n1 == n2;
  return n2.rfind(Stem(n1), 0) == 0;
}
bool NamesDisjoint(const std::string& n1, const std::string& n2) {
  if (!Wild(n1) && !Wild(n2)) return n1 != n2;
  if (Wild(n1) && !Wild(n2)) return n2.rfind(Stem(n1), 0) != 0;
  if (!Wild(n1) && Wild(n2)) return n1.rfind(Stem(n2), 0) != 0;
  return Stem(n1).rfind(Stem(n2), 0) != 0 && Stem(n2).rfind(Stem(n1), 0) != 0;
}
bool AllNamesCovered(const std::vector<std::string>& outer, const std::vector<std::string>& inner) {
  for (const auto& n2 : inner) {
    bool ok = false;
    for (const auto& n1 : outer) ok = ok || NameCovers(n1, n2);
    if (!ok) return false;
  }
  return true;
}

bool IsSingleBit(u128 m) { return m != 0 && (m & (m - 1)) == 0; }

}  // namespace

std::string Cond::PointKey() const {
  if (neg) return "";
  switch (kind) {
    case Kind::kInts:
      return ivs.size() == 1 && ivs[0].first == ivs[0].second ? "i" + Hex(ivs[0].first) : "";
    case Kind::kNames:
      return names.size() == 1 && !Wild(names[0]) ? "s" + names[0] : "";
    case Kind::kOpaque:
      return "o" + text;
    case Kind::kMask:
      return "";
  }
  return "";
}

std::optional<std::string> Canon(const Expr& e) {
  if (e.kind == ExprKind::kUnknown || e.kind == ExprKind::kSymbol) return std::nullopt;
  std::string s = std::to_string(static_cast<int>(e.kind)) + ":" + std::to_string(e.key) + ":" +
                  std::to_string(e.flags) + ":" + std::to_string(e.aux) + ":" + std::to_string(e.len);
  if (e.kind == ExprKind::kValue || e.kind == ExprKind::kFlags)
    s += "=" + (e.value.kind == Value::Kind::kString ? "s" + e.value.str : Hex(e.value.num));
  if (e.kind == ExprKind::kSetRef) s += "@" + e.name;
  if (e.kind == ExprKind::kVerdict) s += "v" + std::to_string(static_cast<int>(e.verdict.kind)) + e.verdict.chain;
  if (!e.kids.empty()) {
    s += "(";
    for (const Expr& k : e.kids) {
      auto c = Canon(k);
      if (!c) return std::nullopt;
      s += *c + ",";
    }
    s += ")";
  }
  return s;
}

std::optional<Cond> FromMatch(const Table& t, const Stmt& s) {
  if (s.kind != StmtKind::kMatch || s.e.size() != 2) return std::nullopt;
  auto lhs = Canon(s.e[0]);
  if (!lhs) return std::nullopt;
  Cond c;
  c.lhs = *lhs;
  const Expr& r = s.e[1];
  auto opaque = [&]() -> std::optional<Cond> {
    auto rt = Canon(r);
    if (!rt) return std::nullopt;
    c.kind = Cond::Kind::kOpaque;
    c.neg = false;
    c.text = std::to_string(static_cast<int>(s.op == MatchOp::kIn ? MatchOp::kImplicit : s.op)) + "|" + *rt;
    return c;
  };
  bool is_state = s.e[0].kind == ExprKind::kCt && s.e[0].ct() == CtKey::kState;
  switch (s.op) {
    case MatchOp::kImplicit: case MatchOp::kEq: case MatchOp::kIn: c.neg = false; break;
    case MatchOp::kNe: c.neg = true; break;
    default: {
      // <, >, <=, >= on a number of known width.
      if (r.kind != ExprKind::kValue || r.value.kind != Value::Kind::kInt || r.value.bits == 0) return opaque();
      u128 v = r.value.num, mx = MaxFor(r.value.bits);
      c.kind = Cond::Kind::kInts;
      if (s.op == MatchOp::kLt) { if (v == 0) return opaque(); c.ivs = {{0, v - 1}}; }
      if (s.op == MatchOp::kLe) c.ivs = {{0, v}};
      if (s.op == MatchOp::kGt) { if (v >= mx) return opaque(); c.ivs = {{v + 1, mx}}; }
      if (s.op == MatchOp::kGe) c.ivs = {{v, mx}};
      return c;
    }
  }
  if (r.kind == ExprKind::kFlags && r.value.kind == Value::Kind::kInt) {
    c.kind = Cond::Kind::kMask;
    c.mask = r.value.num;
    return c;
  }
  if (is_state && r.kind == ExprKind::kValue && r.value.kind == Value::Kind::kInt && IsSingleBit(r.value.num)) {
    c.kind = Cond::Kind::kMask;  // `ct state established` is the same as the flag form
    c.mask = r.value.num;
    return c;
  }
  if (is_state && r.kind == ExprKind::kSet) {
    u128 m = 0;
    bool ok = true;
    for (const Expr& k : r.kids)
      ok = ok && k.kind == ExprKind::kValue && k.value.kind == Value::Kind::kInt && IsSingleBit(k.value.num) &&
           (m |= k.value.num, true);
    if (ok && m) {
      c.kind = Cond::Kind::kMask;
      c.mask = m;
      return c;
    }
  }
  const Expr* rr = &r;
  Expr expanded;
  if (r.kind == ExprKind::kSetRef) {
    // A named set's contents change at run time (bans, dynamic updates): only a constant set
    // is expanded; otherwise it covers only the same set.
    const Set* set = t.FindSet(r.name);
    if (!set || !(set->flags & kSetConstant) || set->is_map || set->key.size() != 1) return opaque();
    expanded.kind = ExprKind::kSet;
    for (const SetElem& el : set->elems) {
      if (el.lo.size() != 1 || el.hi.size() != 1 || el.lo[0].kind != el.hi[0].kind) return opaque();
      if (el.lo[0].kind == Value::Kind::kString) {
        if (!(el.lo[0] == el.hi[0])) return opaque();
        Expr v;
        v.value = el.lo[0];
        expanded.kids.push_back(v);
      } else {
        Expr rg;
        rg.kind = ExprKind::kRange;
        Expr lo, hi;
        lo.value = el.lo[0];
        hi.value = el.hi[0];
        rg.kids = {lo, hi};
        expanded.kids.push_back(rg);
      }
    }
    if (expanded.kids.empty()) return opaque();
    rr = &expanded;
  }
  std::vector<std::pair<u128, u128>> ivs;
  if (Ints(*rr, ivs)) {
    c.kind = Cond::Kind::kInts;
    Merge(ivs);
    c.ivs = std::move(ivs);
    return c;
  }
  std::vector<std::string> names;
  if (Names(*rr, names)) {
    c.kind = Cond::Kind::kNames;
    c.names = std::move(names);
    return c;
  }
  auto o = opaque();
  if (o) o->neg = s.op == MatchOp::kNe, o->text = (s.op == MatchOp::kNe ? "!" : "") + o->text;
  return o;
}

bool Covers(const Cond& outer, const Cond& inner) {
  if (outer.lhs != inner.lhs || outer.kind != inner.kind) return false;
  switch (outer.kind) {
    case Cond::Kind::kOpaque:
      return outer.text == inner.text && outer.neg == inner.neg;
    case Cond::Kind::kInts:
      if (!outer.neg && !inner.neg) return IvsInside(outer.ivs, inner.ivs);
      if (outer.neg && !inner.neg) return IvsDisjoint(outer.ivs, inner.ivs);
      if (outer.neg && inner.neg) return IvsInside(inner.ivs, outer.ivs);
      return false;
    case Cond::Kind::kNames:
      if (!outer.neg && !inner.neg) return AllNamesCovered(outer.names, inner.names);
      if (outer.neg && inner.neg) return AllNamesCovered(inner.names, outer.names);
      if (outer.neg && !inner.neg) {
        for (const auto& n2 : inner.names)
          for (const auto& n1 : outer.names)
            if (!NamesDisjoint(n1, n2)) return false;
        return true;
      }
      return false;
    case Cond::Kind::kMask:
      // Only ct state is known to carry a single bit; other masks need the same form.
      if (!outer.neg && !inner.neg) return inner.mask != 0 && (inner.mask & ~outer.mask) == 0;
      if (outer.neg && inner.neg) return (outer.mask & ~inner.mask) == 0;
      return false;
  }
  return false;
}

bool CoversAll(const std::vector<Cond>& outer, const std::vector<Cond>& inner) {
  for (const Cond& o : outer) {
    bool ok = false;
    for (const Cond& i : inner)
      if (Covers(o, i)) {
        ok = true;
        break;
      }
    if (!ok) return false;
  }
  return true;
}

}  // namespace nftc::cover
