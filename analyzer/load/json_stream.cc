#include "load/json_stream.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nftc/error.h"

namespace nftc {

namespace {

using json = nlohmann::json;

/// Builds one JSON value from SAX events.
class Builder {
 public:
  bool empty() const { return stack_.empty() && !has_root_; }
  bool complete() const { return has_root_ && stack_.empty(); }
  size_t open() const { return stack_.size(); }
  json& root() { return root_; }
  json* at(size_t level) { return level < stack_.size() ? stack_[level] : nullptr; }
  const std::string& key() const { return key_; }
  /// Key of the member currently open at `level` (0 = the root object).
  const std::string& key_at(size_t level) const { return keys_[level]; }

  void Reset() {
    root_ = json();
    stack_.clear();
    keys_.clear();
    key_.clear();
    has_root_ = false;
  }
  void Scalar(json&& v) { Place(std::move(v)); }
  void Start(bool object) {
    json* slot = Place(object ? json::object() : json::array());
    stack_.push_back(slot);
    keys_.emplace_back();
  }
  void End() {
    stack_.pop_back();
    keys_.pop_back();
  }
  void Key(std::string&& k) {
    key_ = std::move(k);
    if (!keys_.empty()) keys_.back() = key_;
  }

 private:
  json* Place(json&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      has_root_ = true;
      return &root_;
    }
    json* top = stack_.back();
    if (top->is_array()) {
      top->push_back(std::move(v));
      return &top->back();
    }
    json& slot = (*top)[key_];
    slot = std::move(v);
    return &slot;
  }

  json root_;
  std::vector<json*> stack_;
  std::vector<std::string> keys_;
  std::string key_;
  bool has_root_ = false;
};

class Handler {
 public:
  Handler(const JsonStreamCallbacks& cb, size_t max_depth) : cb_(cb), max_depth_(max_depth) {}

  bool null() { return Value(json()); }
  bool boolean(bool v) { return Value(json(v)); }
  bool number_integer(json::number_integer_t v) { return Value(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return Value(json(v)); }
  bool number_float(json::number_float_t v, const std::string&) { return Value(json(v)); }
  bool string(std::string& v) { return Value(json(std::move(v))); }
  bool binary(json::binary_t&) { return Fail("binary value"); }

  bool key(std::string& k) {
    if (depth_ == 1) {
      root_key_ = k;
      return true;
    }
    Target().Key(std::move(k));
    return true;
  }

  bool start_object(std::size_t) { return Start(true); }
  bool start_array(std::size_t) { return Start(false); }
  bool end_object() { return End(); }
  bool end_array() { return End(); }

  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& ex) {
    error_ = "malformed JSON at byte " + std::to_string(pos) + ": " + ex.what();
    return false;
  }

  const std::string& error() const { return error_; }
  size_t items() const { return item_index_; }
  bool saw_list() const { return saw_list_; }

 private:
  bool Fail(std::string msg) {
    if (error_.empty()) error_ = std::move(msg);
    return false;
  }
  Builder& Target() { return streaming_ ? elem_ : item_; }

  bool Value(json&& v) {
    if (depth_ == 0) return Fail("top level is not an object (expected {\"nftables\": [...]})");
    if (depth_ == 1) return root_key_ == "nftables" ? Fail("\"nftables\" is not an array") : true;
    if (skip_ > 0) return true;
    Builder& b = Target();
    b.Scalar(std::move(v));
    return Finished();
  }

  bool Start(bool object) {
    if (++depth_ > max_depth_) return Fail("JSON nested deeper than " + std::to_string(max_depth_) + " levels");
    if (depth_ == 1) {
      if (!object) return Fail("top level is an array (expected {\"nftables\": [...]})");
      return true;
    }
    if (depth_ == 2) {
      if (root_key_ != "nftables") {
        skip_ = 1;  // an unknown member of the root: ignore its value
        return true;
      }
      if (object) return Fail("\"nftables\" is not an array");
      saw_list_ = true;
      in_list_ = true;
      return true;
    }
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    // "elem": [ ... ] directly inside {"set"|"map"|"element": {...}}: stream its members.
    if (!object && !streaming_ && item_.open() == 2 && item_.key() == "elem") {
      const std::string& kind = item_.key_at(0);
      if (kind == "set" || kind == "map" || kind == "element") {
        streaming_ = true;
        stream_depth_ = depth_;
        return true;
      }
    }
    Target().Start(object);
    return true;
  }

  bool End() {
    if (depth_ == 0) return Fail("unbalanced JSON");
    if (depth_ == 1 || depth_ == 2) {
      if (depth_ == 2 && skip_ > 0) skip_ = 0;
      if (depth_ == 2) in_list_ = false;
      --depth_;
      return true;
    }
    if (skip_ > 0) {
      --skip_;
      --depth_;
      return true;
    }
    if (streaming_ && depth_ == stream_depth_) {
      streaming_ = false;
      --depth_;
      return true;
    }
    Target().End();
    --depth_;
    return Finished();
  }

  /// Hands over a completed element or item.
  bool Finished() {
    if (streaming_) {
      if (elem_.complete()) {
        if (cb_.on_elem) cb_.on_elem(item_index_, item_.key_at(0), *item_.at(1), std::move(elem_.root()));
        elem_.Reset();
      }
      return true;
    }
    if (item_.complete()) {
      if (cb_.on_item) cb_.on_item(item_index_, std::move(item_.root()));
      item_.Reset();
      ++item_index_;
    }
    return true;
  }

  const JsonStreamCallbacks& cb_;
  size_t max_depth_;
  size_t depth_ = 0;
  size_t skip_ = 0;
  std::string root_key_;
  bool in_list_ = false;
  bool saw_list_ = false;
  bool streaming_ = false;
  size_t stream_depth_ = 0;
  size_t item_index_ = 0;
  Builder item_, elem_;
  std::string error_;
};

}  // namespace

void StreamNftJson(std::string_view text, const std::string& origin, const JsonStreamCallbacks& cb,
                   size_t max_depth) {
  Handler h(cb, max_depth);
  bool ok;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &h, json::input_format_t::json, true, true);
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    // A callback rejected an item; it names the item itself.
    throw InputError(e.what(), SourceRef{origin, static_cast<int64_t>(h.items()), -1});
  }
  if (!ok) {
    std::string msg = h.error().empty() ? "malformed JSON" : h.error();
    if (h.items() > 0) msg += " (after " + std::to_string(h.items()) + " complete items)";
    throw InputError(msg, SourceRef{origin, -1, -1});
  }
  if (!h.saw_list()) throw InputError("not an nft JSON ruleset: no \"nftables\" array", SourceRef{origin, -1, -1});
}

}  // namespace nftc
