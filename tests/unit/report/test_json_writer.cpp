// JsonWriter lays JSON out byte for byte as nlohmann's dump(2, ' ', false,
// replace), which the JSON report used before it streamed: same nesting,
// empty containers, escapes and replacement of bytes that are not UTF-8.
#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analyzer/report/json_writer.h"

using namespace appdiag;
using nlohmann::ordered_json;

namespace {
std::string reference(const ordered_json& j) { return j.dump(2, ' ', false, ordered_json::error_handler_t::replace); }

std::string written(const std::string& text) {
  std::ostringstream out;
  JsonWriter(out).value(text);
  return out.str();
}
}  // namespace

TEST_CASE("nested objects and arrays, empty ones included, are laid out as dump(2)") {
  ordered_json j = {{"a", 1}, {"b", ordered_json::array()}, {"c", ordered_json::object()}, {"d", nullptr},
                    {"e", {{"x", true}, {"y", {1, 2, ordered_json::array({"s", false})}}}}, {"f", -7}};
  std::ostringstream out;
  JsonWriter w(out);
  w.begin_object().field("a", 1).key("b").begin_array().end_array().key("c").begin_object().end_object();
  w.field("d", nullptr).key("e").begin_object().field("x", true).key("y").begin_array().value(1).value(2);
  w.begin_array().value("s").value(false).end_array().end_array().end_object().field("f", int64_t{-7}).end_object();
  w.flush();
  CHECK(out.str() == reference(j));
}

TEST_CASE("strings are escaped as nlohmann escapes them") {
  for (std::string s : {std::string(""), std::string("plain"), std::string("q\"b\\s/"), std::string("\b\f\n\r\t"),
                        std::string("\x01\x1f\x7f", 3), std::string("nul\0in", 6), std::string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")}) {
    INFO(s);
    CHECK(written(s) == reference(s));
  }
}

TEST_CASE("bytes that are not UTF-8 are replaced as nlohmann replaces them") {
  for (std::string s : {std::string("\xff"), std::string("a\xc3"), std::string("\xc0\xaf overlong"),
                        std::string("\xed\xa0\x80 surrogate"), std::string("\xf4\x90\x80\x80 past max"),
                        std::string("\xe2\x82 cut"), std::string("\x80\x80"), std::string("ok \xf0\x9f\x98")}) {
    INFO(s);
    CHECK(written(s) == reference(s));
  }
}

TEST_CASE("random byte strings are written as nlohmann writes them") {
  std::mt19937 random(12345);
  const std::string alphabet = std::string("ab\"\\\n\x01\x7f", 7) + "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xed\xa0\xff\xc0";
  for (int n = 0; n < 2000; ++n) {
    std::string s;
    for (size_t len = random() % 12; len > 0; --len) s.push_back(alphabet[random() % alphabet.size()]);
    INFO(n);
    REQUIRE(written(s) == reference(s));
  }
}
