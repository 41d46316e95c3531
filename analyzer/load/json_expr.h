// nft JSON expressions and statements -> model Expr / Stmt.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "load/json_stream.h"

#include "nftc/model.h"

namespace nftc {

/// Context of one conversion: where we are, for notes and errors. The names are views into
/// the item being converted (valid while it is).
struct ExprContext {
  const SourceRef* where = nullptr;
  std::vector<LoadNote>* notes = nullptr;
  std::string_view family, table, chain;
  uint64_t handle = 0;
  Family fam = Family::kInet;
  /// Set types of the table, so "@name" references can type their operands.
  const std::vector<Set>* sets = nullptr;
};

/// Converts one statement object ({"match": ...}, {"accept": null}, ...).
Stmt ConvertStmt(JsonVal j, ExprContext& ctx);

/// Converts an expression; `type` is the datatype expected for constants (from the other
/// side of a match), kUnknown if none.
Expr ConvertExpr(JsonVal j, DataType type, ExprContext& ctx);

/// The datatype a packet-side expression yields (payload ip saddr -> kIpv4Addr ...).
DataType TypeOf(const Expr& e);

/// Converts a set/map element (key, or [key, data] for maps) into a SetElem, using the set's
/// key and data types.
SetElem ConvertElem(JsonVal j, const Set& set, ExprContext& ctx);

/// Converts a verdict object ({"jump": {"target": "x"}}, {"accept": null}); kind kNone if it
/// is not one.
Verdict ConvertVerdict(JsonVal j);

}  // namespace nftc
