#include "model/set_index.h"

#include <algorithm>
#include <string_view>

namespace nftc {

namespace {

uint64_t Mix(uint64_t h, uint64_t v) {
  // splitmix64-style combine: cheap and good enough to spread sequential addresses.
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 29;
  return h;
}

bool IsWildcard(const Value& v) {
  return v.kind == Value::Kind::kString && !v.str.empty() && v.str.back() == '*';
}

/// A component usable as an exact hash key: lo == hi, a concrete int or a plain string.
bool ExactComponent(const Value& lo, const Value& hi) {
  return lo.kind != Value::Kind::kNone && !IsWildcard(lo) && lo == hi;
}

uint64_t HashKey(const Value* key, size_t n) {
  uint64_t h = n;
  for (size_t i = 0; i < n; ++i) h = Mix(h, HashValue(key[i]));
  return h;
}

size_t PowerOfTwoAtLeast(size_t n) {
  size_t c = 16;
  while (c < n) c <<= 1;
  return c;
}

}  // namespace

uint64_t HashValue(const Value& v) {
  uint64_t h = Mix(uint64_t(v.kind), uint64_t(v.num));
  h = Mix(h, uint64_t(v.num >> 64));
  if (v.kind == Value::Kind::kString) h = Mix(h, std::hash<std::string_view>()(v.str));
  return h;
}

bool SetIndex::Matches(const SetElem& e, const Value* key, size_t n) {
  if (e.lo.size() != n || e.hi.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    const Value& lo = e.lo[i];
    const Value& k = key[i];
    switch (lo.kind) {
      case Value::Kind::kInt:
        if (k.kind != Value::Kind::kInt || k.num < lo.num || k.num > e.hi[i].num) return false;
        break;
      case Value::Kind::kString:
        if (k.kind != Value::Kind::kString) return false;
        if (IsWildcard(lo)) {
          std::string_view prefix(lo.str.data(), lo.str.size() - 1);
          if (std::string_view(k.str).substr(0, prefix.size()) != prefix) return false;
        } else if (k.str != lo.str) {
          return false;
        }
        break;
      case Value::Kind::kNone:
        return false;
    }
  }
  return true;
}

SetIndex::SetIndex(const Set& set) : set_(&set) {
  const auto& elems = set.elems;
  std::vector<uint32_t> exact, grouped;
  for (uint32_t i = 0; i < elems.size(); ++i) {
    const SetElem& e = elems[i];
    size_t n = e.lo.size();
    if (n == 0 || e.hi.size() != n) {
      linear_.push_back(i);
      continue;
    }
    bool all_exact = true;
    for (size_t c = 0; c < n && all_exact; ++c) all_exact = ExactComponent(e.lo[c], e.hi[c]);
    if (all_exact) exact.push_back(i);
    else if (ExactComponent(e.lo[0], e.hi[0])) grouped.push_back(i);
    else if (e.lo[0].kind == Value::Kind::kInt && e.hi[0].kind == Value::Kind::kInt && e.lo[0].num <= e.hi[0].num)
      ranges_.push_back(Range{e.lo[0].num, e.hi[0].num, i});
    else
      linear_.push_back(i);
  }

  if (!exact.empty()) {
    exact_.resize(PowerOfTwoAtLeast(exact.size() * 2));
    size_t mask = exact_.size() - 1;
    for (uint32_t i : exact) {
      const SetElem& e = elems[i];
      uint64_t h = HashKey(e.lo.data(), e.lo.size());
      for (size_t s = h & mask;; s = (s + 1) & mask) {
        Slot& slot = exact_[s];
        if (slot.elem == kNone) {
          slot = Slot{i, uint32_t(h)};
          break;
        }
        // A duplicate key: the earlier element already wins.
        if (slot.hash == uint32_t(h) && elems[slot.elem].lo == e.lo) break;
      }
    }
  }

  if (!grouped.empty()) {
    group_slots_.assign(PowerOfTwoAtLeast(grouped.size() * 2), 0);
    size_t mask = group_slots_.size() - 1;
    for (uint32_t i : grouped) {
      const Value& first = elems[i].lo[0];
      uint64_t h = HashValue(first);
      for (size_t s = h & mask;; s = (s + 1) & mask) {
        uint32_t& gs = group_slots_[s];
        if (gs == 0) {
          groups_.push_back(Group{h, {i}});
          gs = uint32_t(groups_.size());
          break;
        }
        Group& g = groups_[gs - 1];
        if (g.hash == h && elems[g.elems[0]].lo[0] == first) {
          g.elems.push_back(i);  // ascending: elements are visited in order
          break;
        }
      }
    }
  }

  std::stable_sort(ranges_.begin(), ranges_.end(), [](const Range& a, const Range& b) { return a.lo < b.lo; });
  u128 run = 0;
  for (size_t k = 0; k < ranges_.size(); ++k) {
    run = k == 0 ? ranges_[k].max_hi : std::max(run, ranges_[k].max_hi);
    ranges_[k].max_hi = run;
  }
}

uint32_t SetIndex::LookupExact(const Value* key, size_t n) const {
  if (exact_.empty()) return kNone;
  uint64_t h = HashKey(key, n);
  size_t mask = exact_.size() - 1;
  for (size_t s = h & mask;; s = (s + 1) & mask) {
    const Slot& slot = exact_[s];
    if (slot.elem == kNone) return kNone;
    if (slot.hash == uint32_t(h) && Matches(set_->elems[slot.elem], key, n)) return slot.elem;
  }
}

uint32_t SetIndex::LookupGroups(const Value* key, size_t n) const {
  if (groups_.empty()) return kNone;
  uint64_t h = HashValue(key[0]);
  size_t mask = group_slots_.size() - 1;
  for (size_t s = h & mask;; s = (s + 1) & mask) {
    uint32_t gs = group_slots_[s];
    if (gs == 0) return kNone;
    const Group& g = groups_[gs - 1];
    if (g.hash != h || !(set_->elems[g.elems[0]].lo[0] == key[0])) continue;
    for (uint32_t i : g.elems)
      if (Matches(set_->elems[i], key, n)) return i;
    return kNone;
  }
}

uint32_t SetIndex::LookupRanges(const Value* key, size_t n) const {
  if (ranges_.empty() || key[0].kind != Value::Kind::kInt) return kNone;
  u128 k = key[0].num;
  // Last range with lo <= k; walk back while some earlier range can still reach k.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), k, [](u128 v, const Range& r) { return v < r.lo; });
  uint32_t best = kNone;
  while (it != ranges_.begin()) {
    --it;
    if (it->max_hi < k) break;
    if (it->elem < best && Matches(set_->elems[it->elem], key, n)) best = it->elem;
  }
  return best;
}

uint32_t SetIndex::LookupLinear(const Value* key, size_t n) const {
  for (uint32_t i : linear_)
    if (Matches(set_->elems[i], key, n)) return i;
  return kNone;
}

const SetElem* SetIndex::Find(const Value* key, size_t n) const {
  if (!set_ || n == 0) return nullptr;
  uint32_t best = LookupExact(key, n);
  best = std::min(best, LookupGroups(key, n));
  best = std::min(best, LookupRanges(key, n));
  best = std::min(best, LookupLinear(key, n));
  return best == kNone ? nullptr : &set_->elems[best];
}

const SetElem* SetIndex::Lookup(const std::vector<Value>& key) const { return Find(key.data(), key.size()); }

const SetElem* SetIndex::Lookup(const Value& key) const { return Find(&key, 1); }

}  // namespace nftc
