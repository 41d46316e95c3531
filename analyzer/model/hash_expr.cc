#include "model/hash_expr.h"

#include <nlohmann/json.hpp>

namespace nftc {

std::optional<HashExpr> ParseHashExpr(const Expr& x) {
  if (x.kind != ExprKind::kUnknown) return std::nullopt;
  const std::string& name = x.name;
  if (name != "numgen" && name != "jhash" && name != "symhash") return std::nullopt;
  auto j = nlohmann::json::parse(std::string_view(x.json), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains(name) || !j[name].is_object()) return std::nullopt;
  const auto& v = j[name];
  if (!v.contains("mod") || !v["mod"].is_number_unsigned()) return std::nullopt;
  HashExpr h;
  h.mod = v["mod"].get<uint64_t>();
  if (v.contains("offset") && v["offset"].is_number_unsigned()) h.offset = v["offset"].get<uint64_t>();
  if (h.mod == 0 || h.mod > 0xffffffffull || h.offset > 0xffffffffull - (h.mod - 1)) return std::nullopt;
  h.fresh = name == "numgen";
  h.text = name;
  if (v.contains("mode") && v["mode"].is_string()) h.text += " " + v["mode"].get<std::string>();
  h.text += " mod " + std::to_string(h.mod);
  if (h.offset) h.text += " offset " + std::to_string(h.offset);
  return h;
}

}  // namespace nftc
