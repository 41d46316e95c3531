// "-j NAME opts" / "-g CHAIN" -> model statements (verdicts, NAT, reject, marks, log, ...).
#include <map>

#include "iptables/translate.h"
#include "iptables/translate_util.h"

namespace nftc::ipt {

using namespace detail;

namespace {

struct TCtx {
  const Target& t;
  const RuleCtx& rc;
  Translation& out;
  bool v6() const { return rc.family == Family::kIp6; }
  void Unknown(const std::string& why) {
    std::string text = "-j " + t.name + (t.args.empty() ? "" : " " + Join(t.args));
    out.unknown.push_back(why.empty() ? text : text + " (" + why + ")");
    out.stmts.push_back(UnknownStmt("target " + t.name, text));
  }
  void Add(Stmt s) { out.stmts.push_back(std::move(s)); }
};

Stmt VerdictStmt(VerdictKind k, std::string chain = "") {
  Stmt s;
  s.kind = StmtKind::kVerdict;
  s.verdict.kind = k;
  s.verdict.chain = std::move(chain);
  return s;
}

const std::string* FirstValue(const std::vector<Opt>& opts, std::string_view name) {
  for (const auto& o : opts)
    if (o.name == name && !o.values.empty()) return &o.values[0];
  return nullptr;
}
bool HasOpt(const std::vector<Opt>& opts, std::string_view name) {
  for (const auto& o : opts)
    if (o.name == name) return true;
  return false;
}

uint32_t NatFlags(const std::vector<Opt>& opts) {
  uint32_t f = 0;
  if (HasOpt(opts, "--random")) f |= kNatRandom;
  if (HasOpt(opts, "--random-fully")) f |= kNatFullyRandom;
  if (HasOpt(opts, "--persistent")) f |= kNatPersistent;
  return f;
}

/// "a[-b][:p[-q]]" (IPv4) or "[a]:p" / "a" (IPv6) -> kNat operands. False if unparsable.
bool NatSpec(std::string_view s, bool v6, Expr* addr, Expr* port) {
  std::string_view a = s, p;
  if (v6) {
    if (!s.empty() && s[0] == '[') {
      size_t close = s.find(']');
      if (close == std::string_view::npos) return false;
      a = s.substr(1, close - 1);
      std::string_view rest = s.substr(close + 1);
      if (!rest.empty()) {
        if (rest[0] != ':') return false;
        p = rest.substr(1);
      }
    }
  } else {
    size_t colon = s.find(':');
    if (colon != std::string_view::npos) {
      a = s.substr(0, colon);
      p = s.substr(colon + 1);
    }
  }
  *addr = AbsentExpr();
  *port = AbsentExpr();
  DataType t = v6 ? DataType::kIpv6Addr : DataType::kIpv4Addr;
  uint8_t bits = v6 ? 128 : 32;
  if (!a.empty()) {
    size_t dash = v6 ? std::string_view::npos : a.find('-');
    auto lo = ParseAddr(a.substr(0, dash), v6);
    if (!lo) return false;
    if (dash == std::string_view::npos) {
      *addr = ValueExpr(*lo, bits, t);
    } else {
      auto hi = ParseAddr(a.substr(dash + 1), v6);
      if (!hi) return false;
      *addr = RangeExpr(ValueExpr(*lo, bits, t), ValueExpr(*hi, bits, t));
    }
  }
  if (!p.empty()) {
    auto op = PortOperand(p, true);
    if (!op) return false;
    *port = std::move(*op);
  }
  return true;
}

Stmt NatStmt(NatKind k, Expr addr, Expr port, uint32_t flags) {
  Stmt s;
  s.kind = StmtKind::kNat;
  s.sub = static_cast<uint8_t>(k);
  s.nat_flags = flags;
  s.e = {std::move(addr), std::move(port)};
  return s;
}

void Nat(TCtx& c, NatKind k) {
  auto opts = SplitOpts(c.t.args);
  Expr addr = AbsentExpr(), port = AbsentExpr();
  if (k == NatKind::kDnat || k == NatKind::kSnat) {
    const char* opt = k == NatKind::kDnat ? "--to-destination" : "--to-source";
    const std::string* spec = FirstValue(opts, opt);
    if (!spec || !NatSpec(*spec, c.v6(), &addr, &port)) return c.Unknown("bad or missing " + std::string(opt));
  } else if (const std::string* ports = FirstValue(opts, "--to-ports")) {
    auto op = PortOperand(*ports, true);
    if (!op) return c.Unknown("bad --to-ports");
    port = std::move(*op);
  }
  c.Add(NatStmt(k, std::move(addr), std::move(port), NatFlags(opts)));
}

/// iptables --reject-with names -> nft reject codes.
void Reject(TCtx& c) {
  static const std::map<std::string, std::string> kV4 = {
      {"icmp-net-unreachable", "net-unreachable"},   {"net-unreach", "net-unreachable"},
      {"icmp-host-unreachable", "host-unreachable"}, {"host-unreach", "host-unreachable"},
      {"icmp-port-unreachable", "port-unreachable"}, {"port-unreach", "port-unreachable"},
      {"icmp-proto-unreachable", "prot-unreachable"}, {"proto-unreach", "prot-unreachable"},
      {"icmp-net-prohibited", "net-prohibited"},     {"net-prohib", "net-prohibited"},
      {"icmp-host-prohibited", "host-prohibited"},   {"host-prohib", "host-prohibited"},
      {"icmp-admin-prohibited", "admin-prohibited"}, {"admin-prohib", "admin-prohibited"}};
  static const std::map<std::string, std::string> kV6 = {
      {"icmp6-no-route", "no-route"},                 {"no-route", "no-route"},
      {"icmp6-adm-prohibited", "admin-prohibited"},   {"adm-prohibited", "admin-prohibited"},
      {"icmp6-addr-unreachable", "addr-unreachable"}, {"addr-unreach", "addr-unreachable"},
      {"icmp6-port-unreachable", "port-unreachable"}, {"port-unreach", "port-unreachable"},
      {"icmp6-policy-fail", "policy-fail"},           {"icmp6-reject-route", "reject-route"}};
  auto opts = SplitOpts(c.t.args);
  const std::string* with = FirstValue(opts, "--reject-with");
  Stmt s;
  s.kind = StmtKind::kReject;
  if (!with) {  // iptables' default
    s.sub = 1;
    s.text = "port-unreachable";
  } else if (*with == "tcp-reset" || *with == "tcp-rst") {
    s.sub = 3;
  } else {
    const auto& tab = c.v6() ? kV6 : kV4;
    auto it = tab.find(*with);
    if (it == tab.end()) return c.Unknown("unknown --reject-with");
    s.sub = 1;
    s.text = it->second;
  }
  c.Add(std::move(s));
}

Stmt MangleStmt(Expr key, Expr value) {
  Stmt s;
  s.kind = StmtKind::kMangle;
  s.e = {std::move(key), std::move(value)};
  return s;
}

/// "v[/m]" -> {v, m} with m = all ones when absent.
bool ValueMask(const std::string* s, uint64_t* v, uint64_t* m) {
  if (!s) return false;
  auto parts = SplitList(*s, '/');
  auto pv = ParseNum(parts[0]);
  auto pm = parts.size() == 2 ? ParseNum(parts[1]) : std::optional<uint64_t>(0xffffffffu);
  if (!pv || !pm || parts.size() > 2) return false;
  *v = *pv;
  *m = *pm;
  return true;
}

/// mark = (mark & ~m) ^ v, the kernel's xt_MARK / xt_CONNMARK formula.
Expr XmarkValue(Expr key, uint64_t v, uint64_t m) {
  if (m == 0xffffffffu) return ValueExpr(v, 32, DataType::kMark);
  Expr kept = BinopExpr(BinOp::kAnd, std::move(key), ValueExpr(~m & 0xffffffffu, 32, DataType::kMark));
  if (v == 0) return kept;
  return BinopExpr(BinOp::kXor, std::move(kept), ValueExpr(v, 32, DataType::kMark));
}

void MarkTarget(TCtx& c, bool ct) {
  auto opts = SplitOpts(c.t.args);
  auto key = [&] { return ct ? CtExpr(CtKey::kMark, DataType::kMark) : MetaExpr(MetaKey::kMark, DataType::kMark); };
  auto other = [&] { return ct ? MetaExpr(MetaKey::kMark, DataType::kMark) : CtExpr(CtKey::kMark, DataType::kMark); };
  uint64_t v = 0, m = 0;
  if (ValueMask(FirstValue(opts, "--set-xmark"), &v, &m)) return c.Add(MangleStmt(key(), XmarkValue(key(), v, m)));
  if (ValueMask(FirstValue(opts, "--set-mark"), &v, &m))  // --set-mark v/m == --set-xmark v/(v|m)
    return c.Add(MangleStmt(key(), XmarkValue(key(), v, m == 0xffffffffu ? m : (v | m))));
  if (ValueMask(FirstValue(opts, "--or-mark"), &v, &m))
    return c.Add(MangleStmt(key(), BinopExpr(BinOp::kOr, key(), ValueExpr(v, 32, DataType::kMark))));
  if (ValueMask(FirstValue(opts, "--and-mark"), &v, &m))
    return c.Add(MangleStmt(key(), BinopExpr(BinOp::kAnd, key(), ValueExpr(v, 32, DataType::kMark))));
  if (ValueMask(FirstValue(opts, "--xor-mark"), &v, &m))
    return c.Add(MangleStmt(key(), BinopExpr(BinOp::kXor, key(), ValueExpr(v, 32, DataType::kMark))));
  if (ct && (HasOpt(opts, "--save-mark") || HasOpt(opts, "--restore-mark"))) {
    // save: ctmark = (ctmark & ~ctmask) ^ (mark & nfmask); restore: the other way round.
    bool save = HasOpt(opts, "--save-mark");
    uint64_t nfmask = 0xffffffffu, ctmask = 0xffffffffu, dummy = 0;
    if (const std::string* s = FirstValue(opts, "--nfmask")) ValueMask(s, &nfmask, &dummy);
    if (const std::string* s = FirstValue(opts, "--ctmask")) ValueMask(s, &ctmask, &dummy);
    if (const std::string* s = FirstValue(opts, "--mask")) ValueMask(s, &nfmask, &dummy), ctmask = nfmask;
    Expr dst = save ? key() : other();           // written
    Expr src = save ? other() : key();           // read
    uint64_t dst_mask = save ? ctmask : nfmask;  // bits of dst replaced
    uint64_t src_mask = save ? nfmask : ctmask;  // bits of src taken
    if (dst_mask == 0xffffffffu && src_mask == 0xffffffffu) return c.Add(MangleStmt(std::move(dst), std::move(src)));
    Expr taken = BinopExpr(BinOp::kAnd, std::move(src), ValueExpr(src_mask, 32, DataType::kMark));
    Expr kept = BinopExpr(BinOp::kAnd, save ? key() : other(), ValueExpr(~dst_mask & 0xffffffffu, 32, DataType::kMark));
    return c.Add(MangleStmt(std::move(dst), BinopExpr(BinOp::kXor, std::move(kept), std::move(taken))));
  }
  c.Unknown("unsupported " + c.t.name + " options");
}

void Log(TCtx& c, const char* prefix_opt) {
  auto opts = SplitOpts(c.t.args);
  Stmt s;
  s.kind = StmtKind::kLog;
  if (const std::string* p = FirstValue(opts, prefix_opt)) s.text = *p;
  c.Add(std::move(s));
}

}  // namespace

bool IsBuiltinVerdict(std::string_view t) {
  return t == "ACCEPT" || t == "DROP" || t == "RETURN" || t == "QUEUE";
}

void TranslateTarget(const Target& t, const RuleCtx& ctx, Translation& out) {
  TCtx c{t, ctx, out};
  const std::string& n = t.name;
  if (t.kind == Target::Kind::kNone) return;
  if (t.kind == Target::Kind::kGoto) return c.Add(VerdictStmt(VerdictKind::kGoto, n));
  if (n == "ACCEPT") return c.Add(VerdictStmt(VerdictKind::kAccept));
  if (n == "DROP") return c.Add(VerdictStmt(VerdictKind::kDrop));
  if (n == "RETURN") return c.Add(VerdictStmt(VerdictKind::kReturn));
  if (n == "QUEUE" || n == "NFQUEUE") return c.Add(VerdictStmt(VerdictKind::kQueue));
  if (ctx.save_table && ctx.save_table->FindChain(n)) return c.Add(VerdictStmt(VerdictKind::kJump, n));
  if (n == "REJECT") return Reject(c);
  if (n == "DNAT") return Nat(c, NatKind::kDnat);
  if (n == "SNAT") return Nat(c, NatKind::kSnat);
  if (n == "MASQUERADE") return Nat(c, NatKind::kMasquerade);
  if (n == "REDIRECT") return Nat(c, NatKind::kRedirect);
  if (n == "MARK") return MarkTarget(c, false);
  if (n == "CONNMARK") return MarkTarget(c, true);
  if (n == "LOG") return Log(c, "--log-prefix");
  if (n == "NFLOG") return Log(c, "--nflog-prefix");
  if (n == "ULOG") return Log(c, "--ulog-prefix");
  if (n == "NOTRACK" || (n == "CT" && HasOpt(SplitOpts(t.args), "--notrack"))) {
    Stmt s;
    s.kind = StmtKind::kNotrack;
    return c.Add(std::move(s));
  }
  if (n == "CT" || n == "CHECKSUM" || n == "TCPMSS" || n == "TRACE" || n == "TOS" || n == "DSCP" ||
      n == "TTL" || n == "HL" || n == "CLASSIFY" || n == "SECMARK" || n == "CONNSECMARK" ||
      n == "AUDIT" || n == "IDLETIMER" || n == "LED" || n == "TEE" || n == "TCPOPTSTRIP" ||
      n == "ECN" || n == "RATEEST")
    return c.Add(OtherStmt(n));  // changes the packet or its metadata, not its fate
  if (n == "TPROXY") {
    // The kernel's tproxy_tg returns NF_ACCEPT when it found a socket, NF_DROP otherwise:
    // kept as unknown followed by accept, so the verdict "may depend".
    c.Unknown("socket lookup");
    return c.Add(VerdictStmt(VerdictKind::kAccept));
  }
  // Without the table a name that is no known extension is taken as a user chain (DOCKER,
  // f2b-sshd); with the table, a name that is not declared there is an unknown extension.
  if (!ctx.save_table) return c.Add(VerdictStmt(VerdictKind::kJump, n));
  c.Unknown("");
}

}  // namespace nftc::ipt
