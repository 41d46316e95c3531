// The process-wide pool behind IStr; see nftc/istr.h.
#include "nftc/istr.h"

#include <mutex>
#include <unordered_set>

namespace nftc {

namespace {

struct SvHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>()(s); }
};

struct Pool {
  std::mutex mu;
  std::unordered_set<std::string, SvHash, std::equal_to<>> strings;
  size_t bytes = 0;
};

// Never destroyed: IStr objects in statics may outlive any destruction order.
Pool& ThePool() {
  static Pool* pool = [] {
    auto* p = new Pool;
    p->strings.reserve(1024);
    return p;
  }();
  return *pool;
}

}  // namespace

const std::string& IStr::Empty() noexcept {
  static const std::string* empty = new std::string();
  return *empty;
}

const std::string* IStr::Intern(std::string_view s) {
  if (s.empty()) return &Empty();
  Pool& pool = ThePool();
  std::lock_guard<std::mutex> lock(pool.mu);
  auto it = pool.strings.find(s);
  if (it == pool.strings.end()) {
    it = pool.strings.emplace(s).first;
    pool.bytes += s.size() > 15 ? s.size() + 1 : 0;
  }
  return &*it;
}

size_t IStr::PoolCount() {
  Pool& pool = ThePool();
  std::lock_guard<std::mutex> lock(pool.mu);
  return pool.strings.size();
}

size_t IStr::PoolBytes() {
  Pool& pool = ThePool();
  std::lock_guard<std::mutex> lock(pool.mu);
  // Node: next pointer + std::string + cached hash, plus the heap text of long strings.
  return pool.strings.size() * (sizeof(void*) * 2 + sizeof(std::string)) + pool.bytes +
         pool.strings.bucket_count() * sizeof(void*);
}

}  // namespace nftc
