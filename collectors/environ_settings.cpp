#include "collectors/environ_settings.h"

#include <nlohmann/json.hpp>

#include "analyzer/core/redactor.h"

namespace appdiag {
namespace {

constexpr uint32_t kFirstNameLine = 3;
constexpr uint32_t kLinesPerSetting = 5;

std::string json_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

EnvironSettings parse_environ(std::string_view bytes) {
  EnvironSettings out;
  size_t start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\0', start);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view item = bytes.substr(start, end - start);
    start = end + 1;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    auto line = static_cast<uint32_t>(kFirstNameLine + kLinesPerSetting * out.settings.items.size());
    out.settings.items.push_back({std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)), line});
  }
  out.text = appsettings_json(out.settings, false);
  return out;
}

std::string appsettings_json(const Settings& settings, bool redact_secrets) {
  std::string out = "[\n";
  for (size_t i = 0; i < settings.items.size(); ++i) {
    const Setting& s = settings.items[i];
    std::string value = !redact_secrets                 ? s.value
                        : is_secret_setting_name(s.name) ? std::string(kRedacted)
                                                         : redact(s.value);
    out += "  {\n    \"name\": " + json_string(s.name) + ",\n    \"slotSetting\": false,\n    \"value\": " + json_string(value) +
           "\n  }" + (i + 1 < settings.items.size() ? ",\n" : "\n");
  }
  return out + "]\n";
}

}  // namespace appdiag
