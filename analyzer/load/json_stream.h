// Streaming reader for nft's JSON document: {"nftables": [ item, item, ... ]}.
//
// A DOM of the whole document costs ~12x the file size (issue 7), so this reads with a SAX
// pass and materialises one top-level item at a time. The elements of a set or map
// ("elem": [...] inside a "set"/"map"/"element" item) are handed over one by one as well,
// so a set with a million elements never exists as a DOM.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace nftc {

struct JsonStreamCallbacks {
  /// Called for each element of an "elem" array of the current item, in order, before the
  /// item itself. `kind` is "set", "map" or "element"; `header` holds the item's members
  /// read so far (everything before "elem": type, flags, name, ...).
  std::function<void(size_t item_index, std::string_view kind, const nlohmann::json& header,
                     nlohmann::json&& elem)>
      on_elem;
  /// Called for each complete top-level item (without the streamed "elem" members).
  std::function<void(size_t item_index, nlohmann::json&& item)> on_item;
};

/// Parses `text`. Throws InputError (with byte offset and item index) on malformed JSON,
/// nesting deeper than `max_depth`, or a document that is not {"nftables": [...]}.
void StreamNftJson(std::string_view text, const std::string& origin, const JsonStreamCallbacks& cb,
                   size_t max_depth = 64);

}  // namespace nftc
