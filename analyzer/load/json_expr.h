// nft JSON expressions and statements -> model Expr / Stmt.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nftc/model.h"

namespace nftc {

/// Context of one conversion: where we are, for notes and errors.
struct ExprContext {
  const SourceRef* where = nullptr;
  std::vector<LoadNote>* notes = nullptr;
  std::string family, table, chain;
  uint64_t handle = 0;
  Family fam = Family::kInet;
  /// Set types of the table, so "@name" references can type their operands.
  const std::vector<Set>* sets = nullptr;
};

/// Converts one statement object ({"match": ...}, {"accept": null}, ...).
Stmt ConvertStmt(const nlohmann::json& j, ExprContext& ctx);

/// Converts an expression; `type` is the datatype expected for constants (from the other
/// side of a match), kUnknown if none.
Expr ConvertExpr(const nlohmann::json& j, DataType type, ExprContext& ctx);

/// The datatype a packet-side expression yields (payload ip saddr -> kIpv4Addr ...).
DataType TypeOf(const Expr& e);

/// Converts a set/map element (key, or [key, data] for maps) into a SetElem, using the set's
/// key and data types.
SetElem ConvertElem(const nlohmann::json& j, const Set& set, ExprContext& ctx);

/// Converts a verdict object ({"jump": {"target": "x"}}, {"accept": null}); kind kNone if it
/// is not one.
Verdict ConvertVerdict(const nlohmann::json& j);

}  // namespace nftc
