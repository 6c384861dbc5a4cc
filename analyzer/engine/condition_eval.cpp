#include "analyzer/core/ascii.h"
#include "analyzer/engine/condition_eval.h"

#include <algorithm>
#include <set>

#include "analyzer/core/error.h"
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
      } catch (const InputError&) {
        // An unreadable listing/settings source was already reported by the scan;
        // anything else (a bug, bad_alloc) must surface.
      }
    }
    it = lines_.emplace(source, std::move(lines)).first;
  }
  return line == 0 || line > it->second.size() ? empty : it->second[line - 1];
}

EvidenceLine to_evidence(const Match& m, const Evidence& evidence) {
  const Source& s = evidence.sources[m.source];
  auto [begin, end] = match_range(m);
  return {s.kind, s.name, s.part, m.line, m.text, begin, end, m.truncated, m.attempt};
}

void materialize(Trace& t, const Evidence& evidence, bool deep) {
  t.evidence.reserve(t.evidence.size() + t.matches.size());
  for (const Match* m : t.matches) t.evidence.push_back(to_evidence(*m, evidence));
  t.matches.clear();
  if (deep)
    for (Trace& child : t.children) materialize(child, evidence, true);
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
    return std::visit([&](const auto& node) { return eval(c, node); }, c.node);
  }

 private:
  Trace eval(const Condition& c, const AllOf&) { return combine(c, Combine::All); }
  Trace eval(const Condition& c, const AnyOf&) { return combine(c, Combine::Any); }
  Trace eval(const Condition& c, const NoneOf&) { return combine(c, Combine::None); }
  Trace eval(const Condition& c, const LogMatch& m) { return log(c, m); }
  Trace eval(const Condition& c, const FileGlob& g) { return listing(c, *g.regex, g.dir_only); }
  Trace eval(const Condition& c, const PathMatch& p) { return listing(c, *p.regex, p.dir_only); }
  Trace eval(const Condition& c, const ContentMatch& m) { return content(c, m); }
  Trace eval(const Condition& c, const SettingTest& s) { return setting(c, s); }
  Trace eval(const Condition& c, const CapturesDiffer& d) { return differ(c, d); }

  enum class Combine { All, Any, None };

  Trace combine(const Condition& c, Combine how) {
    Trace t = trace_of(c);
    int n_true = 0, n_unknown = 0;
    for (const Condition& child : c.children()) {
      t.children.push_back(eval(child));
      n_true += t.children.back().value == Tri::True;
      n_unknown += t.children.back().value == Tri::Unknown;
    }
    int n = static_cast<int>(c.children().size());
    if (how == Combine::All)
      t.value = n_true == n ? Tri::True : n_true + n_unknown == n ? Tri::Unknown : Tri::False;
    else if (how == Combine::Any)
      t.value = n_true > 0 ? Tri::True : n_unknown > 0 ? Tri::Unknown : Tri::False;
    else
      t.value = n_true > 0 ? Tri::False : n_unknown > 0 ? Tri::Unknown : Tri::True;
    // Only a True node's lines are read (a finding's root, explain's leaves):
    // a False all_of above thousands of matching lines copies none of them.
    if (t.value == Tri::True && how != Combine::None)
      for (const Trace& child : t.children)
        if (child.value == Tri::True) {
          t.evidence.insert(t.evidence.end(), child.evidence.begin(), child.evidence.end());
          t.matches.insert(t.matches.end(), child.matches.begin(), child.matches.end());
          t.matched_lines += child.matched_lines;
          for (const auto& [k, v] : child.captures) t.captures[k] = v;
        }
    return t;
  }

  bool any_source(const std::vector<SourceKind>& kinds) {
    return std::any_of(kinds.begin(), kinds.end(), [&](SourceKind k) { return facts_.has_kind(k); });
  }

  Trace log(const Condition& c, const LogMatch& m) {
    Trace t = trace_of(c);
    if (!any_source(m.kinds)) {
      t.detail = "no log of the kinds it reads";
      return t;
    }
    const auto& matches = facts_.matches_of(m.pattern);
    t.matched_lines = facts_.scan().pattern_hits[m.pattern];
    if (matches.empty()) {
      t.value = Tri::False;
      t.detail = "no line matches";
      return t;
    }
    t.value = Tri::True;
    t.matches = matches;
    // The latest line wins: it belongs to the most recent start attempt.
    const Match* latest = matches.back();
    for (const Match* match : matches)
      if (match->attempt > latest->attempt) latest = match;
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

  Trace listing(const Condition& c, const RE2& regex, bool dir_only) {
    Trace t = trace_of(c);
    auto sources = sources_of(SourceKind::Listing);
    if (sources.empty()) {
      t.detail = "no listing of the site root";
      return t;
    }
    t.value = Tri::False;
    t.detail = "no entry matches";
    std::vector<re2::StringPiece> groups(regex.NumberOfCapturingGroups() + 1);
    for (size_t src : sources) {
      const Listing& listing = *facts_.evidence().sources[src].listing;
      for (const ListingEntry& entry : listing.entries) {
        if (dir_only && !entry.is_dir) continue;
        if (!regex.Match(entry.path, 0, entry.path.size(), RE2::UNANCHORED, groups.data(), groups.size()))
          continue;
        if (t.value != Tri::True) take_captures(regex, groups.data(), static_cast<int>(groups.size()), t.captures);
        t.value = Tri::True;
        ++t.matched_lines;
        if (entry.line && t.evidence.size() < 20) t.evidence.push_back(listing_line(src, entry.line));
      }
    }
    if (t.value == Tri::True) t.detail.clear();
    return t;
  }

  Trace content(const Condition& c, const ContentMatch& m) {
    Trace t = trace_of(c);
    for (size_t src : sources_of(SourceKind::Listing)) {
      const Listing& listing = *facts_.evidence().sources[src].listing;
      auto file = listing.files.find(m.file);
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
        int n = std::min(m.regex->NumberOfCapturingGroups() + 1, 10);
        if (m.regex->Match(line, 0, line.size(), RE2::UNANCHORED, groups, n)) {
          if (t.value != Tri::True) take_captures(*m.regex, groups, n, t.captures);
          t.value = Tri::True;
          ++t.matched_lines;
          uint32_t b = static_cast<uint32_t>(groups[0].data() - line.data());
          t.evidence.push_back({SourceKind::Listing, root + "/" + m.file, "", number, line, b,
                                b + static_cast<uint32_t>(groups[0].size())});
        }
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    }
    if (t.value == Tri::Unknown) t.detail = "content of " + m.file + " was not gathered";
    else if (t.value == Tri::False) t.detail = "no line of " + m.file + " matches";
    return t;
  }

  Trace setting(const Condition& c, const SettingTest& test) {
    Trace t = trace_of(c);
    auto sources = sources_of(SourceKind::Settings);
    if (sources.empty()) {
      t.detail = "no settings were given";
      return t;
    }
    const Setting* found = nullptr;
    size_t found_in = 0;
    for (size_t src : sources)
      if (const Setting* s = facts_.evidence().sources[src].settings->find(test.name)) found = s, found_in = src;
    bool ok = false;
    std::vector<re2::StringPiece> groups(test.regex ? test.regex->NumberOfCapturingGroups() + 1 : 0);
    switch (test.op) {
      case SettingTest::Op::Absent: ok = !found; break;
      case SettingTest::Op::Present: ok = found; break;
      case SettingTest::Op::Equals:
        ok = found && equals_ignoring_ascii_case(found->value, test.value);
        break;
      case SettingTest::Op::Matches:
        ok = found && test.regex->Match(found->value, 0, found->value.size(), RE2::UNANCHORED,
                                        groups.data(), groups.size());
        if (ok) take_captures(*test.regex, groups.data(), static_cast<int>(groups.size()), t.captures);
        break;
    }
    t.value = ok ? Tri::True : Tri::False;
    if (!found) t.detail = test.name + " is not set";
    else if (!ok) t.detail = test.name + " = \"" + found->value + "\"";
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

  Trace differ(const Condition& c, const CapturesDiffer& d) {
    Trace t = trace_of(c);
    if (!rule_captures_) return t;
    auto a = rule_captures_->find(d.first);
    auto b = rule_captures_->find(d.second);
    if (a == rule_captures_->end() || b == rule_captures_->end()) {
      t.detail = "a capture was not taken";
      return t;
    }
    t.value = a->second != b->second ? Tri::True : Tri::False;
    t.detail = d.first + " = \"" + a->second + "\", " + d.second + " = \"" + b->second + "\"";
    return t;
  }

  const Facts& facts_;
  const Captures* rule_captures_;
};

bool has_differ(const Condition& c) {
  if (c.as<CapturesDiffer>()) return true;
  return std::any_of(c.children().begin(), c.children().end(), has_differ);
}

// Captures of every true leaf outside a `none`: what captures_differ compares.
void gather_captures(const Trace& t, Captures& out) {
  if (t.condition->as<NoneOf>()) return;
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
