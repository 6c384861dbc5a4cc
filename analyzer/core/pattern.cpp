#include "analyzer/core/pattern.h"

namespace appdiag {

std::shared_ptr<const RE2> compile_pattern(const std::string& pattern, std::string* error) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kPatternMaxMem);
  auto re = std::make_shared<const RE2>(pattern, options);
  if (!re->ok()) {
    *error = re->error_code() == RE2::ErrorPatternTooLarge
                 ? "pattern too large to run in bounded memory (" + re->error() + ")"
                 : re->error();
    return nullptr;
  }
  return re;
}

std::string glob_to_regex(const std::string& glob, bool at_root) {
  std::string out = at_root ? "^" : "^(?:.*/)?";
  for (size_t i = 0; i < glob.size(); ++i) {
    char ch = glob[i];
    if (ch == '*' && i + 1 < glob.size() && glob[i + 1] == '*') {
      out += ".*";
      ++i;
    } else if (ch == '*') {
      out += "[^/]*";
    } else if (ch == '?') {
      out += "[^/]";
    } else if (ch == '/') {
      out += '/';
    } else {
      out += RE2::QuoteMeta(std::string(1, ch));
    }
  }
  return out + "$";
}

}  // namespace appdiag
