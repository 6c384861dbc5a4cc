#pragma once
// Where each value of a JSON text is, so that a rule problem can name the line
// and column of the very key it is about (nlohmann::json keeps no positions).
// Keys are JSON pointers ("/when/any/0/log").
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace appdiag {

struct TextPosition {
  size_t line = 0;    // 1-based; 0 when unknown
  size_t column = 0;  // 1-based, in bytes
};

class JsonLocations {
 public:
  // `text` must be valid JSON (parse it with nlohmann first): this only walks it.
  explicit JsonLocations(std::string_view text);

  // The member's key for an object member, else the value itself (an array
  // element, the root); {0, 0} for a pointer that is not in the text.
  TextPosition key(const std::string& pointer) const;
  // The value at the pointer.
  TextPosition value(const std::string& pointer) const;
  // Pointers of members whose key appears twice in one object (JSON allows it;
  // only the last is read, so the first would be silently ignored).
  const std::vector<std::string>& duplicate_keys() const { return duplicates_; }

 private:
  struct Where {
    TextPosition key;
    TextPosition value;
  };
  std::map<std::string, Where> where_;
  std::vector<std::string> duplicates_;
};

// "/a~1b" for the key "a/b" (RFC 6901).
std::string pointer_token(std::string_view key);

}  // namespace appdiag
