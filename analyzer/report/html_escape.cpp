#include "analyzer/report/html_escape.h"

#include "analyzer/core/text_escape.h"

namespace appdiag {

namespace {
std::string escape_line(std::string_view text) {
  std::string visible = escape_for_terminal(text);
  std::string out;
  out.reserve(visible.size());
  for (char c : visible) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}
}  // namespace

// Line breaks are markup-safe and kept; every other control character is shown escaped.
std::string escape_markup(std::string_view text) {
  std::string out;
  for (size_t start = 0;;) {
    size_t nl = text.find('\n', start);
    out += escape_line(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) return out;
    out += '\n';
    start = nl + 1;
  }
}

}  // namespace appdiag
