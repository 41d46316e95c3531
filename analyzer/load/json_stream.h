// Streaming reader for nft's JSON document: {"nftables": [ item, item, ... ]}.
//
// A DOM of the whole document costs ~12x the file size (issue 7), and even nlohmann's DOM of
// one item at a time allocates a std::map per object. So this reads the text with its own
// parser into a small arena that holds one top-level item at a time (nodes are reused, strings
// are views into the text), and hands the item to a callback. The elements of a set or map
// ("elem": [...] inside a "set"/"map"/"element" item) are handed over one by one as well, so a
// set with a million elements never exists as a tree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace nftc {

/// One parsed JSON value inside a JsonArena. Objects and arrays link their children.
struct JsonNode {
  enum class Type : uint8_t { kNull, kBool, kInt, kUint, kFloat, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  uint32_t first = 0;   ///< first child (arrays, objects); kNil when empty
  uint32_t next = 0;    ///< next sibling; kNil for the last
  uint32_t count = 0;   ///< number of children
  std::string_view key; ///< member name when the parent is an object
  std::string_view str; ///< kString
  union {
    uint64_t u;
    int64_t i;
    double d;
  } num{};
};

class JsonArena;

/// A read-only handle to a node, with the subset of nlohmann::json's interface the loader
/// uses (is_object, size, find via Member, get<T>, iteration, dump). A default handle is
/// "absent": it converts to false, and `->` / `*` return the handle itself, so code written
/// against `const json*` member lookups reads the same.
class JsonVal {
 public:
  static constexpr uint32_t kNil = UINT32_MAX;
  JsonVal() = default;
  JsonVal(const JsonArena* a, uint32_t i) : a_(a), i_(i) {}

  explicit operator bool() const { return a_ && i_ != kNil; }
  const JsonVal* operator->() const { return this; }
  const JsonVal& operator*() const { return *this; }

  bool is_null() const { return type() == JsonNode::Type::kNull; }
  bool is_boolean() const { return type() == JsonNode::Type::kBool; }
  bool is_string() const { return type() == JsonNode::Type::kString; }
  bool is_array() const { return type() == JsonNode::Type::kArray; }
  bool is_object() const { return type() == JsonNode::Type::kObject; }
  bool is_number_unsigned() const { return type() == JsonNode::Type::kUint; }
  bool is_number_integer() const { return type() == JsonNode::Type::kUint || type() == JsonNode::Type::kInt; }
  bool is_number_float() const { return type() == JsonNode::Type::kFloat; }
  bool is_number() const { return is_number_integer() || is_number_float(); }

  /// Children of an array/object; 0 for scalars.
  size_t size() const;
  /// The i-th child (arrays; objects in member order); absent when out of range.
  JsonVal operator[](size_t i) const;
  /// The member named `k` (the last one, as nlohmann keeps it); absent when missing.
  JsonVal find(std::string_view k) const;
  /// Member name of this node in its parent object.
  std::string_view key() const;
  /// The first child (for one-member objects: {"kind": body}).
  JsonVal front() const;

  std::string_view sv() const;  ///< string value, "" if not a string
  uint64_t as_u64() const;
  int64_t as_i64() const;
  bool as_bool() const;
  template <class T>
  T get() const;

  /// Compact JSON text of this value (members in input order).
  std::string dump() const;

  class iterator {
   public:
    iterator(const JsonArena* a, uint32_t i) : a_(a), i_(i) {}
    JsonVal operator*() const { return JsonVal(a_, i_); }
    iterator& operator++();
    bool operator!=(const iterator& o) const { return i_ != o.i_; }

   private:
    const JsonArena* a_;
    uint32_t i_;
  };
  iterator begin() const;
  iterator end() const { return iterator(a_, kNil); }

 private:
  const JsonNode& node() const;
  JsonNode::Type type() const { return *this ? node().type : JsonNode::Type::kNull; }
  void Dump(std::string& out) const;

  const JsonArena* a_ = nullptr;
  uint32_t i_ = kNil;
};

template <>
inline std::string JsonVal::get<std::string>() const { return std::string(sv()); }
template <>
inline uint64_t JsonVal::get<uint64_t>() const { return as_u64(); }
template <>
inline uint32_t JsonVal::get<uint32_t>() const { return static_cast<uint32_t>(as_u64()); }
template <>
inline int64_t JsonVal::get<int64_t>() const { return as_i64(); }
template <>
inline int32_t JsonVal::get<int32_t>() const { return static_cast<int32_t>(as_i64()); }
template <>
inline bool JsonVal::get<bool>() const { return as_bool(); }

/// Node storage for one item: reused from item to item, so steady-state parsing allocates
/// nothing but the strings that need unescaping.
class JsonArena {
 public:
  std::vector<JsonNode> nodes;
  std::deque<std::string> unescaped;  ///< strings with escapes (views point here)
  const JsonNode& at(uint32_t i) const { return nodes[i]; }
};

inline const JsonNode& JsonVal::node() const { return a_->at(i_); }

struct JsonStreamCallbacks {
  /// Called for each element of an "elem" array of the current item, in order, before the
  /// item itself. `kind` is "set", "map" or "element"; `header` holds the item's members
  /// read so far (everything before "elem": type, flags, name, ...).
  std::function<void(size_t item_index, std::string_view kind, JsonVal header, JsonVal elem)> on_elem;
  /// Optional: called once before the elements of an "elem" array with their number (a
  /// quick bracket-counting pass), so the receiver can reserve exactly instead of growing a
  /// vector of a million elements by doubling (which peaks at 3x its final size).
  std::function<void(size_t item_index, std::string_view kind, JsonVal header, size_t count)> on_elem_count;
  /// Called for each complete top-level item (without the streamed "elem" members).
  std::function<void(size_t item_index, JsonVal item)> on_item;
  /// Optional: the parser will not look at text[from, to) again (called every few MB), so
  /// a caller that mapped the file may drop those pages.
  std::function<void(size_t from, size_t to)> on_release;
};

/// Parses `text`. Throws InputError (with byte offset and item index) on malformed JSON,
/// nesting deeper than `max_depth`, or a document that is not {"nftables": [...]}.
void StreamNftJson(std::string_view text, const std::string& origin, const JsonStreamCallbacks& cb,
                   size_t max_depth = 64);

/// Parses one standalone JSON value (tests, small inputs) into `arena`; returns its root.
/// Throws InputError on malformed text.
JsonVal ParseJsonValue(std::string_view text, JsonArena& arena, size_t max_depth = 64);

}  // namespace nftc
