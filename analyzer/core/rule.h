#pragma once
// The compiled form of the rule pack. A rule is data (rules/<id>.json); this is
// what the loader turns it into after validation. See README "Rule format".
#include <map>
#include <memory>
#include <variant>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "analyzer/core/evidence.h"

namespace appdiag {

enum class Severity { Info, Warning, Error };
enum class Confidence { Low, Medium, High };

std::string_view to_string(Severity severity);
std::string_view to_string(Confidence confidence);

// A node of a rule's `when` tree: one of the node types below, visited with
// std::visit. Leaves test evidence; AllOf/AnyOf/NoneOf combine. Evaluation is
// three-valued: a leaf whose evidence is missing altogether (no log of the
// kinds it reads, no listing, no settings) is Unknown, and a rule fires only
// when its tree is True.
struct Condition;

struct AllOf {
  std::vector<Condition> children;
};
struct AnyOf {
  std::vector<Condition> children;
};
struct NoneOf {
  std::vector<Condition> children;
};
// A line of a log of one of `kinds` matches pattern `pattern` of RuleSet::patterns.
struct LogMatch {
  std::string regex;  // as written
  std::vector<SourceKind> kinds;
  int pattern = -1;
};
// A listing entry matches a glob (`file`) ...
struct FileGlob {
  std::string glob;
  std::shared_ptr<const RE2> regex;
  bool dir_only = false;
};
// ... or a regex over its relative path (`path`).
struct PathMatch {
  std::string regex_text;
  std::shared_ptr<const RE2> regex;
  bool dir_only = false;
};
// The gathered content of a file matches.
struct ContentMatch {
  std::string file;
  std::shared_ptr<const RE2> regex;
};
struct SettingTest {
  enum class Op { Absent, Present, Equals, Matches };
  std::string name;
  Op op = Op::Present;
  std::string value;                // Equals
  std::shared_ptr<const RE2> regex; // Matches
};
// Two captures taken by other conditions of the rule differ.
struct CapturesDiffer {
  std::string first;
  std::string second;
};

struct Condition {
  using Node = std::variant<AllOf, AnyOf, NoneOf, LogMatch, FileGlob, PathMatch, ContentMatch, SettingTest,
                            CapturesDiffer>;
  Node node = AllOf{};
  std::string why;  // optional human note from the rule ("why")

  // The children of AllOf/AnyOf/NoneOf; none for a leaf.
  const std::vector<Condition>& children() const;
  template <typename T>
  const T* as() const { return std::get_if<T>(&node); }
};

// A capture derived from another through a table of rules/data/ (the
// distribution that provides an imported module); absent when the table has no
// entry for it.
struct CaptureLookup {
  std::string capture;  // the new capture's name
  std::string table;    // a table id: the stem of rules/data/<id>.json
  std::string from;     // the capture whose value is looked up
};

// A table of rules/data/<id>.json: key -> value.
struct LookupTable {
  std::string file;
  std::map<std::string, std::string> entries;
  // The value of `key`, else of its longest dotted prefix ("cv2.aruco" finds "cv2").
  const std::string* find(std::string_view key) const;
};

struct Reference {
  std::string title;
  std::string url;
};

struct Rule {
  std::string id;          // stable kebab-case
  std::string title;
  std::string summary;     // one line: what this failure is
  Severity severity = Severity::Error;
  Confidence confidence = Confidence::High;
  std::string category;
  std::string note;        // e.g. which wording is verified only from observed logs
  Condition when;
  // Ordered steps; ${name} is a capture. A step is one or more alternatives:
  // the first whose captures are all known is shown (a looked-up capture may
  // be unknown), so the last one uses no looked-up capture.
  std::vector<std::vector<std::string>> remediation;
  std::vector<CaptureLookup> lookups;
  std::vector<Reference> references;
  std::vector<std::string> explains;     // ids of rules whose findings are symptoms of this one
  // Log leaves that never decide whether the rule fires; when it fires, the
  // latest line each one matches near the finding's evidence leads the
  // evidence (the final exception of a traceback, pip's error line).
  std::vector<Condition> decisive;  // each a LogMatch
  std::string file;                      // the rule file it came from
};

// One line pattern of one rule; the scanner runs all of them in one pass.
struct LinePattern {
  std::string regex;
  std::shared_ptr<const RE2> compiled;  // by the loader, which checked it; shared with the scanner
  std::vector<SourceKind> kinds;
  size_t rule = 0;  // index into RuleSet::rules
  bool decisive = false;  // from the rule's "decisive" list: never decides whether it fires
};

// A timeline event definition (rules/events/*.json): a pattern whose matches
// are placed on the timeline; some start a new start attempt.
struct EventDef {
  std::string id;
  std::string label;
  std::string phase;        // build, deploy, start, run, fail, stop
  std::vector<SourceKind> kinds;
  std::string regex;
  std::shared_ptr<const RE2> compiled;  // as in LinePattern
  bool starts_attempt = false;
  // With `after`: looked for only in the `within` lines that follow a line of
  // the same source matching event `after`. A pattern without literal text
  // (a traceback's dotted exception class) then costs nothing on other lines.
  std::string after;
  uint32_t within = 0;
  // Set for error-line patterns (unrecognised errors, not timeline events):
  // "line", "traceback" (opens one), "exception" (an error line that ends
  // one) or "traceback-end" (ends one, no error on its own).
  std::string error;
  std::string file;
};

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<LinePattern> patterns;
  std::vector<EventDef> events;
  std::map<std::string, LookupTable> tables;  // by id
  const Rule* find(std::string_view id) const;
  std::vector<std::string> ids() const;  // in pack order
};

}  // namespace appdiag
