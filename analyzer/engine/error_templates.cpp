#include "analyzer/engine/error_templates.h"

#include <algorithm>
#include <tuple>

#include "analyzer/engine/template_masker.h"

namespace appdiag {

bool is_error_line_event(const EventDef& event) { return !event.error.empty(); }

ErrorCollector::ErrorCollector(const RuleSet& rules, const Evidence& evidence)
    : rules_(rules), evidence_(evidence), roles_(rules.events.size(), 0) {
  for (size_t i = 0; i < rules.events.size(); ++i) {
    const EventDef& e = rules.events[i];
    if (!is_error_line_event(e)) continue;
    roles_[i] = e.error == "traceback"       ? kTraceback
                : e.error == "exception"     ? kException
                : e.error == "traceback-end" ? kTracebackEnd
                                             : kPlain;
  }
}

void ErrorCollector::add(const Match& m) {
  SourceState& s = sources_[m.source];
  if (m.line != s.line) {
    flush(s);
    s.line = m.line;
    s.roles = 0;
  }
  if (!m.event) {
    s.rule_lines.emplace_back(m.line, rules_.patterns[m.index].rule);
    return;
  }
  unsigned role = roles_[m.index];
  if (!role) return;
  if (!s.roles) s.match = m;
  s.roles |= role;
}

void ErrorCollector::flush(SourceState& s) {
  if (!s.roles) {
    forget_old_rule_lines(s);
    return;
  }
  const uint64_t line = s.line;
  Occurrence& tb = s.traceback;
  if (s.roles & kTraceback) {
    if (tb.has) hold(s, tb);  // a traceback that never named its exception
    tb = {true, line, s.match};
    if (s.held.has && line - s.held.summary.line <= kHeaderGap) {
      tb.first = s.held.first;
      s.held.has = false;
    }
  } else if ((s.roles & (kException | kTracebackEnd)) && tb.has && line - tb.summary.line <= kTracebackSpan) {
    hold(s, {true, tb.first, s.match});
    tb.has = false;
  } else if (s.roles != kTracebackEnd) {
    if (tb.has && line - tb.summary.line > kTracebackSpan) {
      hold(s, tb);
      tb.has = false;
    }
    hold(s, {true, line, s.match});
  }
  s.roles = 0;
  forget_old_rule_lines(s);
}

// Keeps memory flat on long logs full of rule matches.
void ErrorCollector::forget_old_rule_lines(SourceState& s) {
  uint64_t oldest = s.line;
  if (s.held.has) oldest = std::min(oldest, s.held.first);
  if (s.traceback.has) oldest = std::min(oldest, s.traceback.first);
  while (!s.rule_lines.empty() && s.rule_lines.front().first + 1 < oldest) s.rule_lines.pop_front();
}

void ErrorCollector::hold(SourceState& s, Occurrence occurrence) {
  if (s.held.has) emit(s, s.held);
  s.held = std::move(occurrence);
}

void ErrorCollector::emit(SourceState& s, const Occurrence& o) {
  std::vector<uint32_t> rules;
  // The next line belongs to the same report (gunicorn's "[ERROR] Shutting
  // down: Master" is followed by the "Reason: ..." a rule reads), and so does
  // the line a traceback follows ("[CRITICAL] WORKER TIMEOUT" before its traceback).
  uint64_t from_line = o.first < o.summary.line && o.first > 0 ? o.first - 1 : o.first;
  auto from = std::lower_bound(s.rule_lines.begin(), s.rule_lines.end(), std::make_pair(from_line, 0u));
  for (auto it = from; it != s.rule_lines.end() && it->first <= o.summary.line + 1; ++it) rules.push_back(it->second);
  std::sort(rules.begin(), rules.end());
  rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
  std::string pattern = mask_template(o.summary.text);
  std::string key = pattern;
  for (uint32_t r : rules) key += "\n" + std::to_string(r);
  std::pair<uint32_t, uint64_t> at{o.summary.source, o.summary.line};
  auto it = clusters_.find(key);
  if (it == clusters_.end()) {
    if (clusters_.size() >= kMaxClusters) {
      ++overflow_;
      return;
    }
    it = clusters_.emplace(key, Cluster{pattern, rules, 0, o.summary, o.summary, at, at}).first;
  } else if (at < it->second.first_at) {
    it->second.first = o.summary;
    it->second.first_at = at;
  } else if (it->second.last_at < at) {
    it->second.last = o.summary;
    it->second.last_at = at;
  }
  ++it->second.count;
}

void ErrorCollector::finish() {
  for (auto& [source, s] : sources_) {
    flush(s);
    if (s.traceback.has) hold(s, s.traceback);
    s.traceback.has = false;
    if (s.held.has) emit(s, s.held);
    s.held.has = false;
  }
}

namespace {

// Evidence order: by source order of appearance is not known here, so by file then line.
bool before(const EvidenceLine& a, const EvidenceLine& b) {
  return std::tie(a.file, a.part, a.line) < std::tie(b.file, b.part, b.line);
}

void absorb(ErrorTemplate& into, const ErrorTemplate& t) {
  into.count += t.count;
  if (before(t.first, into.first)) into.first = t.first, into.example = t.example;
  if (before(into.last, t.last)) into.last = t.last;
}

// Drain's similarity: the share of positions whose literal tokens agree.
// Templates of different length or different first token never merge.
bool similar(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  if (a.size() != b.size() || a.empty() || a[0] != b[0]) return false;
  size_t same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  return same * 10 >= a.size() * 7;
}

std::string generalise(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::string out;
  for (size_t i = 0; i < a.size(); ++i) {
    if (i) out += ' ';
    out += a[i] == b[i] ? std::string(a[i]) : std::string(kMask);
  }
  return out;
}

}  // namespace

ErrorCollector::Result ErrorCollector::templates(const std::vector<bool>& fired, size_t max_templates) const {
  std::vector<ErrorTemplate> merged;
  std::map<std::string, size_t> by_pattern;
  for (const auto& [key, c] : clusters_) {
    bool explained = std::any_of(c.rules.begin(), c.rules.end(),
                                 [&](uint32_t r) { return r < fired.size() && fired[r]; });
    if (explained) continue;
    EvidenceLine first = to_evidence(c.first, evidence_);
    ErrorTemplate t{c.pattern, c.count, first, to_evidence(c.last, evidence_), first};
    auto [it, fresh] = by_pattern.emplace(c.pattern, merged.size());
    if (fresh) merged.push_back(t);
    else absorb(merged[it->second], t);
  }
  // Drain step: templates that differ in a few tokens are one template.
  std::vector<ErrorTemplate> out;
  for (ErrorTemplate& t : merged) {
    auto tokens = template_tokens(t.pattern);
    bool joined = false;
    for (ErrorTemplate& o : out) {
      auto other = template_tokens(o.pattern);
      if (!similar(tokens, other)) continue;
      o.pattern = generalise(other, tokens);
      absorb(o, t);
      joined = true;
      break;
    }
    if (!joined) out.push_back(std::move(t));
  }
  std::stable_sort(out.begin(), out.end(), [](const ErrorTemplate& a, const ErrorTemplate& b) {
    if (a.count != b.count) return a.count > b.count;
    return before(a.first, b.first);
  });
  Result r;
  r.untracked_lines = overflow_;
  if (out.size() > max_templates) {
    r.left_out += out.size() - max_templates;
    out.resize(max_templates);
  }
  r.templates = std::move(out);
  return r;
}

}  // namespace appdiag
