// JsonVal: the read-only view of the loader's JSON arena (see json_stream.h).
#include <charconv>
#include <cstdio>
#include <string>

#include "load/json_stream.h"

namespace nftc {

// ---- JsonVal ---------------------------------------------------------------------------

size_t JsonVal::size() const {
  if (!*this) return 0;
  const JsonNode& n = node();
  return n.type == JsonNode::Type::kArray || n.type == JsonNode::Type::kObject ? n.count : 0;
}

JsonVal JsonVal::operator[](size_t i) const {
  if (size() <= i) return JsonVal();
  uint32_t c = node().first;
  while (i-- > 0) c = a_->at(c).next;
  return JsonVal(a_, c);
}

JsonVal JsonVal::find(std::string_view k) const {
  if (!is_object()) return JsonVal();
  uint32_t found = kNil;
  for (uint32_t c = node().first; c != kNil; c = a_->at(c).next)
    if (a_->at(c).key == k) found = c;
  return JsonVal(a_, found);
}

std::string_view JsonVal::key() const { return *this ? node().key : std::string_view(); }

JsonVal JsonVal::front() const { return size() ? JsonVal(a_, node().first) : JsonVal(); }

std::string_view JsonVal::sv() const { return is_string() ? node().str : std::string_view(); }

uint64_t JsonVal::as_u64() const {
  switch (type()) {
    case JsonNode::Type::kUint: return node().num.u;
    case JsonNode::Type::kInt: return static_cast<uint64_t>(node().num.i);
    case JsonNode::Type::kFloat: return static_cast<uint64_t>(node().num.d);
    case JsonNode::Type::kBool: return node().boolean;
    default: return 0;
  }
}

int64_t JsonVal::as_i64() const { return is_number_float() ? static_cast<int64_t>(node().num.d) : static_cast<int64_t>(as_u64()); }

bool JsonVal::as_bool() const { return is_boolean() ? node().boolean : as_u64() != 0; }

JsonVal::iterator& JsonVal::iterator::operator++() {
  i_ = a_->at(i_).next;
  return *this;
}

JsonVal::iterator JsonVal::begin() const {
  return iterator(a_, size() ? node().first : kNil);
}

namespace {

void DumpString(std::string_view s, std::string& out) {
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace

void JsonVal::Dump(std::string& out) const {
  if (!*this) {
    out += "null";
    return;
  }
  const JsonNode& n = node();
  switch (n.type) {
    case JsonNode::Type::kNull: out += "null"; break;
    case JsonNode::Type::kBool: out += n.boolean ? "true" : "false"; break;
    case JsonNode::Type::kUint: out += std::to_string(n.num.u); break;
    case JsonNode::Type::kInt: out += std::to_string(n.num.i); break;
    case JsonNode::Type::kFloat: {
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, n.num.d);
      out.append(buf, r.ptr);
      break;
    }
    case JsonNode::Type::kString: DumpString(n.str, out); break;
    case JsonNode::Type::kArray:
    case JsonNode::Type::kObject: {
      bool obj = n.type == JsonNode::Type::kObject;
      out += obj ? '{' : '[';
      bool first = true;
      for (JsonVal c : *this) {
        if (!first) out += ',';
        first = false;
        if (obj) {
          DumpString(c.key(), out);
          out += ':';
        }
        c.Dump(out);
      }
      out += obj ? '}' : ']';
      break;
    }
  }
}

std::string JsonVal::dump() const {
  std::string out;
  Dump(out);
  return out;
}

}  // namespace nftc
