// The loader's own JSON parser (load/json_stream): RFC 8259 values, nlohmann-compatible
// number kinds, escapes, streaming of set elements, errors with byte offsets.
#include <catch2/catch.hpp>

#include "load/json_stream.h"
#include "nftc/error.h"

using namespace nftc;

namespace {

std::string Err(const std::string& text) {
  JsonArena a;
  try {
    ParseJsonValue(text, a);
  } catch (const InputError& e) {
    return e.Describe();
  }
  return "no error";
}

}  // namespace

TEST_CASE("json values: scalars, number kinds, nesting, member lookup") {
  JsonArena a;
  JsonVal v = ParseJsonValue(R"( {"a": 1, "b": -2, "c": 1.5, "d": 18446744073709551615, "e": 18446744073709551616,
      "f": [true, false, null, "x"], "g": {}, "h": [], "a": 7} )", a);
  REQUIRE(v.is_object());
  CHECK(v.size() == 9);
  CHECK(v.find("a").is_number_unsigned());
  CHECK(v.find("a").get<uint64_t>() == 7);  // duplicate key: the last one wins, as in nlohmann
  CHECK(v.find("b").is_number_integer());
  CHECK_FALSE(v.find("b").is_number_unsigned());
  CHECK(v.find("b").get<int64_t>() == -2);
  CHECK(v.find("c").is_number_float());
  CHECK(v.find("d").get<uint64_t>() == UINT64_MAX);
  CHECK(v.find("e").is_number_float());  // beyond uint64: a float, like nlohmann
  JsonVal f = v.find("f");
  REQUIRE(f.size() == 4);
  CHECK(f[0].is_boolean());
  CHECK(f[0].get<bool>());
  CHECK_FALSE(f[1].get<bool>());
  CHECK(f[2].is_null());
  CHECK(f[3].sv() == "x");
  CHECK_FALSE(f[4]);
  CHECK(v.find("g").is_object());
  CHECK(v.find("g").size() == 0);
  CHECK(v.find("h").is_array());
  CHECK_FALSE(v.find("zz"));
  CHECK_FALSE(v.find("zz")->is_string());
  int n = 0;
  for (JsonVal x : f) n += x ? 1 : 0;
  CHECK(n == 4);
  CHECK(v.find("f").dump() == R"([true,false,null,"x"])");
}

TEST_CASE("json strings: escapes and UTF-8") {
  JsonArena a;
  JsonVal v = ParseJsonValue(R"(["a\"b\\c\/d\n\t", "\u00e9\u20ac\ud83d\ude00", "héllo"])", a);
  CHECK(v[0].sv() == "a\"b\\c/d\n\t");
  CHECK(v[1].sv() == "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  CHECK(v[2].sv() == "h\xc3\xa9llo");
  CHECK(v[0].dump() == R"("a\"b\\c/d\n\t")");
}

TEST_CASE("json syntax errors name the byte") {
  CHECK_THAT(Err(""), Catch::Contains("malformed JSON at byte 0"));
  CHECK_THAT(Err("[1, 2"), Catch::Contains("malformed JSON at byte 5"));
  CHECK_THAT(Err("[1 2]"), Catch::Contains("expected ',' or ']'"));
  CHECK_THAT(Err(R"({"a" 1})"), Catch::Contains("expected ':'"));
  CHECK_THAT(Err("[01]"), Catch::Contains("malformed JSON"));
  CHECK_THAT(Err("[1.]"), Catch::Contains("invalid number"));
  CHECK_THAT(Err("[tru]"), Catch::Contains("malformed JSON"));
  CHECK_THAT(Err("\"abc"), Catch::Contains("unterminated string"));
  CHECK_THAT(Err("\"a\x01\""), Catch::Contains("control character"));
  CHECK_THAT(Err("\"\\x\""), Catch::Contains("invalid escape"));
  CHECK_THAT(Err("\"\\ud800\""), Catch::Contains("surrogate"));
  CHECK_THAT(Err("\"\xff\""), Catch::Contains("UTF-8"));
  CHECK_THAT(Err("[1] x"), Catch::Contains("after the value"));
  CHECK_THAT(Err(std::string(100, '[')), Catch::Contains("nested deeper than 64"));
}

TEST_CASE("nft stream: items in order, set elements streamed before their item") {
  std::string text = R"({"nftables": [
    {"table": {"family": "ip", "name": "t"}},
    {"set": {"family": "ip", "name": "s", "table": "t", "type": "ipv4_addr", "elem": ["10.0.0.1", {"prefix": {"addr": "10.1.0.0", "len": 16}}]}},
    {"map": {"family": "ip", "name": "m", "table": "t", "type": "ifname", "map": "verdict", "elem": []}}
  ], "extra": {"ignored": [1, 2, 3]}})";
  std::vector<std::string> log;
  JsonStreamCallbacks cb;
  cb.on_item = [&](size_t i, JsonVal item) {
    log.push_back(std::to_string(i) + " item " + std::string(item.front().key()) + " " + item.front().dump());
  };
  cb.on_elem = [&](size_t i, std::string_view kind, JsonVal header, JsonVal elem) {
    log.push_back(std::to_string(i) + " elem " + std::string(kind) + " " + std::string(header.find("name").sv()) + " " +
                  elem.dump());
  };
  std::vector<size_t> counts;
  cb.on_elem_count = [&](size_t, std::string_view, JsonVal, size_t n) { counts.push_back(n); };
  StreamNftJson(text, "t.json", cb);
  CHECK(counts == std::vector<size_t>{2, 0});  // announced before the elements, exact
  REQUIRE(log.size() == 5);
  CHECK(log[0] == R"(0 item table {"family":"ip","name":"t"})");
  CHECK(log[1] == R"(1 elem set s "10.0.0.1")");
  CHECK(log[2] == R"(1 elem set s {"prefix":{"addr":"10.1.0.0","len":16}})");
  // The item itself arrives without its streamed "elem" member.
  CHECK(log[3] == R"(1 item set {"family":"ip","name":"s","table":"t","type":"ipv4_addr"})");
  CHECK(log[4] == R"(2 item map {"family":"ip","name":"m","table":"t","type":"ifname","map":"verdict"})");
}

TEST_CASE("nft stream: element counts see through strings and nesting") {
  std::string text = R"({"nftables": [{"set": {"name": "s", "elem": ["a,b]", {"range": [1, 2]}, ["x", {"jump": {"target": "c"}}], "\"]"]}}]})";
  size_t count = 99, seen = 0;
  JsonStreamCallbacks cb;
  cb.on_elem_count = [&](size_t, std::string_view, JsonVal, size_t n) { count = n; };
  cb.on_elem = [&](size_t, std::string_view, JsonVal, JsonVal) { ++seen; };
  StreamNftJson(text, "t.json", cb);
  CHECK(seen == 4);
  CHECK(count == 4);
}

TEST_CASE("nft stream: document shape errors") {
  auto msg = [](const std::string& text) {
    try {
      StreamNftJson(text, "t.json", JsonStreamCallbacks{});
    } catch (const InputError& e) {
      return e.Describe();
    }
    return std::string("no error");
  };
  CHECK_THAT(msg("[]"), Catch::Contains("top level is an array"));
  CHECK_THAT(msg("42"), Catch::Contains("top level is not an object"));
  CHECK_THAT(msg(R"({"nftables": {}})"), Catch::Contains("\"nftables\" is not an array"));
  CHECK_THAT(msg(R"({"nftables": 3})"), Catch::Contains("\"nftables\" is not an array"));
  CHECK_THAT(msg(R"({})"), Catch::Contains("no \"nftables\" array"));
  CHECK_THAT(msg(R"({"nftables": [{"a": 1}, {"b": 2}, )"), Catch::Contains("(after 2 complete items)"));
  CHECK(msg(R"({"nftables": []})") == "no error");
}
