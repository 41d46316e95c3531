#include "sim/set_lookup.h"

#include "model/rule_print.h"
#include "sim/walk.h"

namespace nftc::sim {
namespace {

constexpr size_t kMaxCandidates = 256;

bool CompOf(const Expr& x, LElem::Comp& c) {
  switch (x.kind) {
    case ExprKind::kValue:
      if (x.value.kind == Value::Kind::kString) {
        c.is_str = true;
        c.str = x.value.str;
        return true;
      }
      if (x.value.kind != Value::Kind::kInt) return false;
      c.num = NumSet::Single(x.value.num);
      return true;
    case ExprKind::kPrefix: {
      if (x.kids.empty() || x.kids[0].value.kind != Value::Kind::kInt) return false;
      uint8_t bits = x.kids[0].value.bits ? x.kids[0].value.bits : (x.kids[0].type == DataType::kIpv6Addr ? 128 : 32);
      uint32_t plen = x.aux > bits ? bits : x.aux;
      u128 host = plen >= bits ? 0 : MaxOf(uint8_t(bits - plen));
      u128 v = x.kids[0].value.num & ~host;
      c.num = NumSet::Range(v, v | host);
      return true;
    }
    case ExprKind::kRange:
      if (x.kids.size() != 2 || x.kids[0].value.kind != Value::Kind::kInt || x.kids[1].value.kind != Value::Kind::kInt)
        return false;
      c.num = NumSet::Range(x.kids[0].value.num, x.kids[1].value.num);
      return true;
    default:
      return false;
  }
}

bool KeyOf(const Expr& k, LElem& el) {
  if (k.kind == ExprKind::kConcat) {
    for (const Expr& p : k.kids) {
      LElem::Comp c;
      if (!CompOf(p, c)) return false;
      el.comps.push_back(std::move(c));
    }
    return true;
  }
  LElem::Comp c;
  if (!CompOf(k, c)) return false;
  el.comps.push_back(std::move(c));
  return true;
}

void DataOf(const Expr& d, LElem& el) {
  if (d.kind == ExprKind::kVerdict) {
    el.verdict = d.verdict;
  } else if (d.kind == ExprKind::kConcat) {
    for (const Expr& p : d.kids) el.data.push_back(p.value);
  } else {
    el.data.push_back(d.value);
  }
}

const Set* NamedSet(const Table& t, const std::string& name) {
  for (const Set& x : t.sets)
    if (x.name == name) return &x;
  return nullptr;
}

// One element of a named set, normalised. False for values the simulator cannot compare.
bool ElemOf(const Set& s, const SetElem& se, LElem& el) {
  for (size_t i = 0; i < se.lo.size(); ++i) {
    LElem::Comp c;
    const Value& lo = se.lo[i];
    const Value& hi = i < se.hi.size() ? se.hi[i] : lo;
    if (lo.kind == Value::Kind::kString) {
      c.is_str = true;
      c.str = lo.str;
    } else if (lo.kind == Value::Kind::kInt) {
      c.num = NumSet::Range(lo.num, hi.kind == Value::Kind::kInt ? hi.num : lo.num);
    } else {
      return false;
    }
    if (!el.text.empty()) el.text += " . ";
    el.text += lo.kind == Value::Kind::kString ? "\"" + lo.str + "\"" : ValueToString(lo, s.key.size() > i ? s.key[i] : DataType::kInteger);
    el.comps.push_back(std::move(c));
  }
  el.verdict = se.verdict;
  el.data = se.data;
  return true;
}

const World::IndexedSet& IndexOf(const World& w, const Set& s) {
  auto& slot = w.set_index[&s];
  if (!slot) {
    slot = std::make_unique<World::IndexedSet>();
    for (const SetElem& se : s.elems)
      for (const Value& v : se.lo)
        if (v.kind != Value::Kind::kInt && v.kind != Value::Kind::kString) slot->usable = false;
    if (slot->usable) slot->index = SetIndex(s);
  }
  return *slot;
}

// The key as concrete values, when every component has exactly one possible value.
bool ConcreteKey(const Ctx& c, const std::vector<Ref>& refs, std::vector<Value>& key) {
  for (const Ref& r : refs) {
    switch (r.k) {
      case Ref::K::kConst: key.push_back(Value::Int(r.value, r.bits)); break;
      case Ref::K::kField: case Ref::K::kOther: {
        const FieldDom* d = nullptr;
        if (r.k == Ref::K::kField) d = &c.fd(r.field);
        else if (auto it = c.other.find(r.key); it != c.other.end()) d = &it->second;
        if (!d || !d->set.IsSingle()) return false;
        key.push_back(Value::Int(d->set.First(), r.bits));
        break;
      }
      case Ref::K::kIif: case Ref::K::kOif: {
        const IfDom& d = r.k == Ref::K::kIif ? c.iif : c.oif;
        if (d.kind != IfDom::Kind::kKnown) return false;
        key.push_back(Value::Str(d.name));
        break;
      }
      default: return false;
    }
  }
  return true;
}

bool Elements(const Eval& e, const Expr& set, std::vector<LElem>& out) {
  if (set.kind == ExprKind::kSet) {
    for (const Expr& k : set.kids) {
      LElem el;
      el.text = ExprToString(k);
      if (k.kind == ExprKind::kMapElem && k.kids.size() == 2) {
        if (!KeyOf(k.kids[0], el)) return false;
        DataOf(k.kids[1], el);
      } else if (!KeyOf(k, el)) {
        return false;
      }
      out.push_back(std::move(el));
    }
    return true;
  }
  if (set.kind == ExprKind::kSetRef) {
    const Set* s = NamedSet(e.table, set.name);
    if (!s) return false;
    for (const SetElem& se : s->elems) {
      LElem el;
      if (!ElemOf(*s, se, el)) return false;
      out.push_back(std::move(el));
    }
    return true;
  }
  return false;
}

// -1 disjoint, 0 partial, 1 contains the whole domain.
int CompStatus(const Ctx& c, const Ref& r, const LElem::Comp& x) {
  if (r.k == Ref::K::kConst) return x.num.Contains(r.value) ? 1 : -1;
  if (r.k == Ref::K::kIif || r.k == Ref::K::kOif) {
    if (!x.is_str) return -1;
    int d = (r.k == Ref::K::kIif ? c.iif : c.oif).Decide(x.str);
    return d == 1 ? 1 : d == 0 ? -1 : 0;
  }
  if (x.is_str) return -1;
  const FieldDom* d = nullptr;
  if (r.k == Ref::K::kField) d = &c.fd(r.field);
  else {
    auto it = c.other.find(r.key);
    if (it != c.other.end()) d = &it->second;
  }
  NumSet dom = d ? d->set : NumSet::Full(r.bits);
  NumSet in = dom.Intersect(x.num);
  if (in.Empty()) return -1;
  return in == dom ? 1 : 0;
}

void Narrow(Ctx& c, const Ref& r, const LElem::Comp& x, bool in) {
  if (r.k == Ref::K::kIif || r.k == Ref::K::kOif) {
    (r.k == Ref::K::kIif ? c.iif : c.oif).Refine(x.str, in);
    return;
  }
  if (r.k == Ref::K::kConst || x.is_str) return;
  FieldDom& d = Dom(c, r);
  d.set = in ? d.set.Intersect(x.num) : d.set.Subtract(x.num);
}

}  // namespace

bool Lookup(Eval& e, const Expr& key, const Expr& set, const std::string& cond,
            const std::function<void(Ctx&, const LElem*)>& on) {
  // A named set is looked up through the model's SetIndex when the key is concrete (one
  // lookup mechanism, and no scan of a million-element ban set); otherwise element by element.
  const Set* named = set.kind == ExprKind::kSetRef ? NamedSet(e.table, set.name) : nullptr;
  const World::IndexedSet* indexed = named ? &IndexOf(e.w, *named) : nullptr;
  if (indexed && !indexed->usable) indexed = nullptr;
  std::vector<LElem> elems;
  if (!indexed && !Elements(e, set, elems)) return false;
  std::vector<const Expr*> parts;
  if (key.kind == ExprKind::kConcat)
    for (const Expr& k : key.kids) parts.push_back(&k);
  else
    parts.push_back(&key);
  std::vector<Ref> refs;
  for (const Expr* p : parts) {
    Ref r = Resolve(e, *p);
    if (r.k == Ref::K::kOpaque) return false;
    if (r.k == Ref::K::kBreak) {
      e.c.rstate = RuleState::kNoMatch;
      return true;
    }
    if (!ApplyDeps(e, r)) return true;
    refs.push_back(std::move(r));
  }
  if (indexed) {
    std::vector<Value> k;
    bool arity = named->elems.empty() || named->elems[0].lo.size() == refs.size();
    if (arity && ConcreteKey(e.c, refs, k)) {
      if (const SetElem* se = indexed->index.Lookup(k)) {
        LElem el;
        ElemOf(*named, *se, el);
        on(e.c, &el);
      } else {
        e.c.conds.push_back("not (" + cond + ")");
        on(e.c, nullptr);
      }
      return true;
    }
    if (!Elements(e, set, elems)) return false;
  }
  const LElem* full = nullptr;
  std::vector<const LElem*> cand;
  for (const LElem& el : elems) {
    if (el.comps.size() != refs.size()) return false;
    int st = 1;
    for (size_t i = 0; i < refs.size() && st != -1; ++i) {
      int s = CompStatus(e.c, refs[i], el.comps[i]);
      st = std::min(st, s);
    }
    if (st == 1 && !full) full = &el;
    if (st == 0) cand.push_back(&el);
  }
  if (full) {
    on(e.c, full);
    return true;
  }
  if (cand.size() > kMaxCandidates) {
    cand.resize(kMaxCandidates);
    e.c.notes.push_back("lookup in " + ExprToString(set) + " cut to " + std::to_string(kMaxCandidates) + " elements");
  }
  // The miss path, then one path per candidate element.
  std::vector<Ctx> paths;
  Ctx miss = e.c;
  if (refs.size() == 1)
    for (const LElem* el : cand) Narrow(miss, refs[0], el->comps[0], false);
  // A generated value (numgen, jhash) is named by its value, "numgen = 1": it is not a
  // property of the packet the reader could check.
  const std::string& label = refs.size() == 1 ? refs[0].label : std::string();
  auto value_cond = [&](Ctx& c) {
    const NumSet& v = Dom(c, refs[0]).set;
    return label + (v.IsSingle() ? " = " : " in ") + DomToText(v, false, false);
  };
  for (const LElem* el : cand) {
    Ctx p = e.c;
    for (size_t i = 0; i < refs.size(); ++i) Narrow(p, refs[i], el->comps[i], true);
    if (!label.empty()) p.conds.push_back(value_cond(p));
    else p.conds.push_back(cand.size() == 1 && elems.size() == 1 ? cond : cond + " (element " + el->text + ")");
    on(p, el);
    paths.push_back(std::move(p));
  }
  bool miss_possible = label.empty() || !Dom(miss, refs[0]).set.Empty();
  if (miss_possible) {
    miss.conds.push_back(label.empty() ? "not (" + cond + ")" : value_cond(miss));
    on(miss, nullptr);
  }
  if (!miss_possible) {
    // Every value has its element: the first element's path continues as the current one.
    e.c = std::move(paths.front());
    for (size_t i = 1; i < paths.size(); ++i) e.extra.push_back(std::move(paths[i]));
    return true;
  }
  for (auto& p : paths) e.extra.push_back(std::move(p));
  e.c = std::move(miss);
  return true;
}

std::optional<bool> NamedSetContains(const Eval& e, const std::string& name, const Value& key) {
  const Set* s = NamedSet(e.table, name);
  if (!s || s->key.size() > 1) return std::nullopt;
  for (const SetElem& se : s->elems)
    if (se.lo.size() != 1 || se.lo[0].kind != Value::Kind::kInt) return std::nullopt;
  const World::IndexedSet& idx = IndexOf(e.w, *s);
  if (!idx.usable) return std::nullopt;
  return idx.index.Lookup(key) != nullptr;
}

void EvalConcatMatch(Eval& e) {
  const Stmt& s = e.stmt;
  bool neg = s.op == MatchOp::kNe;
  // Conditions describe the packet: "key in set" / "not (key in set)", whatever the operator.
  Stmt positive = s;
  positive.op = MatchOp::kImplicit;
  std::string cond = StmtToString(positive);
  bool ok = Lookup(e, s.e[0], s.e[1], cond, [&](Ctx& c, const LElem* el) {
    bool match = (el != nullptr) != neg;
    if (!match) c.rstate = RuleState::kNoMatch;
  });
  if (!ok) SplitOpaque(e, StmtToString(s), StmtToString(s));
}

}  // namespace nftc::sim
