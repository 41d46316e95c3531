// An index over the elements of one named set or map, so a lookup does not scan the
// elements (issue 7: sets with a million banned addresses, verdict maps with 10k services).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "nftc/model.h"

namespace nftc {

/// Per-Set cache of structures derived from its elements (Set::derived), so that a
/// simulator that evaluates `ip saddr @blocklist` a thousand times builds the value domain
/// of a 200k-element set once (issue 7). Slots belong to their users (kSlot* below).
struct SetDerived {
  const SetElem* data = nullptr;  ///< elems.data() / size() it was built from
  size_t size = 0;
  std::shared_ptr<const void> slots[4];
};
enum : int { kSlotSimDomain = 0, kSlotSimElems = 1, kSlotIndex = 2, kSlotSimIntKeys = 3 };

/// The structure in `slot` of `set`'s cache: built with make() (returning
/// std::shared_ptr<const T>) on first use, or again when the elements moved or changed size.
template <class T, class Make>
const T& DerivedOf(const Set& set, int slot, Make&& make) {
  if (!set.derived || set.derived->data != set.elems.data() || set.derived->size != set.elems.size()) {
    set.derived = std::make_shared<SetDerived>();
    set.derived->data = set.elems.data();
    set.derived->size = set.elems.size();
  }
  auto& p = set.derived->slots[slot];
  if (!p) p = std::shared_ptr<const void>(make());
  return *static_cast<const T*>(p.get());
}

/// Read-only lookup structure over a Set's elements. Build once (O(n log n)), then
/// Lookup(key) -> the matching element or nullptr.
///
/// Matching follows the model's SetElem convention: an element matches a key when every
/// concatenation component matches: integers lie in [lo, hi] (lo == hi for an exact key, a
/// prefix or range otherwise); strings are equal, or, when the element's string ends in '*'
/// (an ifname wildcard such as "veth*"), the key starts with the part before the '*'.
/// A key must have as many components as the element.
///
/// Layout, chosen per element:
/// - every component exact: an open-addressing hash table over the whole key (O(1));
/// - first component exact, a later one a range: hashed by the first component, the few
///   candidates that share it are checked in order;
/// - first component an integer range: sorted by its low end with a running maximum of the
///   high ends, so a stabbing query is a binary search plus a backward scan that stops as
///   soon as no earlier interval can reach the key (O(log n) for the disjoint intervals the
///   kernel keeps in interval sets; more only when elements overlap);
/// - anything else (string ranges, wildcards in the first component): a short linear list.
///
/// When several elements match (the kernel rejects overlapping elements, but a hand-written
/// input may have them), the one that comes first in the set wins.
///
/// The index keeps a pointer to the Set: the Set must outlive it and its elements must not
/// change.
class SetIndex {
 public:
  SetIndex() = default;
  explicit SetIndex(const Set& set);

  /// The element matching `key` (one Value per concatenation component), or nullptr.
  const SetElem* Lookup(const std::vector<Value>& key) const;
  /// Same, for a single-component key.
  const SetElem* Lookup(const Value& key) const;

  const Set* set() const { return set_; }
  size_t size() const { return set_ ? set_->elems.size() : 0; }

  /// True when `key` matches element `e` (the rule above).
  static bool Matches(const SetElem& e, const Value* key, size_t n);

 private:
  static constexpr uint32_t kNone = UINT32_MAX;

  struct Slot {
    uint32_t elem = kNone;  ///< index into set_->elems, kNone when empty
    uint32_t hash = 0;      ///< low bits of the key hash, to skip most mismatches
  };
  struct Range {
    u128 lo;      ///< first component's low end
    u128 max_hi;  ///< maximum high end of this and every earlier range (sorted order)
    uint32_t elem;
  };
  struct Group {
    uint64_t hash;  ///< hash of the first component
    std::vector<uint32_t> elems;
  };

  uint32_t LookupExact(const Value* key, size_t n) const;
  uint32_t LookupGroups(const Value* key, size_t n) const;
  uint32_t LookupRanges(const Value* key, size_t n) const;
  uint32_t LookupLinear(const Value* key, size_t n) const;
  const SetElem* Find(const Value* key, size_t n) const;

  const Set* set_ = nullptr;
  std::vector<Slot> exact_;      ///< size is a power of two (or 0)
  std::vector<Group> groups_;    ///< open addressing over groups_ via group_slots_
  std::vector<uint32_t> group_slots_;  ///< index into groups_ + 1, 0 = empty
  std::vector<Range> ranges_;    ///< sorted by lo
  std::vector<uint32_t> linear_;
};

/// Hash of one Value (kind, number and string); equal Values hash equally whatever their bits.
uint64_t HashValue(const Value& v);

}  // namespace nftc
