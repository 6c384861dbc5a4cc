#pragma once
// The compiled form of the rule pack. A rule is data (rules/<id>.json); this is
// what the loader turns it into after validation. See README "Rule format".
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "analyzer/core/evidence.h"

namespace appdiag {

enum class Severity { Info, Warning, Error };
enum class Confidence { Low, Medium, High };

std::string_view to_string(Severity severity);
std::string_view to_string(Confidence confidence);

// A node of a rule's `when` tree. Leaves test evidence; All/Any/None combine.
// Evaluation is three-valued: a leaf whose evidence is missing altogether (no
// log of the kinds it reads, no listing, no settings) is Unknown, and a rule
// fires only when its tree is True.
struct Condition {
  enum class Type { All, Any, None, Log, File, Path, Content, Setting, CapturesDiffer };
  enum class SettingOp { Absent, Present, Equals, Matches };

  Type type = Type::All;
  std::vector<Condition> children;        // All, Any, None
  std::string text;                       // pattern, glob, path regex, file name or setting name, as written
  std::string why;                        // optional human note from the rule ("why")
  std::vector<SourceKind> kinds;          // Log: the source kinds it reads
  int pattern = -1;                       // Log: index into RuleSet::patterns
  std::shared_ptr<const RE2> regex;       // File (from the glob), Path, Content, Setting Matches
  bool dir_only = false;                  // File, Path: only directories
  SettingOp op = SettingOp::Present;      // Setting
  std::string value;                      // Setting Equals
  std::vector<std::string> names;         // CapturesDiffer: the two capture names
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
  std::vector<Condition> decisive;
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
