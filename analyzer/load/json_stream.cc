#include "load/json_stream.h"

#include <charconv>
#include <cstring>
#include <exception>

#include "nftc/error.h"

namespace nftc {

// ---- Parser ----------------------------------------------------------------------------

namespace {

constexpr uint32_t kNil = JsonVal::kNil;

/// Malformed text: reported as "malformed JSON at byte N: ...".
struct SyntaxFail {
  size_t pos;
  std::string msg;
};
/// Well-formed JSON that is not an nft document (or too deep): reported as is.
struct ShapeFail {
  std::string msg;
};

class Parser {
 public:
  Parser(std::string_view text, JsonArena& arena, size_t max_depth)
      : p_(text.data()), b_(text.data()), e_(text.data() + text.size()), a_(arena), max_depth_(max_depth) {}

  enum class Mode : uint8_t { kPlain, kItem, kBody };

  size_t pos() const { return size_t(p_ - b_); }
  bool AtEnd() {
    Ws();
    return p_ == e_;
  }
  char Peek() {
    Ws();
    if (p_ == e_) Syntax("unexpected end of input");
    return *p_;
  }
  void Expect(char c) {
    if (Peek() != c) Syntax(std::string("expected '") + c + "', got " + Describe());
    ++p_;
  }
  /// Consumes ',' (returns true) or `close` (returns false).
  bool Next(char close) {
    char c = Peek();
    ++p_;
    if (c == ',') return true;
    if (c == close) return false;
    --p_;
    Syntax(std::string("expected ',' or '") + close + "', got " + Describe());
  }
  [[noreturn]] void Syntax(std::string msg) { throw SyntaxFail{pos(), std::move(msg)}; }
  [[noreturn]] void Shape(std::string msg) { throw ShapeFail{std::move(msg)}; }
  std::string Describe() const {
    if (p_ == e_) return "end of input";
    return std::string("'") + *p_ + "'";
  }
  void Deeper(size_t depth) {
    if (depth > max_depth_) Shape("JSON nested deeper than " + std::to_string(max_depth_) + " levels");
  }

  std::string_view String() {
    Expect('"');
    const char* s = p_;
    while (p_ != e_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        std::string_view v(s, size_t(p_ - s));
        ++p_;
        return v;
      }
      if (c == '\\') return Escaped(s);
      if (c < 0x20) Syntax("control character in string");
      if (c >= 0x80) Utf8();
      else ++p_;
    }
    Syntax("unterminated string");
  }

  /// Parses a value into the arena; `depth` is the nesting level a container here would have.
  uint32_t Value(size_t depth, Mode mode = Mode::kPlain, std::string_view kind = {}) {
    char c = Peek();
    if (c == '{') return Object(depth, mode, kind);
    if (c == '[') {
      Deeper(depth);
      ++p_;
      uint32_t n = New(JsonNode::Type::kArray);
      if (Peek() == ']') {
        ++p_;
        return n;
      }
      uint32_t last = kNil;
      do {
        uint32_t child = Value(depth + 1);
        Link(n, last, child);
      } while (Next(']'));
      return n;
    }
    if (c == '"') {
      std::string_view s = String();
      uint32_t n = New(JsonNode::Type::kString);
      a_.nodes[n].str = s;
      return n;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return Number();
    if (Literal("true")) return Bool(true);
    if (Literal("false")) return Bool(false);
    if (Literal("null")) return New(JsonNode::Type::kNull);
    Syntax("unexpected " + Describe());
  }

  /// Skips the elements of an "elem" array, handing each to `each(elem_node)`.
  template <class F>
  void StreamArray(size_t depth, F&& each) {
    Deeper(depth);
    Expect('[');
    if (Peek() == ']') {
      ++p_;
      return;
    }
    size_t released = pos();
    do {
      size_t mark = a_.nodes.size(), umark = a_.unescaped.size();
      if (on_release && pos() - released >= kReleaseStep) {
        on_release(released, pos());  // earlier elements; the header before "elem" stays
        released = pos();
      }
      uint32_t el = Value(depth + 1);
      each(el);
      a_.nodes.resize(mark);
      a_.unescaped.resize(umark);
    } while (Next(']'));
  }

  /// The "nftables" array: each item is parsed into a fresh arena and handed to `each`.
  template <class F>
  void ItemArray(size_t depth, F&& each) {
    Deeper(depth);
    Expect('[');
    if (Peek() == ']') {
      ++p_;
      return;
    }
    size_t released = 0;
    do {
      a_.nodes.clear();
      a_.unescaped.clear();
      if (on_release && Peek() && pos() - released >= kReleaseStep) {
        on_release(released, pos());  // every earlier item
        released = pos();
      }
      each(Value(depth + 1, Mode::kItem));
    } while (Next(']'));
  }

  static constexpr size_t kReleaseStep = size_t(4) << 20;
  std::function<void(std::string_view kind, uint32_t header, uint32_t elem)> on_elem;
  std::function<void(std::string_view kind, uint32_t header, size_t count)> on_elem_count;

  /// Number of elements of the array starting at the current '[' (0 if it is malformed:
  /// the real parse then reports where).
  size_t CountElements() const {
    size_t n = 0, depth = 0;
    bool any = false;
    for (const char* q = p_ + 1; q < e_;) {
      char c = *q++;
      if (c == '"') {
        while (q < e_ && *q != '"') q += *q == '\\' ? 2 : 1;
        ++q;
        any = true;
      } else if (c == '[' || c == '{') {
        ++depth;
        any = true;
      } else if (c == ']' || c == '}') {
        if (depth == 0) return any ? n + 1 : 0;
        --depth;
      } else if (c == ',' && depth == 0) {
        ++n;
      } else if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
        any = true;
      }
    }
    return 0;
  }
  std::function<void(size_t from, size_t to)> on_release;

 private:
  uint32_t New(JsonNode::Type t) {
    a_.nodes.emplace_back();
    JsonNode& n = a_.nodes.back();
    n.type = t;
    n.first = n.next = kNil;
    return uint32_t(a_.nodes.size() - 1);
  }
  void Link(uint32_t parent, uint32_t& last, uint32_t child) {
    if (last == kNil) a_.nodes[parent].first = child;
    else a_.nodes[last].next = child;
    last = child;
    ++a_.nodes[parent].count;
  }
  uint32_t Bool(bool v) {
    uint32_t n = New(JsonNode::Type::kBool);
    a_.nodes[n].boolean = v;
    return n;
  }
  bool Literal(const char* lit) {
    size_t n = std::strlen(lit);
    if (size_t(e_ - p_) < n || std::memcmp(p_, lit, n) != 0) return false;
    p_ += n;
    return true;
  }

  uint32_t Object(size_t depth, Mode mode, std::string_view kind) {
    Deeper(depth);
    Expect('{');
    uint32_t n = New(JsonNode::Type::kObject);
    if (Peek() == '}') {
      ++p_;
      return n;
    }
    uint32_t last = kNil;
    do {
      if (Peek() != '"') Syntax("expected a member name, got " + Describe());
      std::string_view key = String();
      Expect(':');
      if (mode == Mode::kBody && key == "elem" && Peek() == '[') {
        if (on_elem_count) on_elem_count(kind, n, CountElements());
        StreamArray(depth + 1, [&](uint32_t el) { on_elem(kind, n, el); });
        continue;
      }
      bool body = mode == Mode::kItem && (key == "set" || key == "map" || key == "element") && Peek() == '{';
      uint32_t child = body ? Object(depth + 1, Mode::kBody, key) : Value(depth + 1);
      a_.nodes[child].key = key;
      Link(n, last, child);
    } while (Next('}'));
    return n;
  }

  uint32_t Number() {
    const char* s = p_;
    bool neg = *p_ == '-';
    if (neg) ++p_;
    if (p_ == e_ || !(*p_ >= '0' && *p_ <= '9')) Syntax("invalid number");
    if (*p_ == '0') ++p_;
    else
      while (p_ != e_ && *p_ >= '0' && *p_ <= '9') ++p_;
    const char* int_end = p_;
    bool is_float = false;
    if (p_ != e_ && *p_ == '.') {
      ++p_;
      if (p_ == e_ || !(*p_ >= '0' && *p_ <= '9')) Syntax("invalid number");
      while (p_ != e_ && *p_ >= '0' && *p_ <= '9') ++p_;
      is_float = true;
    }
    if (p_ != e_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != e_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == e_ || !(*p_ >= '0' && *p_ <= '9')) Syntax("invalid number");
      while (p_ != e_ && *p_ >= '0' && *p_ <= '9') ++p_;
      is_float = true;
    }
    if (!is_float) {
      uint64_t v = 0;
      bool overflow = false;
      for (const char* d = s + (neg ? 1 : 0); d != int_end; ++d) {
        uint64_t nv = v * 10 + uint64_t(*d - '0');
        if (v > UINT64_MAX / 10 || nv < v * 10) overflow = true;
        v = nv;
      }
      if (!overflow && !neg) {
        uint32_t n = New(JsonNode::Type::kUint);
        a_.nodes[n].num.u = v;
        return n;
      }
      if (!overflow && v <= uint64_t(INT64_MAX) + 1) {
        uint32_t n = New(JsonNode::Type::kInt);
        a_.nodes[n].num.i = static_cast<int64_t>(0 - v);
        return n;
      }
    }
    double d = 0;
    std::from_chars(s, p_, d);
    uint32_t n = New(JsonNode::Type::kFloat);
    a_.nodes[n].num.d = d;
    return n;
  }

  void Ws() {
    while (p_ != e_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\t' || *p_ == '\r')) ++p_;
  }

  void Utf8() {
    unsigned char c = static_cast<unsigned char>(*p_);
    int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    if (len == 0 || e_ - p_ < len) Syntax("invalid UTF-8 in string");
    for (int k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(p_[k]) & 0xC0) != 0x80) Syntax("invalid UTF-8 in string");
    p_ += len;
  }

  static void Put(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }
  uint32_t Hex4() {
    if (e_ - p_ < 4) Syntax("invalid \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k, ++p_) {
      char h = *p_;
      v <<= 4;
      if (h >= '0' && h <= '9') v |= uint32_t(h - '0');
      else if (h >= 'a' && h <= 'f') v |= uint32_t(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= uint32_t(h - 'A' + 10);
      else Syntax("invalid \\u escape");
    }
    return v;
  }
  /// Slow path: a string with escapes, from `s` (just after the opening quote).
  std::string_view Escaped(const char* s) {
    std::string out(s, size_t(p_ - s));
    while (p_ != e_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        a_.unescaped.push_back(std::move(out));
        return a_.unescaped.back();
      }
      if (c < 0x20) Syntax("control character in string");
      if (c >= 0x80) {
        const char* u = p_;
        Utf8();
        out.append(u, size_t(p_ - u));
        continue;
      }
      if (c != '\\') {
        out += char(c);
        ++p_;
        continue;
      }
      if (++p_ == e_) break;
      char esc = *p_++;
      switch (esc) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = Hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (e_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') Syntax("unpaired surrogate in \\u escape");
            p_ += 2;
            uint32_t lo = Hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) Syntax("unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            Syntax("unpaired surrogate in \\u escape");
          }
          Put(out, cp);
          break;
        }
        default: --p_; Syntax("invalid escape in string");
      }
    }
    Syntax("unterminated string");
  }

  const char* p_;
  const char* b_;
  const char* e_;
  JsonArena& a_;
  size_t max_depth_;
};

}  // namespace

void StreamNftJson(std::string_view text, const std::string& origin, const JsonStreamCallbacks& cb,
                   size_t max_depth) {
  JsonArena arena;
  arena.nodes.reserve(1024);
  Parser p(text, arena, max_depth);
  size_t items = 0;
  bool saw_list = false;
  p.on_release = cb.on_release;
  if (cb.on_elem_count)
    p.on_elem_count = [&](std::string_view kind, uint32_t header, size_t count) {
      cb.on_elem_count(items, kind, JsonVal(&arena, header), count);
    };
  p.on_elem = [&](std::string_view kind, uint32_t header, uint32_t elem) {
    if (cb.on_elem) cb.on_elem(items, kind, JsonVal(&arena, header), JsonVal(&arena, elem));
  };
  try {
    char c = p.Peek();
    if (c == '[') p.Shape("top level is an array (expected {\"nftables\": [...]})");
    if (c != '{') {
      p.Value(1);  // a scalar: a syntax error if it is not even that
      p.Shape("top level is not an object (expected {\"nftables\": [...]})");
    }
    p.Expect('{');
    if (p.Peek() != '}') {
      do {
        if (p.Peek() != '"') p.Syntax("expected a member name, got " + p.Describe());
        std::string key(p.String());
        p.Expect(':');
        if (key != "nftables") {  // an unknown member of the root: parse and ignore it
          arena.nodes.clear();
          arena.unescaped.clear();
          p.Value(2);
          continue;
        }
        if (p.Peek() != '[') p.Shape("\"nftables\" is not an array");
        saw_list = true;
        p.ItemArray(2, [&](uint32_t item) {
          if (cb.on_item) cb.on_item(items, JsonVal(&arena, item));
          ++items;
        });
      } while (p.Next('}'));
    } else {
      p.Next('}');
    }
    if (!p.AtEnd()) p.Syntax("unexpected " + p.Describe() + " after the document");
  } catch (const SyntaxFail& f) {
    std::string msg = "malformed JSON at byte " + std::to_string(f.pos) + ": " + f.msg;
    if (items > 0) msg += " (after " + std::to_string(items) + " complete items)";
    throw InputError(msg, SourceRef{origin, -1, -1});
  } catch (const ShapeFail& f) {
    std::string msg = f.msg;
    if (items > 0) msg += " (after " + std::to_string(items) + " complete items)";
    throw InputError(msg, SourceRef{origin, -1, -1});
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    // A callback rejected an item; it names the item itself.
    throw InputError(e.what(), SourceRef{origin, static_cast<int64_t>(items), -1});
  }
  if (!saw_list) throw InputError("not an nft JSON ruleset: no \"nftables\" array", SourceRef{origin, -1, -1});
}

JsonVal ParseJsonValue(std::string_view text, JsonArena& arena, size_t max_depth) {
  arena.nodes.clear();
  arena.unescaped.clear();
  Parser p(text, arena, max_depth);
  try {
    uint32_t root = p.Value(1);
    if (!p.AtEnd()) p.Syntax("unexpected " + p.Describe() + " after the value");
    return JsonVal(&arena, root);
  } catch (const SyntaxFail& f) {
    throw InputError("malformed JSON at byte " + std::to_string(f.pos) + ": " + f.msg, SourceRef{"", -1, -1});
  } catch (const ShapeFail& f) {
    throw InputError(f.msg, SourceRef{"", -1, -1});
  }
}

}  // namespace nftc
