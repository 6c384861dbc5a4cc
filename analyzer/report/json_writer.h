#pragma once
// Writes JSON to a stream value by value, laid out byte for byte as
// nlohmann's dump(2, ' ', false, error_handler_t::replace): two-space
// indentation, "key": value, empty containers as {} and [], bytes that are
// not UTF-8 replaced by U+FFFD. A report of 2,000 logs holds 14,000 timeline
// events; building them as a tree first cost more than the whole scan.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace appdiag {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}
  ~JsonWriter() { flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  // Hands what is written so far to the stream (also done as the buffer fills, and at the end).
  void flush();

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  // An object's member name; its value is written next.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(bool b);
  JsonWriter& value(std::nullptr_t);
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  JsonWriter& value(T n) {
    before_value();
    buf_ += std::to_string(n);
    return *this;
  }
  template <class T>
  JsonWriter& value(const std::optional<T>& v) {
    return v ? value(*v) : value(nullptr);
  }
  template <class T>
  JsonWriter& value(const std::vector<T>& items) {
    begin_array();
    for (const T& item : items) value(item);
    return end_array();
  }
  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    return key(name).value(v);
  }

 private:
  struct Level {
    char close;
    size_t members = 0;
  };
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void before_value();  // the separator and indentation of a new member or element
  void newline_indent(size_t depth);
  void quoted(std::string_view text);
  void write(std::string_view text);

  std::ostream& out_;
  std::string buf_;  // appending to a string costs a fraction of an ostream insertion
  std::vector<Level> levels_;
  bool after_key_ = false;
};

}  // namespace appdiag
