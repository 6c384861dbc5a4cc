#include "analyzer/core/ascii.h"
#include "analyzer/engine/condition_eval.h"

#include <algorithm>
#include <set>

#include "analyzer/engine/line_reader.h"

namespace appdiag {

std::string_view to_string(Tri value) {
  switch (value) {
    case Tri::False: return "false";
    case Tri::Unknown: return "unknown";
    case Tri::True: return "true";
  }
  return "unknown";
}

Facts::Facts(const RuleSet& rules, const Evidence& evidence, const ScanResult& scan)
    : rules_(rules), evidence_(evidence), scan_(scan), by_pattern_(rules.patterns.size()) {
  for (const Match& m : scan.matches)
    if (!m.event) by_pattern_[m.index].push_back(&m);
}

const std::vector<const Match*>& Facts::matches_of(int pattern) const { return by_pattern_[pattern]; }

bool Facts::has_kind(SourceKind kind) const {
  return std::any_of(evidence_.sources.begin(), evidence_.sources.end(),
                     [kind](const Source& s) { return s.kind == kind; });
}

const std::string& Facts::line_text(size_t source, uint64_t line) const {
  static const std::string empty;
  auto it = lines_.find(source);
  if (it == lines_.end()) {
    std::vector<std::string> lines;
    const Source& s = evidence_.sources[source];
    if (s.open) {
      try {
        auto stream = s.open();
        LineReader reader(*stream);
        std::string_view text;
        while (reader.next(text)) lines.emplace_back(text);
      } catch (const std::exception&) {
        // An unreadable listing/settings source was already reported by the scan.
      }
    }
    it = lines_.emplace(source, std::move(lines)).first;
  }
  return line == 0 || line > it->second.size() ? empty : it->second[line - 1];
}

EvidenceLine to_evidence(const Match& m, const Evidence& evidence) {
  const Source& s = evidence.sources[m.source];
  return {s.kind, s.name, s.part, m.line, m.text, m.begin, m.end, m.truncated, m.attempt};
}

namespace {

// "text" with its quotes and backslashes escaped, as JSON writes a string.
std::string json_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

using Captures = std::map<std::string, std::string>;

// Named groups that took part in a match, into `out`.
void take_captures(const RE2& re, const re2::StringPiece* groups, int n, Captures& out) {
  for (const auto& [name, g] : re.NamedCapturingGroups())
    if (g < n && groups[g].data()) out[name] = std::string(groups[g]);
}

Trace trace_of(const Condition& c) {
  Trace t;
  t.condition = &c;
  return t;
}

class Evaluator {
 public:
  Evaluator(const Facts& facts, const Captures* rule_captures)
      : facts_(facts), rule_captures_(rule_captures) {}

  Trace eval(const Condition& c) {
    switch (c.type) {
      case Condition::Type::All:
      case Condition::Type::Any:
      case Condition::Type::None: return combine(c);
      case Condition::Type::Log: return log(c);
      case Condition::Type::File:
      case Condition::Type::Path: return listing(c);
      case Condition::Type::Content: return content(c);
      case Condition::Type::Setting: return setting(c);
      case Condition::Type::CapturesDiffer: return differ(c);
    }
    return {};
  }

 private:
  Trace combine(const Condition& c) {
    Trace t = trace_of(c);
    int n_true = 0, n_unknown = 0;
    for (const Condition& child : c.children) {
      t.children.push_back(eval(child));
      n_true += t.children.back().value == Tri::True;
      n_unknown += t.children.back().value == Tri::Unknown;
    }
    int n = static_cast<int>(c.children.size());
    if (c.type == Condition::Type::All)
      t.value = n_true == n ? Tri::True : n_true + n_unknown == n ? Tri::Unknown : Tri::False;
    else if (c.type == Condition::Type::Any)
      t.value = n_true > 0 ? Tri::True : n_unknown > 0 ? Tri::Unknown : Tri::False;
    else
      t.value = n_true > 0 ? Tri::False : n_unknown > 0 ? Tri::Unknown : Tri::True;
    if (c.type != Condition::Type::None)
      for (const Trace& child : t.children)
        if (child.value == Tri::True) {
          t.evidence.insert(t.evidence.end(), child.evidence.begin(), child.evidence.end());
          t.matched_lines += child.matched_lines;
          for (const auto& [k, v] : child.captures) t.captures[k] = v;
        }
    return t;
  }

  bool any_source(const std::vector<SourceKind>& kinds) {
    return std::any_of(kinds.begin(), kinds.end(), [&](SourceKind k) { return facts_.has_kind(k); });
  }

  Trace log(const Condition& c) {
    Trace t = trace_of(c);
    if (!any_source(c.kinds)) {
      t.detail = "no log of the kinds it reads";
      return t;
    }
    const auto& matches = facts_.matches_of(c.pattern);
    t.matched_lines = facts_.scan().pattern_hits[c.pattern];
    if (matches.empty()) {
      t.value = Tri::False;
      t.detail = "no line matches";
      return t;
    }
    t.value = Tri::True;
    for (const Match* m : matches) t.evidence.push_back(to_evidence(*m, facts_.evidence()));
    // The latest line wins: it belongs to the most recent start attempt.
    const Match* latest = matches.back();
    for (const Match* m : matches)
      if (m->attempt > latest->attempt) latest = m;
    for (const Capture& cap : latest->captures) t.captures[cap.name] = cap.value;
    return t;
  }

  std::vector<size_t> sources_of(SourceKind kind) {
    std::vector<size_t> out;
    const auto& sources = facts_.evidence().sources;
    for (size_t i = 0; i < sources.size(); ++i)
      if (sources[i].kind == kind) out.push_back(i);
    return out;
  }

  EvidenceLine listing_line(size_t source, uint64_t line) {
    const Source& s = facts_.evidence().sources[source];
    EvidenceLine e{s.kind, s.name, s.part, line, facts_.line_text(source, line)};
    return e;
  }

  Trace listing(const Condition& c) {
    Trace t = trace_of(c);
    auto sources = sources_of(SourceKind::Listing);
    if (sources.empty()) {
      t.detail = "no listing of the site root";
      return t;
    }
    t.value = Tri::False;
    t.detail = "no entry matches";
    std::vector<re2::StringPiece> groups(c.regex->NumberOfCapturingGroups() + 1);
    for (size_t src : sources) {
      const Listing& listing = *facts_.evidence().sources[src].listing;
      for (const ListingEntry& entry : listing.entries) {
        if (c.dir_only && !entry.is_dir) continue;
        if (!c.regex->Match(entry.path, 0, entry.path.size(), RE2::UNANCHORED, groups.data(),
                            groups.size()))
          continue;
        if (t.value != Tri::True) take_captures(*c.regex, groups.data(), static_cast<int>(groups.size()), t.captures);
        t.value = Tri::True;
        ++t.matched_lines;
        if (entry.line && t.evidence.size() < 20) t.evidence.push_back(listing_line(src, entry.line));
      }
    }
    if (t.value == Tri::True) t.detail.clear();
    return t;
  }

  Trace content(const Condition& c) {
    Trace t = trace_of(c);
    for (size_t src : sources_of(SourceKind::Listing)) {
      const Listing& listing = *facts_.evidence().sources[src].listing;
      auto file = listing.files.find(c.text);
      if (file == listing.files.end()) continue;
      t.value = Tri::False;
      std::string root = listing.root.empty() ? "wwwroot" : listing.root;
      uint64_t number = 0;
      size_t start = 0;
      const std::string& text = file->second;
      while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        ++number;
        re2::StringPiece groups[10];
        int n = std::min(c.regex->NumberOfCapturingGroups() + 1, 10);
        if (c.regex->Match(line, 0, line.size(), RE2::UNANCHORED, groups, n)) {
          if (t.value != Tri::True) take_captures(*c.regex, groups, n, t.captures);
          t.value = Tri::True;
          ++t.matched_lines;
          uint32_t b = static_cast<uint32_t>(groups[0].data() - line.data());
          t.evidence.push_back({SourceKind::Listing, root + "/" + c.text, "", number, line, b,
                                b + static_cast<uint32_t>(groups[0].size())});
        }
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    }
    if (t.value == Tri::Unknown) t.detail = "content of " + c.text + " was not gathered";
    else if (t.value == Tri::False) t.detail = "no line of " + c.text + " matches";
    return t;
  }

  Trace setting(const Condition& c) {
    Trace t = trace_of(c);
    auto sources = sources_of(SourceKind::Settings);
    if (sources.empty()) {
      t.detail = "no settings were given";
      return t;
    }
    const Setting* found = nullptr;
    size_t found_in = 0;
    for (size_t src : sources)
      if (const Setting* s = facts_.evidence().sources[src].settings->find(c.text)) found = s, found_in = src;
    bool ok = false;
    std::vector<re2::StringPiece> groups(c.regex ? c.regex->NumberOfCapturingGroups() + 1 : 0);
    switch (c.op) {
      case Condition::SettingOp::Absent: ok = !found; break;
      case Condition::SettingOp::Present: ok = found; break;
      case Condition::SettingOp::Equals:
        ok = found && equals_ignoring_ascii_case(found->value, c.value);
        break;
      case Condition::SettingOp::Matches:
        ok = found && c.regex->Match(found->value, 0, found->value.size(), RE2::UNANCHORED,
                                     groups.data(), groups.size());
        if (ok) take_captures(*c.regex, groups.data(), static_cast<int>(groups.size()), t.captures);
        break;
    }
    t.value = ok ? Tri::True : Tri::False;
    if (!found) t.detail = c.text + " is not set";
    else if (!ok) t.detail = c.text + " = \"" + found->value + "\"";
    if (ok && found && found->line) t.evidence.push_back(setting_line(found_in, *found));
    return t;
  }

  // The line of the settings file where the setting stands, unless other
  // settings share it (a one-line appsettings.json): then the setting alone,
  // so the evidence never shows every other value of the file.
  EvidenceLine setting_line(size_t source, const Setting& setting) {
    EvidenceLine e = listing_line(source, setting.line);
    const auto& items = facts_.evidence().sources[source].settings->items;
    bool shared = std::any_of(items.begin(), items.end(),
                              [&](const Setting& other) { return &other != &setting && other.line == setting.line; });
    if (shared) e.text = json_quoted(setting.name) + ": " + json_quoted(setting.value);
    return e;
  }

  Trace differ(const Condition& c) {
    Trace t = trace_of(c);
    if (!rule_captures_) return t;
    auto a = rule_captures_->find(c.names[0]);
    auto b = rule_captures_->find(c.names[1]);
    if (a == rule_captures_->end() || b == rule_captures_->end()) {
      t.detail = "a capture was not taken";
      return t;
    }
    t.value = a->second != b->second ? Tri::True : Tri::False;
    t.detail = c.names[0] + " = \"" + a->second + "\", " + c.names[1] + " = \"" + b->second + "\"";
    return t;
  }

  const Facts& facts_;
  const Captures* rule_captures_;
};

bool has_differ(const Condition& c) {
  if (c.type == Condition::Type::CapturesDiffer) return true;
  return std::any_of(c.children.begin(), c.children.end(), has_differ);
}

// Captures of every true leaf outside a `none`: what captures_differ compares.
void gather_captures(const Trace& t, Captures& out) {
  if (t.condition->type == Condition::Type::None) return;
  if (t.children.empty() && t.value == Tri::True)
    for (const auto& [k, v] : t.captures) out[k] = v;
  for (const Trace& child : t.children) gather_captures(child, out);
}

}  // namespace

Trace evaluate(const Condition& condition, const Facts& facts) {
  Trace first = Evaluator(facts, nullptr).eval(condition);
  if (!has_differ(condition)) return first;
  Captures captures;
  gather_captures(first, captures);
  return Evaluator(facts, &captures).eval(condition);
}

}  // namespace appdiag
