// Lookups of a (possibly concatenated) key in anonymous and named sets, maps and verdict
// maps, on a symbolic packet.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/expr_eval.h"

namespace nftc::sim {

/// One element, normalised: per key component a number set or an interface pattern.
struct LElem {
  struct Comp {
    bool is_str = false;
    NumSet num;
    std::string str;
  };
  std::vector<Comp> comps;
  Verdict verdict;            ///< verdict maps
  std::vector<Value> data;    ///< data maps (per data component)
  std::string text;           ///< for conditions
};

/// Splits the current path by which element (if any) the key `key` finds in `set` (a kSet,
/// kSetRef or map expression). `on` is called once per resulting path, with the element or
/// nullptr for "no element". The current path gets the first call; the others are pushed
/// to e.extra. Returns false when the set cannot be evaluated (the caller then treats the
/// condition as opaque).
bool Lookup(Eval& e, const Expr& key, const Expr& set, const std::string& cond,
            const std::function<void(Ctx&, const LElem*)>& on);

/// Whether the named set `name` of the rule's table holds the concrete single-component
/// `key`, through the model's SetIndex. nullopt when the set is missing, has several key
/// components, or has values the simulator cannot compare.
std::optional<bool> NamedSetContains(const Eval& e, const std::string& name, const Value& key);

}  // namespace nftc::sim
