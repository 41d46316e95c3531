// nft JSON statements and set elements -> model (see json_expr.h).
#include <nlohmann/json.hpp>

#include "load/json_expr.h"
#include "load/symbols.h"

namespace nftc {

namespace {

using json = nlohmann::json;

const json* Member(const json& j, const char* k) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(k);
  return it == j.end() ? nullptr : &*it;
}
std::string Str(const json& j, const char* k) {
  const json* m = Member(j, k);
  return m && m->is_string() ? m->get<std::string>() : std::string();
}

/// Datatypes of the components of a packet-side expression (one, or several for concat).
std::vector<DataType> TypesOf(const Expr& e) {
  if (e.kind == ExprKind::kConcat) {
    std::vector<DataType> t;
    for (const auto& k : e.kids) t.push_back(k.type);
    return t;
  }
  return {e.type};
}

/// Converts a constant side with per-component datatypes (for concatenations).
Expr ConvertTyped(const json& j, const std::vector<DataType>& types, ExprContext& ctx) {
  if (types.size() <= 1) return ConvertExpr(j, types.empty() ? DataType::kUnknown : types[0], ctx);
  if (j.is_object() && j.size() == 1) {
    const std::string& k = j.begin().key();
  const json& v = j.begin().value();
    if (k == "concat" && v.is_array()) {
      Expr e;
      e.kind = ExprKind::kConcat;
      for (size_t i = 0; i < v.size(); ++i)
        e.kids.push_back(ConvertExpr(v[i], i < types.size() ? types[i] : DataType::kUnknown, ctx));
      return e;
    }
    if (k == "set") {
      Expr e;
      e.kind = ExprKind::kSet;
      const json& items = v;
      auto one = [&](const json& el) {
        if (el.is_array() && el.size() == 2) {
          Expr me;
          me.kind = ExprKind::kMapElem;
          me.kids.push_back(ConvertTyped(el[0], types, ctx));
          Verdict vd = ConvertVerdict(el[1]);
          Expr d;
          if (vd.kind != VerdictKind::kNone) {
            d.kind = ExprKind::kVerdict;
            d.type = DataType::kVerdict;
            d.verdict = vd;
          } else {
            d = ConvertExpr(el[1], DataType::kUnknown, ctx);
          }
          me.kids.push_back(std::move(d));
          e.kids.push_back(std::move(me));
        } else {
          e.kids.push_back(ConvertTyped(el, types, ctx));
        }
      };
      if (items.is_array())
        for (const auto& el : items) one(el);
      else
        one(items);
      return e;
    }
    if (k == "elem") {
      if (const json* val = Member(v, "val")) return ConvertTyped(*val, types, ctx);
    }
  }
  return ConvertExpr(j, DataType::kUnknown, ctx);
}

MatchOp ParseOp(const std::string& op) {
  if (op == "==") return MatchOp::kEq;
  if (op == "!=") return MatchOp::kNe;
  if (op == "<") return MatchOp::kLt;
  if (op == ">") return MatchOp::kGt;
  if (op == "<=") return MatchOp::kLe;
  if (op == ">=") return MatchOp::kGe;
  if (op == "in") return MatchOp::kIn;
  return MatchOp::kImplicit;
}

Stmt UnknownStmt(const json& j, const std::string& kind, ExprContext& ctx) {
  Stmt s;
  s.kind = StmtKind::kUnknown;
  s.text = kind;
  s.json = j.dump();
  if (ctx.notes) {
    LoadNote n;
    n.kind = LoadNote::Kind::kUnknownExpr;
    n.message = "unknown statement '" + kind + "': " + s.json;
    if (ctx.where) n.where = *ctx.where;
    n.family = ctx.family;
    n.table = ctx.table;
    n.chain = ctx.chain;
    n.handle = ctx.handle;
    ctx.notes->push_back(std::move(n));
  }
  return s;
}

/// Address side of a NAT statement: its datatype follows the NAT family (ip/ip6).
DataType NatAddrType(const json& v, const ExprContext& ctx) {
  std::string fam = Str(v, "family");
  if (fam == "ip6" || (fam.empty() && ctx.fam == Family::kIp6)) return DataType::kIpv6Addr;
  if (fam == "ip" || ctx.fam == Family::kIp) return DataType::kIpv4Addr;
  return DataType::kUnknown;  // inet without family: decided by the literal
}

}  // namespace

Stmt ConvertStmt(const json& j, ExprContext& ctx) {
  Stmt s;
  if (!j.is_object() || j.size() != 1) return UnknownStmt(j, "statement", ctx);
  const std::string& k = j.begin().key();
  const json& v = j.begin().value();
  if (k == "match") {
    s.kind = StmtKind::kMatch;
    s.op = ParseOp(Str(v, "op"));
    const json* l = Member(v, "left");
    const json* r = Member(v, "right");
    if (!l || !r) return UnknownStmt(j, "match", ctx);
    Expr left = ConvertExpr(*l, DataType::kUnknown, ctx);
    std::vector<DataType> types = TypesOf(left);
    Expr right = ConvertTyped(*r, types, ctx);
    s.e.push_back(std::move(left));
    s.e.push_back(std::move(right));
    return s;
  }
  Verdict vd = ConvertVerdict(j);
  if (vd.kind != VerdictKind::kNone) {
    s.kind = StmtKind::kVerdict;
    s.verdict = vd;
    return s;
  }
  if (k == "counter") {
    s.kind = StmtKind::kCounter;
    return s;
  }
  if (k == "vmap") {
    s.kind = StmtKind::kVmap;
    const json* key = Member(v, "key");
    const json* data = Member(v, "data");
    if (!key || !data) return UnknownStmt(j, "vmap", ctx);
    Expr ke = ConvertExpr(*key, DataType::kUnknown, ctx);
    std::vector<DataType> types = TypesOf(ke);
    s.e.push_back(std::move(ke));
    s.e.push_back(ConvertTyped(*data, types, ctx));
    return s;
  }
  if (k == "dnat" || k == "snat" || k == "masquerade" || k == "redirect") {
    s.kind = StmtKind::kNat;
    s.sub = uint8_t(k == "dnat" ? NatKind::kDnat : k == "snat" ? NatKind::kSnat
                    : k == "masquerade" ? NatKind::kMasquerade : NatKind::kRedirect);
    DataType at = NatAddrType(v, ctx);
    Expr none;
    none.kind = ExprKind::kSymbol;
    const json* addr = Member(v, "addr");
    const json* port = Member(v, "port");
    s.e.push_back(addr ? ConvertExpr(*addr, at, ctx) : none);
    s.e.push_back(port ? ConvertExpr(*port, DataType::kInetService, ctx) : none);
    if (const json* fl = Member(v, "flags")) {
      auto add = [&](const std::string& f) {
        if (f == "random") s.nat_flags |= kNatRandom;
        else if (f == "fully-random") s.nat_flags |= kNatFullyRandom;
        else if (f == "persistent") s.nat_flags |= kNatPersistent;
        else if (f == "netmap") s.nat_flags |= kNatNetmap;
      };
      if (fl->is_array())
        for (const auto& f : *fl) {
          if (f.is_string()) add(f.get<std::string>());
        }
      else if (fl->is_string())
        add(fl->get<std::string>());
    }
    return s;
  }
  if (k == "reject") {
    s.kind = StmtKind::kReject;
    std::string type = Str(v, "type");
    s.sub = type.empty() ? 0 : type == "icmp" || type == "icmpv6" ? 1 : type == "icmpx" ? 2 : 3;
    s.text = Str(v, "expr");
    return s;
  }
  if (k == "mangle") {
    s.kind = StmtKind::kMangle;
    const json* key = Member(v, "key");
    const json* val = Member(v, "value");
    if (!key || !val) return UnknownStmt(j, "mangle", ctx);
    Expr ke = ConvertExpr(*key, DataType::kUnknown, ctx);
    DataType t = ke.type;
    s.e.push_back(std::move(ke));
    s.e.push_back(ConvertExpr(*val, t, ctx));
    return s;
  }
  if (k == "log") {
    s.kind = StmtKind::kLog;
    s.text = Str(v, "prefix");
    return s;
  }
  if (k == "limit") {
    s.kind = StmtKind::kLimit;
    const json* inv = Member(v, "inv");
    s.sub = inv && inv->is_boolean() && inv->get<bool>() ? 1 : 0;
    const json* rate = Member(v, "rate");
    s.text = (rate ? rate->dump() : std::string("?")) + "/" + Str(v, "per");
    return s;
  }
  if (k == "quota") {
    s.kind = StmtKind::kQuota;
    return s;
  }
  if (k == "notrack") {
    s.kind = StmtKind::kNotrack;
    return s;
  }
  if (k == "flow") {
    s.kind = StmtKind::kFlowAdd;
    s.text = Str(v, "flowtable");
    if (!s.text.empty() && s.text[0] == '@') s.text.erase(0, 1);
    return s;
  }
  if (k == "set" || k == "map") {
    s.kind = StmtKind::kSetUpdate;
    s.text = Str(v, k == "set" ? "set" : "map");
    if (!s.text.empty() && s.text[0] == '@') s.text.erase(0, 1);
    if (const json* el = Member(v, "elem")) s.e.push_back(ConvertExpr(*el, DataType::kUnknown, ctx));
    return s;
  }
  if (k == "xt") {
    s.kind = StmtKind::kXt;
    XtInfo xt;
    std::string type = Str(v, "type");
    xt.type = type == "target" ? XtType::kTarget : type == "watcher" ? XtType::kWatcher : XtType::kMatch;
    xt.name = Str(v, "name");
    s.xt = std::move(xt);
    return s;
  }
  // Known statements that never change the packet's fate.
  static const char* kHarmless[] = {"ct helper", "ct timeout", "ct expectation", "secmark", "last", "synproxy"};
  for (const char* h : kHarmless)
    if (k == h) {
      s.kind = StmtKind::kOther;
      s.text = k;
      return s;
    }
  // Everything else (tproxy, fwd, dup, meter, ct count, queue with maps, ...) may change the
  // outcome: keep it as unknown so the simulator forks and lint reports it.
  return UnknownStmt(j, k, ctx);
}

SetElem ConvertElem(const json& j, const Set& set, ExprContext& ctx) {
  SetElem el;
  const json* key = &j;
  const json* data = nullptr;
  if (set.is_map && j.is_array() && j.size() == 2) {
    key = &j[0];
    data = &j[1];
  }
  if (key->is_object() && key->size() == 1 && key->begin().key() == "elem") {
    const json& inner = key->begin().value();
    if (const json* c = Member(inner, "comment"); c && c->is_string()) el.comment = c->get<std::string>();
    if (const json* val = Member(inner, "val")) key = val;
  }
  Expr k = ConvertTyped(*key, set.key, ctx);
  auto add_component = [&](const Expr& c, DataType t) {
    if (c.kind == ExprKind::kPrefix && !c.kids.empty()) {
      const Value& a = c.kids[0].value;
      uint8_t bits = a.bits ? a.bits : DataTypeBits(t);
      u128 host = c.aux >= bits ? 0 : (bits >= 128 ? ~u128(0) : ((u128(1) << bits) - 1)) >> c.aux;
      Value lo = a, hi = a;
      lo.num = a.num & ~host;
      hi.num = a.num | host;
      el.lo.push_back(lo);
      el.hi.push_back(hi);
    } else if (c.kind == ExprKind::kRange && c.kids.size() == 2) {
      el.lo.push_back(c.kids[0].value);
      el.hi.push_back(c.kids[1].value);
    } else {
      el.lo.push_back(c.value);
      el.hi.push_back(c.value);
    }
  };
  if (k.kind == ExprKind::kConcat) {
    for (size_t i = 0; i < k.kids.size(); ++i)
      add_component(k.kids[i], i < set.key.size() ? set.key[i] : DataType::kUnknown);
  } else {
    add_component(k, set.key.empty() ? DataType::kUnknown : set.key[0]);
  }
  if (data) {
    Verdict vd = ConvertVerdict(*data);
    if (vd.kind != VerdictKind::kNone) {
      el.verdict = vd;
    } else {
      Expr d = ConvertTyped(*data, set.data, ctx);
      if (d.kind == ExprKind::kConcat)
        for (const auto& c : d.kids) el.data.push_back(c.value);
      else
        el.data.push_back(d.value);
    }
  }
  return el;
}

}  // namespace nftc
