// Internal helpers of the iptables translation: value parsing and model-expression builders.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iptables/translate.h"
#include "nftc/model.h"

namespace nftc::ipt::detail {

/// "80", "0x50" -> number (at most `max`).
std::optional<uint64_t> ParseNum(std::string_view s, uint64_t max = UINT32_MAX);
/// An IPv4 or IPv6 address (per v6) -> integer.
std::optional<u128> ParseAddr(std::string_view s, bool v6);
/// A protocol name or number ("tcp", "6", "ipv6-icmp") -> number; "all" -> 0.
std::optional<uint8_t> ProtoNumber(std::string_view s);
/// A port number or a service name iptables accepts ("ssh", "http", ...).
std::optional<uint16_t> ParsePort(std::string_view s);

Expr ValueExpr(u128 v, uint8_t bits, DataType t);
Expr StrExpr(std::string s, DataType t);
Expr PayloadExpr(Field f, DataType t);
Expr MetaExpr(MetaKey k, DataType t);
Expr CtExpr(CtKey k, DataType t, CtDir dir = CtDir::kNone);
Expr RangeExpr(Expr lo, Expr hi);
Expr BinopExpr(BinOp op, Expr a, Expr b);
/// "absent" operand of kNat (kSymbol with an empty name).
Expr AbsentExpr();

/// A match statement lhs == rhs (kNe when neg).
Stmt MatchStmt(Expr lhs, Expr rhs, bool neg, MatchOp op = MatchOp::kImplicit);
/// A statement the model cannot evaluate; text = what, json = the iptables text.
Stmt UnknownStmt(std::string what, std::string detail);
/// A statement without effect on the packet's fate.
Stmt OtherStmt(std::string what);

/// "10.0.0.0/8", "10.0.0.0/255.0.0.0", "1.2.3.4": the constant side of an address match.
/// A full-length mask gives a kValue, a prefix a kPrefix; a non-contiguous mask gives a
/// kValue and sets *mask (the caller matches (addr & mask) == value).
std::optional<Expr> AddrOperand(std::string_view s, bool v6, std::optional<u128>* mask);
/// Adds "field <op> addr[/mask]" to out (kUnknown if the address does not parse).
void AddAddrMatch(Expr lhs, std::string_view s, bool v6, bool neg, std::string_view what,
                  Translation& out);

/// "80", "1024:65535", ":1023", "1024:" -> kValue or kRange of ports (16 bit). The separator
/// is ':' (iptables match syntax) or '-' (when dash is true, NAT syntax).
std::optional<Expr> PortOperand(std::string_view s, bool dash = false);
/// "22,80,1000:2000" -> a kSet of ports/ranges (or the single operand for one item).
std::optional<Expr> PortListOperand(std::string_view s);

/// Transport port fields for a protocol ("tcp" -> kTcpSport/kTcpDport, else kThSport/...).
Field SportField(std::string_view proto);
Field DportField(std::string_view proto);

/// Splits "a,b,c".
std::vector<std::string_view> SplitList(std::string_view s, char sep = ',');
/// Upper-cases ASCII.
std::string Upper(std::string_view s);
/// Joins args with spaces (for kUnknown text).
std::string Join(const std::vector<std::string>& v);

/// Walks module/target options: "!" before an option marks it negated.
struct Opt {
  std::string name;                 ///< "--dport"
  std::vector<std::string> values;  ///< values up to the next option
  bool neg = false;
};
std::vector<Opt> SplitOpts(const std::vector<std::string>& args);

/// "-m icmp" (v6 false) / "-m icmp6" (v6 true) -> icmp type/code matches (translate_icmp.cc).
void TranslateIcmp(const Module& m, bool v6, Translation& out);

}  // namespace nftc::ipt::detail
