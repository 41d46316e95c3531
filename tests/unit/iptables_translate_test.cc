// iptables rule -> model statements (model.h conventions), one option kind at a time.
#include <catch2/catch.hpp>

#include "iptables/save_parser.h"
#include "iptables/translate.h"

using namespace nftc;
using namespace nftc::ipt;

namespace {

/// Translates "-A INPUT <args>" in a filter table that declares user chain X.
Translation T(const std::string& args, Family f = Family::kIp) {
  static ParsedSave keep;  // the table must outlive the call only during TranslateRule
  keep = ParseSave("*filter\n:INPUT ACCEPT [0:0]\n:X - [0:0]\n-A INPUT " + args + "\nCOMMIT\n", "t");
  const SaveTable& t = keep.tables.at(0);
  return TranslateRule(t.FindChain("INPUT")->rules.at(0), f, &t);
}

/// The single statement of a one-option rule.
Stmt One(const std::string& args, Family f = Family::kIp) {
  Translation tr = T(args, f);
  REQUIRE(tr.stmts.size() == 1);
  return tr.stmts[0];
}

u128 V4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) { return (a << 24) | (b << 16) | (c << 8) | d; }

bool IsInt(const Expr& e, u128 v, uint8_t bits) {
  return e.kind == ExprKind::kValue && e.value.kind == Value::Kind::kInt && e.value.num == v && e.value.bits == bits;
}
bool IsRange(const Expr& e, u128 lo, u128 hi) {
  return e.kind == ExprKind::kRange && e.kids.size() == 2 && e.kids[0].value.num == lo && e.kids[1].value.num == hi;
}
bool IsAbsent(const Expr& e) { return e.kind == ExprKind::kSymbol && e.name.empty(); }

}  // namespace

TEST_CASE("translate: generic matches") {
  Translation tr = T("-s 10.0.0.0/8 -d 1.2.3.4/32 -i eth+ ! -o docker0 -p tcp");
  REQUIRE(tr.stmts.size() == 5);
  CHECK_FALSE(tr.partial());
  const Stmt& in = tr.stmts[0];
  CHECK(in.kind == StmtKind::kMatch);
  CHECK(in.e[0].kind == ExprKind::kMeta);
  CHECK(in.e[0].meta() == MetaKey::kIifname);
  CHECK(in.e[1].value.str == "eth*");  // iptables "+" is nft's "*"
  CHECK(in.op == MatchOp::kImplicit);
  CHECK(tr.stmts[1].e[0].meta() == MetaKey::kOifname);
  CHECK(tr.stmts[1].op == MatchOp::kNe);
  CHECK(tr.stmts[2].e[0].meta() == MetaKey::kL4proto);
  CHECK(IsInt(tr.stmts[2].e[1], 6, 8));
  const Stmt& s = tr.stmts[3];
  CHECK(s.e[0].kind == ExprKind::kPayload);
  CHECK(s.e[0].field() == Field::kIpSaddr);
  CHECK(s.e[0].type == DataType::kIpv4Addr);
  REQUIRE(s.e[1].kind == ExprKind::kPrefix);
  CHECK(s.e[1].aux == 8);
  CHECK(IsInt(s.e[1].kids.at(0), V4(10, 0, 0, 0), 32));
  CHECK(tr.stmts[4].e[0].field() == Field::kIpDaddr);
  CHECK(IsInt(tr.stmts[4].e[1], V4(1, 2, 3, 4), 32));  // /32 is equality, as iptables-nft writes it

  // Dotted masks: contiguous -> prefix, otherwise (addr & mask) == value.
  Stmt m = One("-s 10.1.2.3/255.255.0.0");
  CHECK(m.e[1].kind == ExprKind::kPrefix);
  CHECK(m.e[1].aux == 16);
  CHECK(IsInt(m.e[1].kids.at(0), V4(10, 1, 0, 0), 32));
  Stmt nc = One("-d 10.0.0.1/255.0.255.0");
  CHECK(nc.e[0].kind == ExprKind::kBinop);
  CHECK(nc.e[0].aux == static_cast<uint32_t>(BinOp::kAnd));
  CHECK(IsInt(nc.e[0].kids.at(1), V4(255, 0, 255, 0), 32));
  CHECK(IsInt(nc.e[1], V4(10, 0, 0, 0), 32));

  // IPv6 addresses are 128-bit integers.
  Stmt v6 = One("-s fe80::/10", Family::kIp6);
  CHECK(v6.e[0].field() == Field::kIp6Saddr);
  CHECK(v6.e[1].aux == 10);
  CHECK(IsInt(v6.e[1].kids.at(0), u128{0xfe80} << 112, 128));

  CHECK(IsInt(One("-p udp").e[1], 17, 8));
  CHECK(IsInt(One("-p ipv6-icmp", Family::kIp6).e[1], 58, 8));
  CHECK(IsInt(One("-p 47").e[1], 47, 8));
  CHECK(T("-p all").stmts.empty());
  CHECK(One("! -p icmp").op == MatchOp::kNe);
  // -f: (ip frag-off & 0x1fff) != 0
  Stmt f = One("-f");
  CHECK(f.op == MatchOp::kNe);
  CHECK(f.e[0].kids.at(0).field() == Field::kRaw);
  CHECK(IsInt(f.e[0].kids.at(1), 0x1fff, 16));
  CHECK(T("-s not-an-address").partial());
}

TEST_CASE("translate: tcp/udp ports, flags and multiport") {
  Translation tr = T("-p tcp -m tcp --dport 1024:65535 ! --sport :1023");
  REQUIRE(tr.stmts.size() == 3);
  CHECK(tr.stmts[1].e[0].field() == Field::kTcpDport);
  CHECK(tr.stmts[1].e[0].type == DataType::kInetService);
  CHECK(IsRange(tr.stmts[1].e[1], 1024, 65535));
  CHECK(tr.stmts[2].e[0].field() == Field::kTcpSport);
  CHECK(tr.stmts[2].op == MatchOp::kNe);
  CHECK(IsRange(tr.stmts[2].e[1], 0, 1023));
  CHECK(IsInt(T("-p udp -m udp --dport 53").stmts.at(1).e[1], 53, 16));
  CHECK(T("-p udp -m udp --dport 53").stmts.at(1).e[0].field() == Field::kUdpDport);

  Stmt syn = T("-p tcp -m tcp --syn").stmts.at(1);  // SYN set, RST/ACK/FIN clear
  CHECK(syn.e[0].kind == ExprKind::kBinop);
  CHECK(syn.e[0].kids.at(0).field() == Field::kTcpFlags);
  CHECK(IsInt(syn.e[0].kids.at(1), 0x17, 8));
  CHECK(IsInt(syn.e[1], 0x02, 8));
  Stmt fl = T("-p tcp -m tcp --tcp-flags SYN,RST SYN").stmts.at(1);
  CHECK(IsInt(fl.e[0].kids.at(1), 0x06, 8));
  CHECK(IsInt(fl.e[1], 0x02, 8));

  Stmt mp = T("-p tcp -m multiport --dports 22,80,1000:2000").stmts.at(1);
  CHECK(mp.e[0].field() == Field::kTcpDport);
  REQUIRE(mp.e[1].kind == ExprKind::kSet);
  REQUIRE(mp.e[1].kids.size() == 3);
  CHECK(IsInt(mp.e[1].kids[0], 22, 16));
  CHECK(IsRange(mp.e[1].kids[2], 1000, 2000));
  CHECK(IsInt(T("-p tcp -m multiport --dports 22").stmts.at(1).e[1], 22, 16));
  CHECK(T("-p udp -m multiport --sports 5,6").stmts.at(1).e[0].field() == Field::kUdpSport);
  Translation ports = T("-p tcp -m multiport --ports 22,80");
  CHECK(ports.partial());
  CHECK(ports.stmts.at(1).kind == StmtKind::kUnknown);
}

TEST_CASE("translate: conntrack, state, addrtype, marks, comment") {
  Stmt ct = One("-m conntrack --ctstate RELATED,ESTABLISHED");
  CHECK(ct.e[0].kind == ExprKind::kCt);
  CHECK(ct.e[0].ct() == CtKey::kState);
  CHECK(ct.e[1].kind == ExprKind::kFlags);
  CHECK(ct.e[1].value.num == (2 | 4));
  CHECK(One("-m conntrack ! --ctstate INVALID").op == MatchOp::kNe);
  CHECK(One("-m conntrack ! --ctstate INVALID").e[1].value.num == 1);
  CHECK(One("-m conntrack --ctstate NEW,UNTRACKED").e[1].value.num == (8 | 64));
  CHECK(One("-m state --state NEW").e[1].value.num == 8);
  Stmt st = One("-m conntrack --ctstatus ASSURED,SEEN_REPLY");
  CHECK(st.e[0].ct() == CtKey::kStatus);
  CHECK(st.e[1].value.num == (4 | 2));
  Stmt od = One("-m conntrack --ctorigdst 198.51.100.10");
  CHECK(od.e[0].ct() == CtKey::kDaddr);
  CHECK(od.e[0].aux == static_cast<uint32_t>(CtDir::kOriginal));
  CHECK(IsInt(od.e[1], V4(198, 51, 100, 10), 32));
  Stmt rp = One("-m conntrack --ctreplsrcport 80");
  CHECK(rp.e[0].ct() == CtKey::kProtoSrc);
  CHECK(rp.e[0].aux == static_cast<uint32_t>(CtDir::kReply));
  CHECK(T("-m conntrack --ctstate DNAT").partial());

  Stmt at = One("-m addrtype --dst-type LOCAL");
  CHECK(at.e[0].kind == ExprKind::kFib);
  CHECK(at.e[0].key == static_cast<uint16_t>(FibResult::kType));
  CHECK(at.e[0].flags == kFibDaddr);
  CHECK(IsInt(at.e[1], 2, 32));
  Stmt at2 = One("-m addrtype ! --src-type BROADCAST,MULTICAST --limit-iface-in");
  CHECK(at2.op == MatchOp::kNe);
  CHECK(at2.e[0].flags == (kFibSaddr | kFibIif));
  REQUIRE(at2.e[1].kind == ExprKind::kSet);
  CHECK(IsInt(at2.e[1].kids.at(0), 3, 32));
  CHECK(IsInt(at2.e[1].kids.at(1), 5, 32));

  Stmt mk = One("-m mark --mark 0x10/0xf0");
  CHECK(mk.e[0].kind == ExprKind::kBinop);
  CHECK(mk.e[0].kids.at(0).meta() == MetaKey::kMark);
  CHECK(IsInt(mk.e[0].kids.at(1), 0xf0, 32));
  CHECK(IsInt(mk.e[1], 0x10, 32));
  Stmt mk2 = One("-m mark ! --mark 0x1");
  CHECK(mk2.e[0].meta() == MetaKey::kMark);
  CHECK(mk2.op == MatchOp::kNe);
  CHECK(One("-m connmark --mark 0x4000").e[0].ct() == CtKey::kMark);

  Translation cm = T("-m comment --comment \"foo bar\" -j ACCEPT");
  CHECK(cm.comment == "foo bar");
  REQUIRE(cm.stmts.size() == 1);  // a comment is no statement
  CHECK(cm.stmts[0].verdict.kind == VerdictKind::kAccept);
}

TEST_CASE("translate: icmp, iprange, ipset, physdev, limit, hl and opaque modules") {
  Stmt i8 = T("-p icmp -m icmp --icmp-type 8").stmts.at(1);
  CHECK(i8.e[0].field() == Field::kIcmpType);
  CHECK(IsInt(i8.e[1], 8, 8));
  CHECK(IsInt(T("-p icmp -m icmp --icmp-type echo-request").stmts.at(1).e[1], 8, 8));
  Translation hp = T("-p icmp -m icmp --icmp-type host-prohibited");
  REQUIRE(hp.stmts.size() == 3);
  CHECK(IsInt(hp.stmts[1].e[1], 3, 8));
  CHECK(hp.stmts[2].e[0].field() == Field::kIcmpCode);
  CHECK(IsInt(hp.stmts[2].e[1], 10, 8));
  CHECK(IsInt(T("-p icmp -m icmp --icmp-type 3/1").stmts.at(2).e[1], 1, 8));
  Stmt ns = T("-p ipv6-icmp -m icmp6 --icmpv6-type neighbour-solicitation", Family::kIp6).stmts.at(1);
  CHECK(ns.e[0].field() == Field::kIcmpv6Type);
  CHECK(IsInt(ns.e[1], 135, 8));
  CHECK(IsInt(T("-p ipv6-icmp -m icmp6 --icmpv6-type 128", Family::kIp6).stmts.at(1).e[1], 128, 8));

  Stmt ir = One("-m iprange --src-range 10.0.0.1-10.0.0.9");
  CHECK(ir.e[0].field() == Field::kIpSaddr);
  CHECK(IsRange(ir.e[1], V4(10, 0, 0, 1), V4(10, 0, 0, 9)));

  Stmt set = One("-m set --match-set blocklist src");
  CHECK(set.e[0].field() == Field::kIpSaddr);
  CHECK(set.e[1].kind == ExprKind::kSetRef);
  CHECK(set.e[1].name == "blocklist");
  Stmt set2 = One("-m set ! --match-set docker-ext-bridges-v4 dst,dst");
  CHECK(set2.op == MatchOp::kNe);
  CHECK(set2.e[0].kind == ExprKind::kConcat);

  Stmt pd = One("-m physdev --physdev-in vnet+");
  CHECK(pd.e[0].meta() == MetaKey::kBriIifname);
  CHECK(pd.e[1].value.str == "vnet*");
  CHECK(T("-m physdev --physdev-is-bridged").partial());

  Stmt lim = One("-m limit --limit 3/min --limit-burst 10");
  CHECK(lim.kind == StmtKind::kLimit);
  CHECK(lim.text == "3/minute burst 10 packets");  // as nft prints it
  CHECK(One("-m limit --limit 3/min").text == "3/minute");  // iptables' default burst 5 = nft's: not printed

  Stmt hl = One("-m hl --hl-eq 255", Family::kIp6);
  CHECK(hl.e[0].field() == Field::kIp6Hoplimit);
  CHECK(IsInt(hl.e[1], 255, 8));
  CHECK(One("-m ttl --ttl-lt 5").op == MatchOp::kLt);

  // Modules the model cannot evaluate: kept, the verdict may depend on them.
  Translation rc = T("-m recent --update --seconds 30 --hitcount 6 --name DEFAULT --rsource -j X");
  CHECK(rc.partial());
  REQUIRE(rc.stmts.size() == 2);
  CHECK(rc.stmts[0].kind == StmtKind::kUnknown);
  CHECK(rc.stmts[0].text == "match recent");
  CHECK(rc.stmts[1].verdict.kind == VerdictKind::kJump);
  CHECK(rc.stmts[1].verdict.chain == "X");
  Translation set_only = T("-m recent --set --name DEFAULT --rsource");
  CHECK_FALSE(set_only.partial());  // --set always matches
  CHECK(set_only.stmts.at(0).kind == StmtKind::kOther);
  CHECK(One("-m rt --rt-type 0", Family::kIp6).kind == StmtKind::kUnknown);
  Translation hash = T("-m hashlimit --hashlimit-upto 5/sec --hashlimit-name x");
  CHECK(hash.partial());
  CHECK(hash.stmts.at(0).json == "-m hashlimit --hashlimit-upto 5/sec --hashlimit-name x");
  Translation unk = T("-m tcp --dport 22 --frobnicate");  // module known, option not
  CHECK(unk.partial());
  CHECK(unk.stmts.size() == 2);
  Translation stray = T("--bogus 1 -j ACCEPT");
  CHECK(stray.partial());
  CHECK(stray.stmts.at(0).kind == StmtKind::kUnknown);
}

TEST_CASE("translate: verdict targets, reject, NAT") {
  CHECK(One("-j ACCEPT").verdict.kind == VerdictKind::kAccept);
  CHECK(One("-j DROP").verdict.kind == VerdictKind::kDrop);
  CHECK(One("-j RETURN").verdict.kind == VerdictKind::kReturn);
  CHECK(One("-j QUEUE").verdict.kind == VerdictKind::kQueue);
  CHECK(One("-j NFQUEUE --queue-num 3").verdict.kind == VerdictKind::kQueue);
  Stmt j = One("-j X");
  CHECK(j.verdict.kind == VerdictKind::kJump);
  CHECK(j.verdict.chain == "X");
  Stmt g = One("-g X");
  CHECK(g.verdict.kind == VerdictKind::kGoto);
  CHECK(g.verdict.chain == "X");
  Translation unk = T("-j CLUSTERIP --new");  // neither a declared chain nor a known target
  CHECK(unk.partial());
  CHECK(unk.stmts.at(0).kind == StmtKind::kUnknown);

  Stmt rj = One("-j REJECT --reject-with icmp-port-unreachable");
  CHECK(rj.kind == StmtKind::kReject);
  CHECK(rj.sub == 1);
  CHECK(rj.text == "port-unreachable");
  CHECK(One("-j REJECT --reject-with icmp-host-prohibited").text == "host-prohibited");
  CHECK(One("-j REJECT --reject-with tcp-reset").sub == 3);
  CHECK(One("-j REJECT --reject-with icmp6-adm-prohibited", Family::kIp6).text == "admin-prohibited");
  CHECK(One("-j REJECT").text == "port-unreachable");

  Stmt dn = One("-j DNAT --to-destination 172.17.0.2:80");
  CHECK(dn.kind == StmtKind::kNat);
  CHECK(dn.sub == static_cast<uint8_t>(NatKind::kDnat));
  CHECK(IsInt(dn.e.at(0), V4(172, 17, 0, 2), 32));
  CHECK(IsInt(dn.e.at(1), 80, 16));
  Stmt dr = One("-j DNAT --to-destination 10.0.0.1-10.0.0.5:1000-2000 --random --persistent");
  CHECK(IsRange(dr.e.at(0), V4(10, 0, 0, 1), V4(10, 0, 0, 5)));
  CHECK(IsRange(dr.e.at(1), 1000, 2000));
  CHECK(dr.nat_flags == (kNatRandom | kNatPersistent));
  Stmt d6 = One("-j DNAT --to-destination [2001:db8::1]:443", Family::kIp6);
  CHECK(IsInt(d6.e.at(0), (u128{0x20010db8} << 96) | 1, 128));
  CHECK(IsInt(d6.e.at(1), 443, 16));
  Stmt sn = One("-j SNAT --to-source 198.51.100.10");
  CHECK(sn.sub == static_cast<uint8_t>(NatKind::kSnat));
  CHECK(IsAbsent(sn.e.at(1)));
  Stmt ms = One("-j MASQUERADE --to-ports 1024-65535 --random-fully");
  CHECK(ms.sub == static_cast<uint8_t>(NatKind::kMasquerade));
  CHECK(IsAbsent(ms.e.at(0)));
  CHECK(IsRange(ms.e.at(1), 1024, 65535));
  CHECK(ms.nat_flags == kNatFullyRandom);
  Stmt m0 = One("-j MASQUERADE");
  CHECK(IsAbsent(m0.e.at(0)));
  CHECK(IsAbsent(m0.e.at(1)));
  Stmt rd = One("-j REDIRECT --to-ports 8080");
  CHECK(rd.sub == static_cast<uint8_t>(NatKind::kRedirect));
  CHECK(IsInt(rd.e.at(1), 8080, 16));
  CHECK(T("-j DNAT --to-destination nowhere").partial());
}

TEST_CASE("translate: marks, log, notrack and side-effect-only targets") {
  Stmt m1 = One("-j MARK --set-xmark 0x1/0xffffffff");
  CHECK(m1.kind == StmtKind::kMangle);
  CHECK(m1.e.at(0).meta() == MetaKey::kMark);
  CHECK(IsInt(m1.e.at(1), 1, 32));
  // --set-xmark v/m: mark = (mark & ~m) ^ v
  Stmt m2 = One("-j MARK --set-xmark 0x4000/0x4000");
  REQUIRE(m2.e.at(1).kind == ExprKind::kBinop);
  CHECK(m2.e[1].aux == static_cast<uint32_t>(BinOp::kXor));
  CHECK(m2.e[1].kids.at(0).aux == static_cast<uint32_t>(BinOp::kAnd));
  CHECK(IsInt(m2.e[1].kids.at(0).kids.at(1), 0xffffbfff, 32));
  CHECK(IsInt(m2.e[1].kids.at(1), 0x4000, 32));
  Stmt m3 = One("-j MARK --or-mark 0x4");
  CHECK(m3.e.at(1).aux == static_cast<uint32_t>(BinOp::kOr));

  Stmt save = One("-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff");
  CHECK(save.kind == StmtKind::kMangle);
  CHECK(save.e.at(0).ct() == CtKey::kMark);
  CHECK(save.e.at(0).kind == ExprKind::kCt);
  CHECK(save.e.at(1).kind == ExprKind::kMeta);
  Stmt restore = One("-j CONNMARK --restore-mark");
  CHECK(restore.e.at(0).kind == ExprKind::kMeta);
  CHECK(restore.e.at(1).kind == ExprKind::kCt);
  Stmt cset = One("-j CONNMARK --set-xmark 0x1/0xffffffff");
  CHECK(cset.e.at(0).kind == ExprKind::kCt);
  CHECK(IsInt(cset.e.at(1), 1, 32));

  Stmt log = One("-j LOG --log-prefix \"[UFW BLOCK] \"");
  CHECK(log.kind == StmtKind::kLog);
  CHECK(log.text == "[UFW BLOCK] ");
  CHECK(One("-j NFLOG --nflog-prefix x --nflog-group 2").text == "x");
  CHECK(One("-j CT --notrack").kind == StmtKind::kNotrack);
  CHECK(One("-j NOTRACK").kind == StmtKind::kNotrack);
  CHECK(One("-j CT --zone 1").kind == StmtKind::kOther);
  Stmt ck = One("-j CHECKSUM --checksum-fill");
  CHECK(ck.kind == StmtKind::kOther);
  CHECK(ck.text == "CHECKSUM");
  CHECK(T("-p tcp -j TCPMSS --clamp-mss-to-pmtu").stmts.at(1).kind == StmtKind::kOther);
  CHECK(One("-j TRACE").kind == StmtKind::kOther);
  Translation tp = T("-p tcp -j TPROXY --on-port 3129");
  CHECK(tp.partial());
  CHECK(tp.stmts.back().verdict.kind == VerdictKind::kAccept);
}
