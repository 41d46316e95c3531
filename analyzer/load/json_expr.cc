#include "load/json_expr.h"


#include "load/symbols.h"
#include "model/hash_expr.h"
#include "nftc/error.h"

namespace nftc {

namespace {

using json = JsonVal;

struct FieldName {
  std::string_view proto, field;
  Field id;
  DataType type;
};
constexpr FieldName kFields[] = {
    {"ip", "saddr", Field::kIpSaddr, DataType::kIpv4Addr},
    {"ip", "daddr", Field::kIpDaddr, DataType::kIpv4Addr},
    {"ip", "protocol", Field::kIpProtocol, DataType::kInetProto},
    {"ip", "ttl", Field::kIpTtl, DataType::kInteger},
    {"ip", "length", Field::kIpLength, DataType::kInteger},
    {"ip", "dscp", Field::kIpDscp, DataType::kInteger},
    {"ip", "id", Field::kIpId, DataType::kInteger},
    {"ip", "version", Field::kIpVersion, DataType::kInteger},
    {"ip6", "saddr", Field::kIp6Saddr, DataType::kIpv6Addr},
    {"ip6", "daddr", Field::kIp6Daddr, DataType::kIpv6Addr},
    {"ip6", "nexthdr", Field::kIp6Nexthdr, DataType::kInetProto},
    {"ip6", "hoplimit", Field::kIp6Hoplimit, DataType::kInteger},
    {"ip6", "length", Field::kIp6Length, DataType::kInteger},
    {"tcp", "sport", Field::kTcpSport, DataType::kInetService},
    {"tcp", "dport", Field::kTcpDport, DataType::kInetService},
    {"tcp", "flags", Field::kTcpFlags, DataType::kTcpFlags},
    {"udp", "sport", Field::kUdpSport, DataType::kInetService},
    {"udp", "dport", Field::kUdpDport, DataType::kInetService},
    {"th", "sport", Field::kThSport, DataType::kInetService},
    {"th", "dport", Field::kThDport, DataType::kInetService},
    {"sctp", "sport", Field::kSctpSport, DataType::kInetService},
    {"sctp", "dport", Field::kSctpDport, DataType::kInetService},
    {"dccp", "sport", Field::kDccpSport, DataType::kInetService},
    {"dccp", "dport", Field::kDccpDport, DataType::kInetService},
    {"udplite", "sport", Field::kUdpliteSport, DataType::kInetService},
    {"udplite", "dport", Field::kUdpliteDport, DataType::kInetService},
    {"icmp", "type", Field::kIcmpType, DataType::kIcmpType},
    {"icmp", "code", Field::kIcmpCode, DataType::kIcmpCode},
    {"icmpv6", "type", Field::kIcmpv6Type, DataType::kIcmpv6Type},
    {"icmpv6", "code", Field::kIcmpv6Code, DataType::kIcmpCode},
    {"ether", "saddr", Field::kEtherSaddr, DataType::kEtherAddr},
    {"ether", "daddr", Field::kEtherDaddr, DataType::kEtherAddr},
    {"ether", "type", Field::kEtherType, DataType::kEtherType},
    {"arp", "operation", Field::kArpOperation, DataType::kInteger},
};

struct KeyName {
  std::string_view name;
  uint16_t id;
  DataType type;
};
constexpr KeyName kMetaKeys[] = {
    {"iifname", uint16_t(MetaKey::kIifname), DataType::kIfname},
    {"oifname", uint16_t(MetaKey::kOifname), DataType::kIfname},
    {"iif", uint16_t(MetaKey::kIif), DataType::kIfindex},
    {"oif", uint16_t(MetaKey::kOif), DataType::kIfindex},
    {"iiftype", uint16_t(MetaKey::kIiftype), DataType::kInteger},
    {"oiftype", uint16_t(MetaKey::kOiftype), DataType::kInteger},
    {"l4proto", uint16_t(MetaKey::kL4proto), DataType::kInetProto},
    {"nfproto", uint16_t(MetaKey::kNfproto), DataType::kNfProto},
    {"protocol", uint16_t(MetaKey::kProtocol), DataType::kEtherType},
    {"mark", uint16_t(MetaKey::kMark), DataType::kMark},
    {"pkttype", uint16_t(MetaKey::kPkttype), DataType::kPktType},
    {"skuid", uint16_t(MetaKey::kSkuid), DataType::kInteger},
    {"skgid", uint16_t(MetaKey::kSkgid), DataType::kInteger},
    {"length", uint16_t(MetaKey::kLength), DataType::kInteger},
    {"priority", uint16_t(MetaKey::kPriority), DataType::kInteger},
    {"cpu", uint16_t(MetaKey::kCpu), DataType::kInteger},
    {"iifgroup", uint16_t(MetaKey::kIifgroup), DataType::kInteger},
    {"oifgroup", uint16_t(MetaKey::kOifgroup), DataType::kInteger},
    {"cgroup", uint16_t(MetaKey::kCgroup), DataType::kInteger},
    {"random", uint16_t(MetaKey::kRandom), DataType::kInteger},
    {"secmark", uint16_t(MetaKey::kSecmark), DataType::kInteger},
    {"nftrace", uint16_t(MetaKey::kNftrace), DataType::kInteger},
    {"iifkind", uint16_t(MetaKey::kIifkind), DataType::kString},
    {"oifkind", uint16_t(MetaKey::kOifkind), DataType::kString},
    {"time", uint16_t(MetaKey::kTime), DataType::kInteger},
    {"day", uint16_t(MetaKey::kDay), DataType::kInteger},
    {"hour", uint16_t(MetaKey::kHour), DataType::kInteger},
    {"ibrname", uint16_t(MetaKey::kBriIifname), DataType::kIfname},
    {"obrname", uint16_t(MetaKey::kBriOifname), DataType::kIfname},
    {"ipsec", uint16_t(MetaKey::kIpsec), DataType::kBoolean},
    {"secpath", uint16_t(MetaKey::kSecpath), DataType::kBoolean},
};
constexpr KeyName kCtKeys[] = {
    {"state", uint16_t(CtKey::kState), DataType::kCtState},
    {"status", uint16_t(CtKey::kStatus), DataType::kCtStatus},
    {"mark", uint16_t(CtKey::kMark), DataType::kMark},
    {"direction", uint16_t(CtKey::kDirection), DataType::kCtDir},
    {"expiration", uint16_t(CtKey::kExpiration), DataType::kInteger},
    {"helper", uint16_t(CtKey::kHelper), DataType::kString},
    {"l3proto", uint16_t(CtKey::kL3proto), DataType::kNfProto},
    {"protocol", uint16_t(CtKey::kProtocol), DataType::kInetProto},
    {"saddr", uint16_t(CtKey::kSaddr), DataType::kUnknown},
    {"daddr", uint16_t(CtKey::kDaddr), DataType::kUnknown},
    {"ip saddr", uint16_t(CtKey::kSaddr), DataType::kIpv4Addr},
    {"ip daddr", uint16_t(CtKey::kDaddr), DataType::kIpv4Addr},
    {"ip6 saddr", uint16_t(CtKey::kSaddr), DataType::kIpv6Addr},
    {"ip6 daddr", uint16_t(CtKey::kDaddr), DataType::kIpv6Addr},
    {"proto-src", uint16_t(CtKey::kProtoSrc), DataType::kInetService},
    {"proto-dst", uint16_t(CtKey::kProtoDst), DataType::kInetService},
    {"zone", uint16_t(CtKey::kZone), DataType::kInteger},
    {"label", uint16_t(CtKey::kLabel), DataType::kInteger},
    {"count", uint16_t(CtKey::kCount), DataType::kInteger},
    {"id", uint16_t(CtKey::kId), DataType::kInteger},
};

template <size_t N>
const KeyName* FindKey(const KeyName (&t)[N], std::string_view n) {
  for (const auto& k : t)
    if (k.name == n) return &k;
  return nullptr;
}

void Note(ExprContext& ctx, LoadNote::Kind kind, std::string msg) {
  if (!ctx.notes) return;
  LoadNote n;
  n.kind = kind;
  n.message = std::move(msg);
  if (ctx.where) n.where = *ctx.where;
  n.family = ctx.family;
  n.table = ctx.table;
  n.chain = ctx.chain;
  n.handle = ctx.handle;
  ctx.notes->push_back(std::move(n));
}

Expr Unknown(JsonVal j, std::string kind, ExprContext& ctx) {
  Expr e;
  e.kind = ExprKind::kUnknown;
  e.name = std::move(kind);
  e.json = j.dump();
  // numgen/jhash/symhash with "mod" stay kUnknown with their JSON but are modelled.
  if (!ParseHashExpr(e)) Note(ctx, LoadNote::Kind::kUnknownExpr, "unknown expression '" + e.name + "': " + e.json);
  return e;
}

Expr Literal(JsonVal j, DataType type, ExprContext& ctx) {
  Expr e;
  e.kind = ExprKind::kValue;
  e.type = type;
  if (j.is_string()) {
    std::string_view s = j.sv();
    bool ok = true;
    e.value = MakeValue(type, s, &ok);
    if (!ok) {
      e.kind = ExprKind::kSymbol;
      e.name = s;
    }
  } else if (j.is_number_unsigned()) {
    uint64_t v = j.get<uint64_t>();
    // nft refuses a constant wider than the other side ("exceeds valid range"): such input
    // is not nft's, and comparing it would silently never match.
    const uint8_t bits = DataTypeBits(type);
    if (bits > 0 && bits < 64 && v > ((uint64_t{1} << bits) - 1))
      return Unknown(j, "constant wider than " + std::string(ToString(type)), ctx);
    e.value = MakeValue(type, u128(v));
  } else if (j.is_number_integer()) {
    int64_t v = j.get<int64_t>();
    // Negative literals appear for signed priorities only; keep two's complement in 64 bits.
    e.value = MakeValue(type, u128(static_cast<uint64_t>(v)));
  } else if (j.is_boolean()) {
    e.value = MakeValue(DataType::kBoolean, u128(j.get<bool>() ? 1 : 0));
  } else if (j.is_number_float()) {
    return Unknown(j, "float", ctx);
  } else {
    return Unknown(j, "literal", ctx);
  }
  return e;
}

BinOp ParseBinOp(std::string_view op, bool* ok) {
  *ok = true;
  if (op == "&") return BinOp::kAnd;
  if (op == "|") return BinOp::kOr;
  if (op == "^") return BinOp::kXor;
  if (op == "<<") return BinOp::kLshift;
  if (op == ">>") return BinOp::kRshift;
  *ok = false;
  return BinOp::kAnd;
}

JsonVal Member(JsonVal j, const char* k) { return j.find(k); }
std::string_view Str(JsonVal j, const char* k) { return j.find(k).sv(); }

}  // namespace

DataType TypeOf(const Expr& e) { return e.type; }

Verdict ConvertVerdict(JsonVal j) {
  Verdict v;
  if (!j.is_object() || j.size() != 1) return v;
  std::string_view k = j.front().key();
  JsonVal val = j.front();
  if (k == "accept") v.kind = VerdictKind::kAccept;
  else if (k == "drop") v.kind = VerdictKind::kDrop;
  else if (k == "continue") v.kind = VerdictKind::kContinue;
  else if (k == "return") v.kind = VerdictKind::kReturn;
  else if (k == "queue") v.kind = VerdictKind::kQueue;
  else if (k == "jump" || k == "goto") {
    v.kind = k == "jump" ? VerdictKind::kJump : VerdictKind::kGoto;
    v.chain = Str(val, "target");
  }
  return v;
}

Expr ConvertExpr(JsonVal j, DataType type, ExprContext& ctx) {
  if (j.is_string()) {
    std::string_view s = j.sv();
    if (!s.empty() && s[0] == '@') {
      Expr e;
      e.kind = ExprKind::kSetRef;
      e.name = s.substr(1);
      e.type = type;
      return e;
    }
    return Literal(j, type, ctx);
  }
  if (j.is_array()) {
    // A bare list: flags (ct state established,related) or, for non-bitmask types, a set.
    Expr e;
    e.type = type;
    if (IsBitmaskType(type)) {
      e.kind = ExprKind::kFlags;
      u128 mask = 0;
      for (const auto& f : j) {
        Expr one = Literal(f, type, ctx);
        if (one.kind != ExprKind::kValue) return Unknown(j, "flag list", ctx);
        mask |= one.value.num;
      }
      e.value = MakeValue(type, mask);
      return e;
    }
    e.kind = ExprKind::kSet;
    for (const auto& f : j) e.kids.push_back(ConvertExpr(f, type, ctx));
    return e;
  }
  if (!j.is_object()) return Literal(j, type, ctx);
  if (j.size() != 1) return Unknown(j, "object", ctx);
  std::string_view k = j.front().key();
  JsonVal v = j.front();
  Expr e;
  if (k == "payload") {
    e.kind = ExprKind::kPayload;
    std::string_view proto = Str(v, "protocol"), field = Str(v, "field");
    if (!proto.empty()) {
      for (const auto& f : kFields)
        if (f.proto == proto && f.field == field) {
          e.key = uint16_t(f.id);
          e.type = f.type;
          return e;
        }
      return Unknown(j, "payload " + std::string(proto) + " " + std::string(field), ctx);
    }
    std::string_view base = Str(v, "base");
    e.key = uint16_t(Field::kRaw);
    e.flags = base == "ll" ? uint16_t(PayloadBase::kLl) : base == "nh" ? uint16_t(PayloadBase::kNh)
              : base == "ih" ? uint16_t(PayloadBase::kIh) : uint16_t(PayloadBase::kTh);
    JsonVal off = Member(v, "offset");
    JsonVal len = Member(v, "len");
    if (!off || !len || !off->is_number_unsigned() || !len->is_number_unsigned()) return Unknown(j, "payload", ctx);
    e.aux = off->get<uint32_t>();
    e.len = len->get<uint32_t>();
    e.type = DataType::kInteger;
    return e;
  }
  if (k == "meta") {
    const KeyName* key = FindKey(kMetaKeys, Str(v, "key"));
    if (!key) return Unknown(j, "meta " + std::string(Str(v, "key")), ctx);
    e.kind = ExprKind::kMeta;
    e.key = key->id;
    e.type = key->type;
    return e;
  }
  if (k == "ct") {
    std::string_view key = Str(v, "key");
    std::string_view fam = Str(v, "family");
    const KeyName* kn = fam.empty() ? FindKey(kCtKeys, key) : FindKey(kCtKeys, std::string(fam) + " " + std::string(key));
    if (!kn) kn = FindKey(kCtKeys, key);
    if (!kn) return Unknown(j, "ct " + std::string(key), ctx);
    e.kind = ExprKind::kCt;
    e.key = kn->id;
    e.type = kn->type;
    std::string_view dir = Str(v, "dir");
    e.aux = uint32_t(dir == "original" ? CtDir::kOriginal : dir == "reply" ? CtDir::kReply : CtDir::kNone);
    return e;
  }
  if (k == "fib") {
    e.kind = ExprKind::kFib;
    std::string_view res = Str(v, "result");
    if (res == "type") e.key = uint16_t(FibResult::kType), e.type = DataType::kFibAddrType;
    else if (res == "oif") e.key = uint16_t(FibResult::kOif), e.type = DataType::kIfindex;
    else if (res == "oifname") e.key = uint16_t(FibResult::kOifname), e.type = DataType::kIfname;
    else return Unknown(j, "fib " + std::string(res), ctx);
    JsonVal fl = Member(v, "flags");
    auto add = [&](std::string_view f) {
      if (f == "saddr") e.flags |= kFibSaddr;
      else if (f == "daddr") e.flags |= kFibDaddr;
      else if (f == "mark") e.flags |= kFibMark;
      else if (f == "iif") e.flags |= kFibIif;
      else if (f == "oif") e.flags |= kFibOif;
    };
    if (fl && fl->is_array())
      for (const auto& f : *fl) {
        if (f.is_string()) add(f.sv());
      }
    else if (fl && fl->is_string()) add(fl->sv());
    return e;
  }
  if (k == "prefix") {
    e.kind = ExprKind::kPrefix;
    e.type = type;
    JsonVal a = Member(v, "addr");
    JsonVal l = Member(v, "len");
    if (!a || !l || !l->is_number_unsigned()) return Unknown(j, "prefix", ctx);
    e.kids.push_back(ConvertExpr(*a, type, ctx));
    e.aux = l->get<uint32_t>();
    return e;
  }
  if (k == "range") {
    if (!v.is_array() || v.size() != 2) return Unknown(j, "range", ctx);
    e.kind = ExprKind::kRange;
    e.type = type;
    e.kids.reserve(2);
    e.kids.push_back(ConvertExpr(v[0], type, ctx));
    e.kids.push_back(ConvertExpr(v[1], type, ctx));
    return e;
  }
  if (k == "set") {
    e.kind = ExprKind::kSet;
    e.type = type;
    e.kids.reserve(v.is_array() ? v.size() : 1);
    if (v.is_array()) {
      for (const auto& el : v) {
        if (el.is_array() && el.size() == 2) {  // map element [key, data]
          Expr me;
          me.kind = ExprKind::kMapElem;
          me.kids.push_back(ConvertExpr(el[0], type, ctx));
          Verdict vd = ConvertVerdict(el[1]);
          if (vd.kind != VerdictKind::kNone) {
            Expr ve;
            ve.kind = ExprKind::kVerdict;
            ve.type = DataType::kVerdict;
            ve.verdict = vd;
            me.kids.push_back(std::move(ve));
          } else {
            me.kids.push_back(ConvertExpr(el[1], DataType::kUnknown, ctx));
          }
          e.kids.push_back(std::move(me));
        } else {
          e.kids.push_back(ConvertExpr(el, type, ctx));
        }
      }
    } else {
      e.kids.push_back(ConvertExpr(v, type, ctx));
    }
    return e;
  }
  if (k == "elem") {  // element with attributes (timeout, comment)
    JsonVal val = Member(v, "val");
    if (!val) return Unknown(j, "elem", ctx);
    return ConvertExpr(*val, type, ctx);
  }
  if (k == "concat") {
    if (!v.is_array()) return Unknown(j, "concat", ctx);
    e.kind = ExprKind::kConcat;
    e.kids.reserve(v.size());
    for (const auto& part : v) e.kids.push_back(ConvertExpr(part, DataType::kUnknown, ctx));
    return e;
  }
  if (k == "map") {
    JsonVal key = Member(v, "key");
    JsonVal data = Member(v, "data");
    if (!key || !data) return Unknown(j, "map", ctx);
    e.kind = ExprKind::kMapLookup;
    e.kids.reserve(2);
    e.kids.push_back(ConvertExpr(*key, DataType::kUnknown, ctx));
    e.kids.push_back(ConvertExpr(*data, e.kids[0].type, ctx));
    e.type = type;
    return e;
  }
  bool isop = false;
  BinOp op = ParseBinOp(k, &isop);
  if (isop) {
    if (!v.is_array() || v.size() != 2) return Unknown(j, "binop", ctx);
    e.kind = ExprKind::kBinop;
    e.kids.reserve(2);
    e.aux = uint32_t(op);
    e.kids.push_back(ConvertExpr(v[0], type, ctx));
    DataType lt = e.kids[0].type;
    e.type = lt;
    e.kids.push_back(ConvertExpr(v[1], op == BinOp::kLshift || op == BinOp::kRshift ? DataType::kInteger : lt, ctx));
    return e;
  }
  Verdict vd = ConvertVerdict(j);
  if (vd.kind != VerdictKind::kNone) {
    e.kind = ExprKind::kVerdict;
    e.type = DataType::kVerdict;
    e.verdict = vd;
    return e;
  }
  return Unknown(j, std::string(k), ctx);
}

}  // namespace nftc
