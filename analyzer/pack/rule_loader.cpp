#include "analyzer/pack/rule_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analyzer/pack/embedded_rules.h"
#include "analyzer/pack/event_compiler.h"
#include "analyzer/pack/json_node.h"
#include "analyzer/pack/pack_checks.h"
#include "analyzer/pack/pattern_pool.h"
#include "analyzer/pack/rule_compiler.h"

namespace appdiag {

using nlohmann::json;

namespace {

// 1-based line and column of a byte offset.
TextPosition position_of(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
  size_t last_nl = offset == 0 ? std::string::npos : text.rfind('\n', offset - 1);
  return {line, last_nl == std::string::npos ? offset + 1 : offset - last_nl};
}

// The reader stage: the file's JSON, or a "json-syntax" problem at its line and column.
std::optional<json> read_json(const RuleFile& file, std::vector<RuleProblem>& problems) {
  try {
    return json::parse(file.text);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    size_t at = what.find("syntax error");
    problems.push_back({"json-syntax", file.name, position_of(file.text, e.byte == 0 ? 0 : e.byte - 1), "",
                        at == std::string::npos ? what : what.substr(at)});
  } catch (const json::exception& e) {
    // e.g. a number out of range: nlohmann gives no position for these.
    problems.push_back({"json-syntax", file.name, {}, "", e.what()});
  }
  return std::nullopt;
}

// The compiler stage for one parsed file: a rule, an events file or a data table.
void compile_file(const RuleFile& file, const json& doc, std::map<std::string, JsonLocations>& where, RuleSet& set,
                  const PatternPool& patterns, std::vector<RuleProblem>& problems) {
  const JsonLocations& at = where.insert_or_assign(file.name, JsonLocations(file.text)).first->second;
  Problems file_problems(file.name, &at, problems);
  for (const auto& pointer : at.duplicate_keys())
    file_problems.at_key("duplicate-key", pointer, "key " + pointer + " appears twice; only the last is read");
  JsonNode root(doc, "", file_problems);
  // An events file sits in a folder named exactly "events" (not "myevents"), a table in "data".
  auto folder = std::filesystem::path(file.name).parent_path().filename();
  if (folder == "events") compile_events(root, file.name, set, patterns);
  else if (folder == "data") compile_table(root, file.name, set);
  else compile_rule(root, file.name, set, patterns);
}

}  // namespace

std::vector<RuleFile> builtin_rule_files() {
  std::vector<RuleFile> files;
  for (const auto& f : embedded_rule_files()) files.push_back({std::string(f.name), std::string(f.text)});
  return files;
}

std::vector<RuleFile> rule_files_in(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(dir + ": not a readable rules directory");
  std::vector<std::string> paths;
  for (const std::string& sub : {dir, dir + "/events", dir + "/data"}) {
    if (!fs::is_directory(sub, ec)) continue;
    for (const auto& entry : fs::directory_iterator(sub, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".json") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) throw InputError(dir + ": no rule files (*.json)");
  std::vector<RuleFile> files;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot read");
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({path, text.str()});
  }
  return files;
}

RuleSet load_rules(const std::vector<RuleFile>& files, const std::set<std::string>& known_ids, PackScope scope) {
  RuleSet set;
  std::vector<RuleProblem> problems;
  std::map<std::string, JsonLocations> where;
  // In batches: the batch's files are read, their patterns compiled on every
  // core, then the files compiled in order. A batch bounds the parsed
  // documents held at once (a pack of thousands of files stays small).
  constexpr size_t kBatch = 256;
  for (size_t start = 0; start < files.size(); start += kBatch) {
    size_t end = std::min(files.size(), start + kBatch);
    std::vector<std::optional<json>> docs(end - start);
    std::vector<std::vector<RuleProblem>> read_problems(end - start);
    std::vector<const json*> parsed;
    for (size_t i = start; i < end; ++i)
      if ((docs[i - start] = read_json(files[i], read_problems[i - start]))) parsed.push_back(&*docs[i - start]);
    PatternPool patterns(parsed);
    for (size_t i = start; i < end; ++i) {
      const RuleFile& file = files[i];
      problems.insert(problems.end(), read_problems[i - start].begin(), read_problems[i - start].end());
      if (!docs[i - start]) continue;
      compile_file(file, *docs[i - start], where, set, patterns, problems);
    }
  }
  check_pack(set, where, known_ids, problems);
  if (scope == PackScope::Whole) check_engine_reads(set, problems);
  if (!problems.empty()) throw RuleLoadError(std::move(problems));
  return set;
}

}  // namespace appdiag
