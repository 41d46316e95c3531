#include "sim/domain.h"

#include <algorithm>

namespace nftc::sim {

u128 MaxOf(uint8_t bits) {
  if (bits == 0 || bits >= 128) return ~u128(0);
  return (u128(1) << bits) - 1;
}

NumSet NumSet::Range(u128 lo, u128 hi) {
  NumSet s;
  if (lo <= hi) s.iv_.push_back({lo, hi});
  return s;
}

NumSet NumSet::Of(std::vector<u128> values) {
  std::sort(values.begin(), values.end());
  NumSet s;
  for (u128 v : values) s.Add(v, v);
  return s;
}

void NumSet::Add(u128 lo, u128 hi) {
  if (lo > hi) return;
  // Interval i lies wholly before [lo, hi] and does not touch it (i.hi < lo, so no overflow).
  auto before = [&](const Interval& i) { return i.hi < lo && i.hi + 1 < lo; };
  // Sorted input (the usual case: set elements in order) appends: O(1), not O(n) per Add
  // (issue 7: building the domain of a 20k-element set was quadratic).
  if (iv_.empty() || before(iv_.back())) {
    iv_.push_back({lo, hi});
    return;
  }
  auto first = std::partition_point(iv_.begin(), iv_.end(), before);
  auto last = first;
  // Merge every interval that overlaps or touches [lo, hi].
  while (last != iv_.end() && !(last->lo > hi && (hi == ~u128(0) || last->lo > hi + 1))) {
    lo = std::min(lo, last->lo);
    hi = std::max(hi, last->hi);
    ++last;
  }
  if (first == last) {
    iv_.insert(first, {lo, hi});
  } else {
    *first = {lo, hi};
    iv_.erase(first + 1, last);
  }
}

NumSet NumSet::OfIntervals(std::vector<Interval> iv) {
  std::sort(iv.begin(), iv.end(), [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
  NumSet s;
  s.iv_.reserve(iv.size());
  for (const Interval& i : iv) s.Add(i.lo, i.hi);
  return s;
}

bool NumSet::Contains(u128 v) const {
  auto it = std::partition_point(iv_.begin(), iv_.end(), [v](const Interval& i) { return i.hi < v; });
  return it != iv_.end() && it->lo <= v;
}

uint64_t NumSet::Count() const {
  const u128 cap = u128(1) << 64;
  u128 n = 0;
  for (const Interval& i : iv_) {
    u128 w = i.hi - i.lo;
    if (w >= cap) return UINT64_MAX;
    n += w + 1;
    if (n >= cap) return UINT64_MAX;
  }
  return static_cast<uint64_t>(n);
}

std::vector<u128> NumSet::Values(uint64_t limit) const {
  std::vector<u128> out;
  if (Count() > limit) return out;
  for (const Interval& i : iv_)
    for (u128 v = i.lo;; ++v) {
      out.push_back(v);
      if (v == i.hi) break;
    }
  return out;
}

bool NumSet::Overlaps(const NumSet& o) const {
  const std::vector<Interval>& small = iv_.size() <= o.iv_.size() ? iv_ : o.iv_;
  const std::vector<Interval>& big = iv_.size() <= o.iv_.size() ? o.iv_ : iv_;
  if (small.empty() || big.empty()) return false;
  if (small.back().hi < big.front().lo || big.back().hi < small.front().lo) return false;
  for (const Interval& x : small) {
    auto it = std::partition_point(big.begin(), big.end(), [&](const Interval& i) { return i.hi < x.lo; });
    if (it == big.end()) return false;  // later intervals of `small` lie beyond too
    if (it->lo <= x.hi) return true;
  }
  return false;
}

bool NumSet::SubsetOf(const NumSet& o) const {
  if (iv_.empty()) return true;
  if (o.iv_.empty() || iv_.front().lo < o.iv_.front().lo || iv_.back().hi > o.iv_.back().hi) return false;
  if (iv_.size() > o.iv_.size()) {
    // Walk both (O(n + m)): each interval must lie inside one of o's.
    size_t b = 0;
    for (const Interval& x : iv_) {
      while (b < o.iv_.size() && o.iv_[b].hi < x.lo) ++b;
      if (b == o.iv_.size() || o.iv_[b].lo > x.lo || o.iv_[b].hi < x.hi) return false;
    }
    return true;
  }
  for (const Interval& x : iv_) {
    auto it = std::partition_point(o.iv_.begin(), o.iv_.end(), [&](const Interval& i) { return i.hi < x.lo; });
    if (it == o.iv_.end() || it->lo > x.lo || it->hi < x.hi) return false;
  }
  return true;
}

NumSet NumSet::Intersect(const NumSet& o) const {
  NumSet r;
  size_t a = 0, b = 0;
  while (a < iv_.size() && b < o.iv_.size()) {
    u128 lo = std::max(iv_[a].lo, o.iv_[b].lo);
    u128 hi = std::min(iv_[a].hi, o.iv_[b].hi);
    if (lo <= hi) r.iv_.push_back({lo, hi});
    if (iv_[a].hi < o.iv_[b].hi) ++a;
    else ++b;
  }
  return r;
}

NumSet NumSet::Subtract(const NumSet& o) const {
  NumSet r;
  for (Interval cur : iv_) {
    bool gone = false;
    for (const Interval& x : o.iv_) {
      if (x.hi < cur.lo || x.lo > cur.hi) continue;
      if (x.lo > cur.lo) r.iv_.push_back({cur.lo, x.lo - 1});
      if (x.hi >= cur.hi) { gone = true; break; }
      cur.lo = x.hi + 1;
    }
    if (!gone) r.iv_.push_back(cur);
  }
  return r;
}

NumSet NumSet::Union(const NumSet& o) const {
  NumSet r = *this;
  for (const Interval& i : o.iv_) r.Add(i.lo, i.hi);
  return r;
}

bool NumSet::operator==(const NumSet& o) const {
  if (iv_.size() != o.iv_.size()) return false;
  for (size_t i = 0; i < iv_.size(); ++i)
    if (iv_[i].lo != o.iv_[i].lo || iv_[i].hi != o.iv_[i].hi) return false;
  return true;
}

int FieldDom::DecideMasked(u128 mask, u128 val) const {
  if (set.IsSingle()) return (set.First() & mask) == val ? 1 : 0;
  for (const MaskFact& f : facts) {
    if (f.eq && (f.mask & mask) == mask) return (f.val & mask) == val ? 1 : 0;
    if (!f.eq && f.mask == mask && f.val == val) return 0;
  }
  return -1;
}

bool IfnameMatches(const std::string& name, const std::string& pattern) {
  if (!pattern.empty() && pattern.back() == '*') {
    std::string_view pre(pattern.data(), pattern.size() - 1);
    return name.compare(0, pre.size(), pre) == 0;
  }
  return name == pattern;
}

static bool IsWildcard(const std::string& p) { return !p.empty() && p.back() == '*'; }

int IfDom::Decide(const std::string& pattern) const {
  if (kind == Kind::kAbsent) return IfnameMatches("", pattern) ? 1 : 0;  // no device: name ""
  if (kind == Kind::kKnown) return IfnameMatches(name, pattern) ? 1 : 0;
  for (const auto& m : must)
    if (m == pattern) return 1;
  for (const auto& m : must_not)
    if (m == pattern) return 0;
  if (!IsWildcard(pattern)) {
    // An exact name: ruled out by a wildcard it must match but does not, or by a
    // wildcard it must not match but does.
    for (const auto& m : must)
      if (!IfnameMatches(pattern, m)) return 0;
    for (const auto& m : must_not)
      if (IfnameMatches(pattern, m)) return 0;
  } else {
    // A wildcard: implied by an exact must-name or a more specific must-wildcard.
    for (const auto& m : must)
      if (IfnameMatches(IsWildcard(m) ? m.substr(0, m.size() - 1) : m, pattern)) return 1;
    for (const auto& m : must_not)
      if (IsWildcard(m) && IfnameMatches(pattern.substr(0, pattern.size() - 1), m)) return 0;
  }
  return -1;
}

void IfDom::Refine(const std::string& pattern, bool matches) {
  if (kind != Kind::kAny) return;
  if (matches && !IsWildcard(pattern)) {
    *this = Known(pattern);
    return;
  }
  (matches ? must : must_not).push_back(pattern);
}

std::string IfDom::ToString() const {
  switch (kind) {
    case Kind::kAbsent: return "(none)";
    case Kind::kKnown: return name;
    case Kind::kAny: break;
  }
  std::string s = "any";
  for (const auto& m : must) s += " =" + m;
  for (const auto& m : must_not) s += " !=" + m;
  return s;
}

}  // namespace nftc::sim
