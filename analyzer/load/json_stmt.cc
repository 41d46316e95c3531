// nft JSON statements and set elements -> model (see json_expr.h).

#include "load/json_expr.h"
#include "load/symbols.h"

namespace nftc {

namespace {

using json = JsonVal;

JsonVal Member(JsonVal j, const char* k) { return j.find(k); }
std::string_view Str(JsonVal j, const char* k) { return j.find(k).sv(); }

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
Expr ConvertTyped(JsonVal j, const std::vector<DataType>& types, ExprContext& ctx) {
  if (types.size() <= 1) return ConvertExpr(j, types.empty() ? DataType::kUnknown : types[0], ctx);
  if (j.is_object() && j.size() == 1) {
    std::string_view k = j.front().key();
  JsonVal v = j.front();
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
      JsonVal items = v;
      auto one = [&](JsonVal el) {
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
      if (JsonVal val = Member(v, "val")) return ConvertTyped(*val, types, ctx);
    }
  }
  return ConvertExpr(j, DataType::kUnknown, ctx);
}

MatchOp ParseOp(std::string_view op) {
  if (op == "==") return MatchOp::kEq;
  if (op == "!=") return MatchOp::kNe;
  if (op == "<") return MatchOp::kLt;
  if (op == ">") return MatchOp::kGt;
  if (op == "<=") return MatchOp::kLe;
  if (op == ">=") return MatchOp::kGe;
  if (op == "in") return MatchOp::kIn;
  return MatchOp::kImplicit;
}

Stmt UnknownStmt(JsonVal j, std::string_view kind, ExprContext& ctx) {
  Stmt s;
  s.kind = StmtKind::kUnknown;
  s.text = kind;
  s.json = j.dump();
  if (ctx.notes) {
    LoadNote n;
    n.kind = LoadNote::Kind::kUnknownExpr;
    n.message = "unknown statement '" + std::string(kind) + "': " + s.json;
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
DataType NatAddrType(JsonVal v, const ExprContext& ctx) {
  std::string_view fam = Str(v, "family");
  if (fam == "ip6" || (fam.empty() && ctx.fam == Family::kIp6)) return DataType::kIpv6Addr;
  if (fam == "ip" || ctx.fam == Family::kIp) return DataType::kIpv4Addr;
  return DataType::kUnknown;  // inet without family: decided by the literal
}

/// The data side of a map element: a verdict or data values.
void ConvertElemData(SetElem& el, JsonVal data, const Set& set, ExprContext& ctx) {
  if (!data) return;
  Verdict vd = ConvertVerdict(*data);
  if (vd.kind != VerdictKind::kNone) {
    el.verdict = vd;
    return;
  }
  Expr d = ConvertTyped(*data, set.data, ctx);
  if (d.kind == ExprKind::kConcat)
    for (const auto& c : d.kids) el.data.push_back(c.value);
  else
    el.data.push_back(d.value);
}

}  // namespace

Stmt ConvertStmt(JsonVal j, ExprContext& ctx) {
  Stmt s;
  if (!j.is_object() || j.size() != 1) return UnknownStmt(j, "statement", ctx);
  std::string_view k = j.front().key();
  JsonVal v = j.front();
  if (k == "match") {
    s.kind = StmtKind::kMatch;
    s.op = ParseOp(Str(v, "op"));
    JsonVal l = Member(v, "left");
    JsonVal r = Member(v, "right");
    if (!l || !r) return UnknownStmt(j, "match", ctx);
    Expr left = ConvertExpr(*l, DataType::kUnknown, ctx);
    std::vector<DataType> types = TypesOf(left);
    Expr right = ConvertTyped(*r, types, ctx);
    s.e.reserve(2);
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
    JsonVal key = Member(v, "key");
    JsonVal data = Member(v, "data");
    if (!key || !data) return UnknownStmt(j, "vmap", ctx);
    Expr ke = ConvertExpr(*key, DataType::kUnknown, ctx);
    std::vector<DataType> types = TypesOf(ke);
    s.e.reserve(2);
    s.e.push_back(std::move(ke));
    s.e.push_back(ConvertTyped(*data, types, ctx));
    return s;
  }
  if (k == "dnat" || k == "snat" || k == "masquerade" || k == "redirect") {
    s.kind = StmtKind::kNat;
    s.sub = uint8_t(k == "dnat" ? NatKind::kDnat : k == "snat" ? NatKind::kSnat
                    : k == "masquerade" ? NatKind::kMasquerade : NatKind::kRedirect);
    DataType at = NatAddrType(v, ctx);
    s.e.reserve(2);
    Expr none;
    none.kind = ExprKind::kSymbol;
    JsonVal addr = Member(v, "addr");
    JsonVal port = Member(v, "port");
    s.e.push_back(addr ? ConvertExpr(*addr, at, ctx) : none);
    s.e.push_back(port ? ConvertExpr(*port, DataType::kInetService, ctx) : none);
    if (JsonVal fl = Member(v, "flags")) {
      auto add = [&](std::string_view f) {
        if (f == "random") s.nat_flags |= kNatRandom;
        else if (f == "fully-random") s.nat_flags |= kNatFullyRandom;
        else if (f == "persistent") s.nat_flags |= kNatPersistent;
        else if (f == "netmap") s.nat_flags |= kNatNetmap;
      };
      if (fl->is_array())
        for (const auto& f : *fl) {
          if (f.is_string()) add(f.sv());
        }
      else if (fl->is_string())
        add(fl->sv());
    }
    return s;
  }
  if (k == "reject") {
    s.kind = StmtKind::kReject;
    std::string_view type = Str(v, "type");
    s.sub = type.empty() ? 0 : type == "icmp" || type == "icmpv6" ? 1 : type == "icmpx" ? 2 : 3;
    s.text = Str(v, "expr");
    return s;
  }
  if (k == "mangle") {
    s.kind = StmtKind::kMangle;
    JsonVal key = Member(v, "key");
    JsonVal val = Member(v, "value");
    if (!key || !val) return UnknownStmt(j, "mangle", ctx);
    Expr ke = ConvertExpr(*key, DataType::kUnknown, ctx);
    DataType t = ke.type;
    s.e.reserve(2);
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
    JsonVal inv = Member(v, "inv");
    s.sub = inv && inv->is_boolean() && inv->get<bool>() ? 1 : 0;
    // The text nft prints after "limit rate [over ]" (statement.c, limit_stmt_print), so a
    // rule reads the same from JSON, .nft text and iptables-save: packet rates show the
    // burst only when it is not nft's default 5 ("3/minute burst 10 packets"), byte rates
    // with their units ("1 mbytes/second burst 5 mbytes") when it is not 0.
    JsonVal rate = Member(v, "rate");
    JsonVal burst = Member(v, "burst");
    std::string b = burst ? burst->dump() : std::string("0");
    std::string_view unit = Str(v, "rate_unit");
    std::string text = rate ? rate->dump() : std::string("?");
    if (!unit.empty() && unit != "packets") {
      text += " " + std::string(unit) + "/" + std::string(Str(v, "per"));
      std::string_view bunit = Str(v, "burst_unit");
      if (b != "0") text += " burst " + b + " " + std::string(bunit.empty() ? "bytes" : bunit);
    } else {
      text += "/" + std::string(Str(v, "per"));
      if (b != "0" && b != "5") text += " burst " + b + " packets";
    }
    s.text = text;
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
    if (JsonVal el = Member(v, "elem")) s.e.push_back(ConvertExpr(*el, DataType::kUnknown, ctx));
    return s;
  }
  if (k == "xt") {
    s.kind = StmtKind::kXt;
    XtInfo xt;
    std::string_view type = Str(v, "type");
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

SetElem ConvertElem(JsonVal j, const Set& set, ExprContext& ctx) {
  SetElem el;
  JsonVal key = j;
  JsonVal data;
  if (set.is_map && j.is_array() && j.size() == 2) {
    key = j[0];
    data = j[1];
  }
  if (key->is_object() && key->size() == 1 && key->front().key() == "elem") {
    JsonVal inner = key->front();
    if (JsonVal c = Member(inner, "comment"); c && c->is_string()) el.comment = c->get<std::string>();
    if (JsonVal val = Member(inner, "val")) key = val;
  }
  // The common case, one scalar key ("10.0.0.1", 443, "eth0"): the same Value the
  // expression path below yields, without building an expression tree.
  if (set.key.size() <= 1 && (key.is_number_unsigned() || (key.is_string() && !key.sv().starts_with('@')))) {
    DataType t = set.key.empty() ? DataType::kUnknown : set.key[0];
    bool ok = true;
    Value v = key.is_string() ? MakeValue(t, key.sv(), &ok) : MakeValue(t, u128(key.as_u64()));
    el.lo.push_back(v);
    el.hi.push_back(std::move(v));
    ConvertElemData(el, data, set, ctx);
    return el;
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
    el.lo.reserve(k.kids.size());
    el.hi.reserve(k.kids.size());
    for (size_t i = 0; i < k.kids.size(); ++i)
      add_component(k.kids[i], i < set.key.size() ? set.key[i] : DataType::kUnknown);
  } else {
    add_component(k, set.key.empty() ? DataType::kUnknown : set.key[0]);
  }
  ConvertElemData(el, data, set, ctx);
  return el;
}

}  // namespace nftc
