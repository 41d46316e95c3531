#include "iptables/translate.h"

#include "iptables/translate_util.h"

namespace nftc::ipt {

using namespace detail;

void TranslateGeneric(const GenericMatch& g, const RuleCtx& ctx, Translation& out) {
  const bool v6 = ctx.family == Family::kIp6;
  const std::string opt = std::string(g.neg ? "! -" : "-") + g.opt;
  if (ctx.family != Family::kIp && ctx.family != Family::kIp6 && g.opt != 'i' && g.opt != 'o') {
    out.unknown.push_back(opt + " " + g.value);
    out.stmts.push_back(UnknownStmt("match " + opt, opt + " " + g.value));
    return;
  }
  switch (g.opt) {
    case 's':
    case 'd': {
      Field f = v6 ? (g.opt == 's' ? Field::kIp6Saddr : Field::kIp6Daddr)
                   : (g.opt == 's' ? Field::kIpSaddr : Field::kIpDaddr);
      AddAddrMatch(PayloadExpr(f, v6 ? DataType::kIpv6Addr : DataType::kIpv4Addr), g.value, v6, g.neg, opt,
                   out);
      return;
    }
    case 'i':
    case 'o': {
      // iptables' "eth+" is nft's "eth*"; a lone "+" matches every name.
      std::string n = g.value;
      if (!n.empty() && n.back() == '+') n.back() = '*';
      MetaKey k = g.opt == 'i' ? MetaKey::kIifname : MetaKey::kOifname;
      out.stmts.push_back(MatchStmt(MetaExpr(k, DataType::kIfname), StrExpr(std::move(n), DataType::kIfname), g.neg));
      return;
    }
    case 'p': {
      auto p = ProtoNumber(g.value);
      if (!p) {
        out.unknown.push_back(opt + " " + g.value);
        out.stmts.push_back(UnknownStmt("match -p", opt + " " + g.value));
        return;
      }
      if (*p == 0) {  // "all"
        if (g.neg) {
          out.unknown.push_back(opt + " " + g.value);
          out.stmts.push_back(UnknownStmt("match -p", opt + " " + g.value));  // never matches
        }
        return;
      }
      out.stmts.push_back(MatchStmt(MetaExpr(MetaKey::kL4proto, DataType::kInetProto),
                                    ValueExpr(*p, 8, DataType::kInetProto), g.neg));
      return;
    }
    case 'f': {
      if (v6) {
        out.unknown.push_back(opt);
        out.stmts.push_back(UnknownStmt("match -f", opt));
        return;
      }
      // Non-first fragment: (ip frag-off & 0x1fff) != 0. ip frag-off is bits 48..63 of the header.
      Expr raw;
      raw.kind = ExprKind::kPayload;
      raw.type = DataType::kInteger;
      raw.key = static_cast<uint16_t>(Field::kRaw);
      raw.flags = static_cast<uint16_t>(PayloadBase::kNh);
      raw.aux = 48;
      raw.len = 16;
      Expr lhs = BinopExpr(BinOp::kAnd, std::move(raw), ValueExpr(0x1fff, 16, DataType::kInteger));
      out.stmts.push_back(MatchStmt(std::move(lhs), ValueExpr(0, 16, DataType::kInteger), false,
                                    g.neg ? MatchOp::kEq : MatchOp::kNe));
      return;
    }
    default:
      out.unknown.push_back(opt);
      out.stmts.push_back(UnknownStmt("match " + opt, opt + " " + g.value));
  }
}

Translation TranslateRule(const SaveRule& r, Family family, const SaveTable* table) {
  Translation out;
  RuleCtx ctx;
  ctx.family = family;
  ctx.protocol = r.Protocol();
  ctx.chain = r.chain;
  ctx.save_table = table;
  if (table) ctx.table = table->name;
  // Interfaces first, then protocol and addresses, as iptables-nft orders them.
  for (char o : {'i', 'o', 'p', 's', 'd', 'f'})
    for (const auto& g : r.generic)
      if (g.opt == o) TranslateGeneric(g, ctx, out);
  for (const auto& m : r.modules) TranslateModule(m, ctx, out);
  if (!r.stray.empty()) {
    std::string t = Join(r.stray);
    out.unknown.push_back(t);
    out.stmts.push_back(UnknownStmt("option", t));
  }
  TranslateTarget(r.target, ctx, out);
  return out;
}

}  // namespace nftc::ipt
