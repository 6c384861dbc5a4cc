#pragma once
// The report model: everything the formats show, decided once from the
// diagnosis — the header, which findings head the report (root cause
// first), each cause's symptom tree, each finding's evidence window with its
// lines already cut, and what fails the run. Formats read it and decide only
// presentation and escaping; none re-derives a choice made here.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/core/rule.h"
#include "analyzer/engine/diagnosis.h"
#include "analyzer/report/report_header.h"
#include "analyzer/report/report_util.h"
#include "analyzer/report/reporters.h"

namespace appdiag {

// One evidence line as every format shows it: "file:line" and the line cut
// at kLineShown (raw: each format escapes both).
struct ShownEvidence {
  const EvidenceLine* line = nullptr;
  std::string where;
  ShownLine shown;
};

// The latest kEvidenceShown evidence lines (they prove the current state
// best), oldest first, and how many matching lines the window leaves out.
struct EvidenceWindow {
  std::vector<ShownEvidence> lines;
  uint64_t not_shown = 0;
};

struct FindingView {
  const Finding* finding = nullptr;
  bool is_root = false;   // the headline root cause
  bool fails = false;     // at or above --fail-on, and current
  EvidenceWindow window;
  EvidenceWindow decisive;  // the short report's: up to kDecisiveShown of the rule's decisive lines, else the latest
  ShownEvidence latest;   // the last evidence line (line == nullptr when none)
  std::vector<const FindingView*> symptoms;  // everything it explains, directly or not, in diagnosis order
};

struct ReportModel {
  const Diagnosis& diagnosis;
  const RuleSet& rules;
  const ReportOptions& options;
  ReportHeader header;
  std::vector<std::pair<std::string, std::string>> header_fields;  // App, Inputs, Logs cover, Generated, Tool
  std::vector<FindingView> findings;      // every finding, in diagnosis order
  const FindingView* root = nullptr;      // the headline root cause, if any
  std::vector<const FindingView*> causes;  // headline findings: root first, then other current root causes
  std::vector<const FindingView*> intermittent, resolved;
  EvidenceWindow startup_observed;        // the lines that show what actually started
  size_t failing = 0;                     // findings that fail the run

  ReportModel(const Diagnosis& d, const RuleSet& r, const ReportOptions& o) : diagnosis(d), rules(r), options(o) {}
  ReportModel(const ReportModel&) = delete;  // views point into `findings`
  ReportModel& operator=(const ReportModel&) = delete;

  const FindingView& view(const Finding& f) const { return findings[static_cast<size_t>(&f - diagnosis.findings.data())]; }
};

// At or above --fail-on and current: resolved and intermittent findings never
// fail a gate. The one place the rule is written (the CLI's exit code uses it).
bool fails(const Finding& f, const ReportOptions& o);

// Built once per analysis; every reporter reads the same model.
std::unique_ptr<ReportModel> build_report_model(const Diagnosis& d, const RuleSet& rules, const ReportOptions& o);

}  // namespace appdiag
