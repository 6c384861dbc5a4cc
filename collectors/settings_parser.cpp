#include "collectors/settings_parser.h"

#include <optional>
#include <vector>

#include <algorithm>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "analyzer/core/error.h"

namespace appdiag {

using nlohmann::ordered_json;

namespace {

uint32_t line_at(std::string_view text, size_t offset) {
  return 1 + static_cast<uint32_t>(std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

// Finds `"name"` (as JSON writes it) at or after `from`; names appear in
// document order, so searching forward keeps duplicates apart.
uint32_t line_of_name(std::string_view text, const std::string& name, size_t& from) {
  std::string quoted = ordered_json(name).dump();
  size_t at = text.find(quoted, from);
  if (at == std::string_view::npos) return 0;
  from = at + quoted.size();
  return line_at(text, at);
}

std::string scalar(const ordered_json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

Settings from_json(const ordered_json& j, std::string_view text, const std::string& name) {
  Settings settings;
  size_t from = 0;
  if (j.is_array()) {
    for (const auto& item : j) {
      if (!item.is_object() || !item.contains("name") || !item["name"].is_string())
        throw InputError(name + ": expected [{\"name\": ..., \"value\": ...}] as `az webapp config appsettings list` prints");
      std::string key = item["name"].get<std::string>();
      uint32_t line = line_of_name(text, key, from);
      settings.items.push_back({key, item.contains("value") ? scalar(item["value"]) : "", line});
    }
    return settings;
  }
  if (!j.is_object()) throw InputError(name + ": expected a JSON object or array of settings");
  for (const auto& [key, value] : j.items()) {
    uint32_t line = line_of_name(text, key, from);
    if (value.is_object() || value.is_array()) continue;
    settings.items.push_back({key, scalar(value), line});
  }
  return settings;
}

// `az webapp config appsettings list -o table`: a header naming the columns
// (Name, Value, SlotSetting), a rule of dashes under each, then one row per
// setting, each column at the offset of its dashes.
std::optional<Settings> from_table(std::string_view text) {
  size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return std::nullopt;
  std::string_view header = text.substr(0, nl);
  size_t nl2 = text.find('\n', nl + 1);
  std::string_view rule = text.substr(nl + 1, nl2 == std::string_view::npos ? std::string_view::npos : nl2 - nl - 1);
  if (!rule.empty() && rule.back() == '\r') rule.remove_suffix(1);
  if (rule.empty() || rule.find_first_not_of("- ") != std::string_view::npos) return std::nullopt;
  struct Column { size_t begin, end; std::string title; };
  std::vector<Column> columns;
  for (size_t i = rule.find('-'); i != std::string_view::npos; i = rule.find('-', i)) {
    size_t end = rule.find(' ', i);
    if (end == std::string_view::npos) end = std::string_view::npos;
    std::string title(i < header.size() ? header.substr(i, end == std::string_view::npos ? end : end - i) : "");
    while (!title.empty() && (title.back() == ' ' || title.back() == '\r')) title.pop_back();
    columns.push_back({i, end, title});
    i = end;
  }
  auto column = [&](std::string_view title) -> const Column* {
    for (const Column& c : columns)
      if (c.title == title) return &c;
    return nullptr;
  };
  const Column* name = column("Name");
  const Column* value = column("Value");
  if (!name || !value) return std::nullopt;
  auto cell = [](std::string_view row, const Column& c) {
    if (c.begin >= row.size()) return std::string();
    std::string v(row.substr(c.begin, c.end == std::string_view::npos ? std::string_view::npos : c.end - c.begin));
    while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.pop_back();
    return v;
  };
  Settings settings;
  uint32_t number = 2;
  for (size_t start = nl2; start != std::string_view::npos && start + 1 <= text.size();) {
    size_t end = text.find('\n', start + 1);
    std::string_view row = text.substr(start + 1, end == std::string_view::npos ? std::string_view::npos : end - start - 1);
    ++number;
    std::string key = cell(row, *name);
    if (!key.empty()) settings.items.push_back({key, cell(row, *value), number});
    start = end;
  }
  return settings;
}

Settings from_env_lines(std::string_view text, const std::string& name) {
  if (auto table = from_table(text)) return *table;
  static const RE2 assignment(R"(([A-Za-z_][A-Za-z0-9_.\-]*)=(.*))");
  Settings settings;
  uint32_t number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(std::string_view("\n\0", 2), start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (end == std::string_view::npos || text[end] == '\n') ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string key, value;
    if (!line.empty()) {
      if (line.find('\t') != std::string_view::npos && line.find('=') == std::string_view::npos)
        throw InputError(located(name, number, "tab-separated values (`-o tsv`) name no columns, so the setting's "
                                               "value cannot be told from its name; use `-o json` or `-o table`"));
      if (!RE2::FullMatch(line, assignment, &key, &value))
        throw InputError(located(name, number, "neither JSON settings, an `-o table` table nor KEY=VALUE lines"));
      settings.items.push_back({key, value, number});
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return settings;
}

}  // namespace

bool looks_like_settings_json(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (text[first] != '[' && text[first] != '{')) return false;
  auto j = ordered_json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return false;
  if (j.is_array()) return !j.empty() && j[0].is_object() && j[0].contains("name");
  if (!j.is_object() || j.empty()) return false;
  // Site config has these keys; a plain settings object has environment-style names.
  if (j.contains("linuxFxVersion") || j.contains("appCommandLine")) return true;
  static const RE2 env_name("[A-Z][A-Z0-9_]*");
  for (const auto& [key, value] : j.items())
    if (!RE2::FullMatch(key, env_name) || value.is_object() || value.is_array()) return false;
  return true;
}

Settings parse_settings(std::string_view text, const std::string& name) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) throw InputError(name + ": empty settings file");
  if (text[first] != '[' && text[first] != '{') return from_env_lines(text, name);
  ordered_json j;
  try {
    j = ordered_json::parse(text.begin(), text.end());
  } catch (const ordered_json::parse_error& e) {
    size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    uint32_t line = line_at(text, offset);
    size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    size_t col = line_start == std::string_view::npos ? offset + 1 : offset - line_start;
    throw InputError(name + ":" + std::to_string(line) + ":" + std::to_string(col) + ": invalid JSON");
  } catch (const ordered_json::exception& e) {
    throw InputError(name + ": invalid JSON (" + std::string(e.what()) + ")");
  }
  return from_json(j, text, name);
}

}  // namespace appdiag
