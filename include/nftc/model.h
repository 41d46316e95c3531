// The ruleset model: what every later stage (owners, hook graph, simulator, lint rules,
// reports) works on. Plain structs, no JSON types. The loaders in analyzer/ fill it; nothing
// else knows nft's JSON key names.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nftc/compact.h"
#include "nftc/istr.h"
#include "nftc/source_ref.h"
#include "nftc/value.h"

namespace nftc {

/// nftables address family of a table. Legacy iptables tables are kIp/kIp6/kArp with
/// Backend::kIptablesLegacy.
enum class Family : uint8_t { kIp, kIp6, kInet, kArp, kBridge, kNetdev };
/// Netfilter hook of a base chain.
enum class Hook : uint8_t { kPrerouting, kInput, kForward, kOutput, kPostrouting, kIngress, kEgress, kNone };
enum class ChainType : uint8_t { kFilter, kNat, kRoute };
/// Which subsystem holds the rules. iptables-nft tables are ordinary nftables tables that
/// iptables-nft manages; legacy tables live in x_tables and are invisible to nft.
enum class Backend : uint8_t { kNftables, kIptablesNft, kIptablesLegacy };

std::string_view ToString(Family f);
std::string_view ToString(Hook h);
std::string_view ToString(ChainType t);
std::string_view ToString(Backend b);
std::optional<Family> ParseFamily(std::string_view s);
std::optional<Hook> ParseHook(std::string_view s);
std::optional<ChainType> ParseChainType(std::string_view s);

/// The type of a value, decided from the expression it is compared with. Symbolic
/// constants ("tcp", "established", "local", "echo-request") are resolved to numbers at load
/// time using it.
enum class DataType : uint8_t {
  kUnknown,
  kInteger,     ///< generic number (marks, lengths, raw payload)
  kIpv4Addr,    ///< 32 bit
  kIpv6Addr,    ///< 128 bit
  kInetService, ///< port, 16 bit
  kInetProto,   ///< l4 protocol number, 8 bit
  kNfProto,     ///< meta nfproto (ipv4=2, ipv6=10)
  kIfname,      ///< interface name (string; may be a wildcard "veth*")
  kIfindex,     ///< iif/oif: an interface, printed by name, bound by index at load time
  kMark,        ///< meta mark / ct mark, 32 bit
  kCtState,     ///< bitmask: invalid=1 established=2 related=4 new=8 untracked=64
  kCtStatus,    ///< bitmask: expected=1 seen-reply=2 assured=4 confirmed=8 snat=16 dnat=32 dying=512
  kCtDir,
  kFibAddrType, ///< RTN_* (unicast=1 local=2 broadcast=3 anycast=4 multicast=5 blackhole=6 ...)
  kIcmpType,
  kIcmpv6Type,
  kIcmpCode,
  kTcpFlags,    ///< bitmask, 8 bit
  kEtherAddr,
  kEtherType,
  kPktType,     ///< meta pkttype: host=0 broadcast=1 multicast=2 other=3
  kVerdict,     ///< map data of a verdict map
  kString,      ///< other strings (e.g. comments used as values)
  kBoolean,
};
std::string_view ToString(DataType t);

/// Packet header fields the model knows by name. Raw payload (@th,64,96) is kRaw with offset/len.
enum class Field : uint16_t {
  kUnknown,
  kIpSaddr, kIpDaddr, kIpProtocol, kIpTtl, kIpLength, kIpDscp, kIpId, kIpVersion,
  kIp6Saddr, kIp6Daddr, kIp6Nexthdr, kIp6Hoplimit, kIp6Length,
  kTcpSport, kTcpDport, kTcpFlags,
  kUdpSport, kUdpDport,
  kThSport, kThDport,            ///< "th": any transport header with ports
  kSctpSport, kSctpDport, kDccpSport, kDccpDport, kUdpliteSport, kUdpliteDport,
  kIcmpType, kIcmpCode, kIcmpv6Type, kIcmpv6Code,
  kEtherSaddr, kEtherDaddr, kEtherType,
  kArpOperation,
  kRaw,                          ///< base/offset/len in Expr
};

/// meta keys.
enum class MetaKey : uint16_t {
  kUnknown, kIifname, kOifname, kIif, kOif, kIiftype, kOiftype, kL4proto, kNfproto, kProtocol,
  kMark, kPkttype, kSkuid, kSkgid, kLength, kPriority, kCpu, kIifgroup, kOifgroup, kCgroup,
  kRandom, kSecmark, kNftrace, kIifkind, kOifkind, kTime, kDay, kHour, kBriIifname, kBriOifname,
  kIpsec, kSecpath,
};

/// ct keys.
enum class CtKey : uint16_t {
  kUnknown, kState, kStatus, kMark, kDirection, kExpiration, kHelper, kL3proto, kProtocol,
  kSaddr, kDaddr, kProtoSrc, kProtoDst, kZone, kLabel, kCount, kId,
};

/// Expression kinds (operands of matches, statements and set elements).
enum class ExprKind : uint8_t {
  kValue,      ///< a literal: value
  kFlags,      ///< a list of flag names resolved to a bitmask ("established,related"): value
  kPayload,    ///< packet field: field (+ raw base/offset/len)
  kMeta,       ///< meta key
  kCt,         ///< ct key (dir in aux)
  kFib,        ///< fib lookup: result in key (0 type, 1 oif, 2 oifname), flags = FibFlag bits
  kPrefix,     ///< value/len: kids[0] address, aux = prefix length
  kRange,      ///< kids[0]..kids[1]
  kSet,        ///< anonymous set: kids are the elements (kValue/kPrefix/kRange/kConcat/kMapElem)
  kSetRef,     ///< named set "@name": name
  kConcat,     ///< a . b . c: kids
  kBinop,      ///< kids[0] <op> kids[1]; op in aux (BinOp)
  kMapLookup,  ///< kids[0] map kids[1] (kSet or kSetRef)
  kMapElem,    ///< set element "key : data": kids[0] key, kids[1] data
  kVerdict,    ///< verdict as a map value: verdict
  kSymbol,     ///< a constant whose meaning was not resolved: name
  kUnknown,    ///< an expression the model does not know: name = kind, json = original text
};

enum class BinOp : uint8_t { kAnd, kOr, kXor, kLshift, kRshift };
enum FibFlag : uint16_t { kFibSaddr = 1, kFibDaddr = 2, kFibMark = 4, kFibIif = 8, kFibOif = 16 };
enum class FibResult : uint16_t { kType, kOif, kOifname };
enum class CtDir : uint32_t { kNone = 0, kOriginal = 1, kReply = 2 };
enum class PayloadBase : uint8_t { kLl, kNh, kTh, kIh };

enum class VerdictKind : uint8_t { kNone, kAccept, kDrop, kContinue, kReturn, kJump, kGoto, kQueue };
std::string_view ToString(VerdictKind v);

/// A verdict: accept/drop/... or jump/goto with a target chain.
struct Verdict {
  VerdictKind kind = VerdictKind::kNone;
  IStr chain;         ///< jump/goto target
  bool operator==(const Verdict& o) const { return kind == o.kind && chain == o.chain; }
};

/// An expression tree node. One struct for all kinds keeps the tree a flat value type.
struct Expr {
  ExprKind kind = ExprKind::kValue;
  DataType type = DataType::kUnknown;  ///< datatype of the value this expression yields
  uint16_t key = 0;    ///< Field / MetaKey / CtKey / FibResult, by kind
  uint16_t flags = 0;  ///< FibFlag bits; PayloadBase for raw payload
  uint32_t aux = 0;    ///< prefix length; BinOp; CtDir; raw payload offset
  uint32_t len = 0;    ///< raw payload length in bits
  Value value;         ///< kValue, kFlags
  Verdict verdict;     ///< kVerdict
  IStr name;           ///< kSetRef set name (without '@'); kSymbol; kUnknown kind
  IStr json;           ///< kUnknown: the original JSON text, kept so nothing is lost
  std::vector<Expr> kids;

  Field field() const { return static_cast<Field>(key); }
  MetaKey meta() const { return static_cast<MetaKey>(key); }
  CtKey ct() const { return static_cast<CtKey>(key); }
};

/// Comparison operators of a match. kImplicit is nft's default: equality, or "in" for sets
/// and flag lists (flags: (x & mask) != 0).
enum class MatchOp : uint8_t { kImplicit, kEq, kNe, kLt, kGt, kLe, kGe, kIn };
std::string_view ToString(MatchOp op);

enum class StmtKind : uint8_t {
  kMatch,      ///< e[0] op e[1]
  kVerdict,    ///< verdict
  kVmap,       ///< e[0] vmap e[1] (kSet of kMapElem or kSetRef)
  kNat,        ///< nat kind in sub; e[0] addr (optional, kind kValue none if absent), e[1] port
  kReject,     ///< sub = reject type (0 default, 1 icmp, 2 icmpx, 3 tcp reset); text = code
  kMangle,     ///< e[0] key (meta mark / ct mark / payload) set to e[1]
  kCounter,
  kLog,        ///< text = prefix
  kLimit,      ///< text = "rate/unit burst", inv in sub
  kQuota,
  kNotrack,
  kFlowAdd,    ///< text = flowtable name
  kSetUpdate,  ///< add/update @set { key }: text = set name
  kXt,         ///< iptables-nft xtables extension; see xt
  kOther,      ///< known statement with no effect on the packet's fate (ct count, meter ...): text = kind
  kUnknown,    ///< not understood: text = kind, json = original; the verdict may depend on it
};

enum class NatKind : uint8_t { kDnat, kSnat, kMasquerade, kRedirect };
enum class XtType : uint8_t { kMatch, kTarget, kWatcher };

/// An xtables extension in an iptables-nft rule. nft JSON gives only its name; the
/// arguments come from iptables-nft-save, merged by chain and position.
struct XtInfo {
  XtType type = XtType::kMatch;
  std::string name;            ///< "conntrack", "addrtype", "DNAT", "MASQUERADE", ...
  bool has_args = false;       ///< true once merged from iptables-save
  std::vector<std::string> args;  ///< the extension's options, e.g. {"--ctstate", "RELATED,ESTABLISHED"}
};

/// One statement of a rule (nft calls the whole list "expr").
///
/// Conventions every loader follows and the simulator relies on:
/// - kMatch: e[0] is the packet side (payload, meta, ct, fib, binop, concat), e[1] the
///   constant side. With op kImplicit/kEq/kIn: e[1] kValue means equality, kFlags means
///   "(x & mask) != 0" (ct state established,related), kPrefix/kRange mean containment,
///   kSet/kSetRef mean membership. kNe negates any of these. kLt.. compare numbers.
///   Symbolic constants are resolved with e[0]'s DataType: "tcp" -> 6, "established" -> 2,
///   "local" -> 2, "echo-request" -> 8; addresses become Value::Int with bits 32/128, ports
///   bits 16; interface names stay strings (a trailing '*' is a wildcard).
/// - kVmap: e[0] key, e[1] kSet of kMapElem{key, kVerdict} or kSetRef to a verdict map.
/// - kNat: sub = NatKind; e[0] address (kValue/kRange/kMapLookup/...; absent = kind kSymbol
///   with empty name), e[1] port (same). dnat/snat/redirect/masquerade all end the NAT
///   chain run (the kernel returns NF_ACCEPT after binding).
/// - kMangle: e[0] is kMeta(kMark) or kCt(kMark) or a payload; e[1] the new value
///   (kValue, or kBinop e.g. "mark or 0x4000").
/// - kXt: xt has the extension; when has_args the iptables-save loader also appended the
///   translated statements right after it (so a merged rule is fully evaluable) and set
///   xt->has_args; the simulator then skips the kXt statement itself.
struct Stmt {
  StmtKind kind = StmtKind::kMatch;
  MatchOp op = MatchOp::kImplicit;
  uint8_t sub = 0;           ///< NatKind, reject type, limit inversion, set-update op
  uint32_t nat_flags = 0;    ///< NatFlag bits
  Verdict verdict;           ///< kVerdict
  std::vector<Expr> e;       ///< operands, by kind (see StmtKind)
  IStr text;                 ///< by kind: log prefix, flowtable, set name, statement name
  IStr json;                 ///< kUnknown: original JSON
  Boxed<XtInfo> xt;          ///< kXt (used like std::optional<XtInfo>)
};
enum NatFlag : uint32_t { kNatRandom = 1, kNatFullyRandom = 2, kNatPersistent = 4, kNatNetmap = 8 };

/// Owner attribution of a table, chain or rule.
struct Attribution {
  IStr owner = "unknown";  ///< program id, e.g. "docker", "firewalld" (see owners.h)
  IStr evidence;           ///< which pattern matched
  double confidence = 0.0;        ///< 0..1
};

struct Rule {
  uint64_t handle = 0;   ///< nft handle; for legacy rules the 1-based position
  int32_t position = 0;  ///< index in the chain (0-based), the order the kernel runs them
  std::vector<Stmt> stmts;
  IStr comment;
  IStr ipt_line;         ///< the iptables-save line this rule was merged with / parsed from
  SourceRef src;
  Attribution owner;
};

enum class Policy : uint8_t { kAccept, kDrop };

struct Chain {
  IStr name;
  uint64_t handle = 0;
  bool base = false;
  ChainType type = ChainType::kFilter;
  Hook hook = Hook::kNone;
  int32_t prio = 0;
  Policy policy = Policy::kAccept;
  std::vector<std::string> devices;  ///< netdev ingress/egress devices
  IStr comment;
  std::vector<Rule> rules;
  SourceRef src;
  Attribution owner;
};

/// One element of a set or map. Keys are per concatenation component: lo == hi for an
/// exact key, a range or prefix otherwise.
struct SetElem {
  ValueList lo, hi;          ///< one Value inline: no heap block for single-component keys
  Verdict verdict;           ///< verdict maps
  std::vector<Value> data;   ///< data maps (per data concat component)
  IStr comment;
};

struct SetDerived;  // analyzer/model/set_index.h

enum SetFlag : uint32_t { kSetConstant = 1, kSetInterval = 2, kSetTimeout = 4, kSetDynamic = 8 };

struct Set {
  IStr name;
  uint64_t handle = 0;
  bool is_map = false;
  std::vector<DataType> key;   ///< one per concat component
  std::vector<DataType> data;  ///< map data types; {kVerdict} for verdict maps
  uint32_t flags = 0;
  IStr comment;
  std::vector<SetElem> elems;
  SourceRef src;
  Attribution owner;
  /// Lookup structures built from `elems` on first use (analyzer/model/set_index.h,
  /// DerivedOf): the simulator's value domains and element lists. Rebuilt when elems moved
  /// or changed size; code that rewrites elements in place after a lookup must reset it.
  mutable std::shared_ptr<SetDerived> derived;
};

struct Flowtable {
  std::string name;
  uint64_t handle = 0;
  Hook hook = Hook::kIngress;
  int32_t prio = 0;
  std::vector<std::string> devices;
  SourceRef src;
};

struct Table {
  Family family = Family::kIp;
  IStr name;
  uint64_t handle = 0;
  Backend backend = Backend::kNftables;
  std::vector<std::string> flags;  ///< "owner", "persist", "dormant"
  IStr comment;
  std::vector<Chain> chains;
  std::vector<Set> sets;
  std::vector<Flowtable> flowtables;
  SourceRef src;
  Attribution owner;

  /// Name -> position indexes for FindChain/FindSet. Loaders keep them in step; an index that
  /// does not cover every chain/set is ignored (FindChain falls back to a scan).
  /// Heterogeneous: find() takes a std::string_view without building a key.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>()(s); }
  };
  using NameIndex = std::unordered_map<std::string, uint32_t, NameHash, std::equal_to<>>;
  NameIndex chain_index, set_index;
  /// Rebuilds chain_index and set_index after chains or sets were added or removed.
  void Reindex();

  const Chain* FindChain(std::string_view n) const;
  Chain* FindChain(std::string_view n);
  const Set* FindSet(std::string_view n) const;
  Set* FindSet(std::string_view n);
  /// "inet firewalld" / "ip filter (legacy)"
  std::string Id() const;
};

/// One interface of the host: name, addresses with prefix length.
struct HostAddr {
  bool v6 = false;
  u128 addr = 0;
  uint8_t plen = 0;
};
struct Interface {
  std::string name;
  std::string state;    ///< UP, DOWN, UNKNOWN, ...
  std::string master;   ///< bridge this port belongs to, if known
  std::vector<HostAddr> addrs;
};
struct Route {
  bool v6 = false;
  u128 dst = 0;
  uint8_t plen = 0;
  std::string dev;
  std::optional<u128> via;
  std::string type = "unicast";  ///< unicast, local, blackhole, unreachable, prohibit
};

/// What the analysis needs besides the ruleset: sysctls, interfaces, routes, legacy
/// iptables table names and the persistent configuration files of a capture.
struct HostContext {
  std::map<std::string, std::string> sysctl;   ///< "net.ipv4.ip_forward" -> "1"
  bool have_sysctl = false;
  std::vector<Interface> interfaces;
  bool have_interfaces = false;
  std::vector<Route> routes;
  bool have_routes = false;
  std::map<std::string, std::vector<std::string>> legacy_table_names;  ///< "ip" / "ip6" / "arp" -> names
  std::map<std::string, std::string> files;    ///< extra files of a capture by relative name

  const Interface* FindInterface(std::string_view name) const;
  /// sysctl value or std::nullopt when not captured.
  std::optional<std::string> Sysctl(std::string_view key) const;
};

/// A note the loader leaves when it degrades instead of failing: an unknown expression, an
/// xt match without arguments, a truncated input. Lint turns them into findings.
struct LoadNote {
  enum class Kind : uint8_t { kUnknownExpr, kXtNoArgs, kMergeMismatch, kUnsupported, kOther };
  Kind kind = Kind::kOther;
  std::string message;
  SourceRef where;
  std::string family, table, chain;
  uint64_t handle = 0;
};

struct Ruleset {
  std::vector<Table> tables;  ///< nftables tables (incl. iptables-nft) and legacy tables
  std::string nft_version;    ///< metainfo.version, if any
  int json_schema_version = 0;
  std::string origin;         ///< the input as the user named it
  HostContext host;
  std::vector<LoadNote> notes;

  const Table* FindTable(Family f, std::string_view name, Backend b = Backend::kNftables) const;
  Table* FindTable(Family f, std::string_view name, Backend b = Backend::kNftables);
  size_t ChainCount() const;
  size_t RuleCount() const;
};

}  // namespace nftc
