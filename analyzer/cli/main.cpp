// The command-line front end. CLI11 lives in this one file only (it is slow to
// compile); every command is a short function over the engine.
#include <csignal>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <new>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <map>
#include <thread>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "analyzer/engine/diagnosis.h"
#include "analyzer/core/ascii.h"
#include "analyzer/core/error.h"
#include "analyzer/core/version.h"
#include "analyzer/engine/prefilter.h"
#include "analyzer/report/explain_report.h"
#include "analyzer/engine/finding_filter.h"
#include "analyzer/cli/fleet.h"
#include "analyzer/pack/kql_export.h"
#include "analyzer/cli/output_file.h"
#include "analyzer/report/report_diff.h"
#include "analyzer/report/report_util.h"
#include "analyzer/report/reporters.h"
#include "analyzer/report/startup_text.h"
#include "analyzer/pack/rule_loader.h"
#include "analyzer/pack/rule_scaffold.h"
#include "analyzer/cli/scan_command.h"
#include "analyzer/core/suggest.h"
#include "analyzer/core/text_escape.h"
#include "collectors/collect.h"

namespace appdiag {
namespace {

enum ExitCode { kOk = 0, kFindings = 1, kInputError = 2, kInterrupted = 130 };

// Ctrl-C or SIGTERM: no partial -o file is left behind.
extern "C" void on_interrupt(int) {
  remove_partial_output();
  _exit(kInterrupted);
}

struct CommonArgs {
  std::vector<std::string> sources;
  std::vector<std::string> kind_overrides;  // KIND=PATH
  std::vector<std::string> rule_dirs;
  int jobs = 0;
  bool no_redact = false;
  SshOptions ssh;
};

void add_common_options(CLI::App& cmd, CommonArgs& a) {
  cmd.add_option("sources", a.sources, "bundle (.zip or folder), log files, listing, settings JSON, - for stdin (the default when it is piped), or ssh://[user@]host[:port]");
  cmd.add_option("--as", a.kind_overrides, "read PATH as KIND (deploy, platform, app, listing, settings); PATH is added to the sources")->type_name("KIND=PATH")->allow_extra_args(false);
  cmd.add_option("--rules", a.rule_dirs, "add the rules in DIR to the built-in pack")->type_name("DIR")->allow_extra_args(false);
  cmd.add_option("-j,--jobs", a.jobs, "sources scanned in parallel (default: cores)");
  cmd.add_flag("--no-redact", a.no_redact, "show secrets found in logs and settings as they are");
  auto* ssh = &a.ssh;
  cmd.add_option("-i,--identity", ssh->identity_file, "ssh: private key file")->group("SSH");
  cmd.add_option("--known-hosts", ssh->known_hosts, "ssh: known hosts file (default ~/.ssh/known_hosts)")->group("SSH");
  cmd.add_flag("--accept-new-host-key", ssh->accept_new_host_key, "ssh: trust and record an unknown host key")->group("SSH");
  cmd.add_option("--site-root", ssh->site_root, "ssh: site root to list")->group("SSH");
  cmd.add_option("--logs-root", ssh->logs_root, "ssh: folder of docker logs")->group("SSH");
  cmd.add_option("--deployments-root", ssh->deployments_root, "ssh: folder of deployments")->group("SSH");
  cmd.add_option("--max-log-bytes", ssh->max_log_bytes, "ssh: tail at most this many bytes per log")->group("SSH");
  cmd.add_option("--byte-budget", ssh->byte_budget, "ssh: gather at most this many bytes in all")->group("SSH");
  cmd.add_option("--connect-timeout", ssh->connect_timeout_s, "ssh: seconds to connect")->group("SSH");
  cmd.add_option("--timeout", ssh->op_timeout_s, "ssh: seconds per operation")->group("SSH");
  cmd.add_option("--save-bundle", ssh->save_bundle, "ssh: write what was gathered as a bundle to DIR")->group("SSH");
}

RuleSet load_pack(const std::vector<std::string>& dirs) {
  auto files = builtin_rule_files();
  for (const auto& dir : dirs) {
    auto more = rule_files_in(dir);
    files.insert(files.end(), more.begin(), more.end());
  }
  return load_rules(files, {}, PackScope::Whole);
}

const std::vector<std::string> kKinds = {"deploy", "platform", "app", "listing", "settings"};

// A pipe or a redirected file: data a user meant appdiag to read (a terminal
// or /dev/null is not).
bool stdin_is_piped() {
  struct stat st;
  return fstat(STDIN_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode));
}

// The sources and how to read them. --as KIND=PATH adds PATH when it is not
// already a source; with no source at all, piped standard input is read.
AnalysisOptions analysis_options(const CommonArgs& a, const char* command) {
  AnalysisOptions options;
  options.inputs = a.sources;
  for (const auto& spec : a.kind_overrides) {
    size_t eq = spec.find('=');
    std::string name = spec.substr(0, eq);
    auto kind = eq == std::string::npos ? std::nullopt : parse_source_kind(name);
    if (!kind)
      throw InputError("--as " + spec + ": expected KIND=PATH with KIND one of deploy, platform, app, listing, settings" +
                       did_you_mean(name, kKinds));
    std::string path = spec.substr(eq + 1);
    options.collect.kind_overrides.emplace_back(*kind, path);
    if (std::find(options.inputs.begin(), options.inputs.end(), path) == options.inputs.end())
      options.inputs.push_back(path);
  }
  if (options.inputs.empty()) {
    if (!stdin_is_piped())
      throw InputError(std::string(command) + ": no input: give a bundle, log files, a listing or settings, or pipe a log into standard input");
    options.inputs.push_back("-");
  }
  options.collect.ssh = a.ssh;
  options.redact = !a.no_redact;
  options.jobs = a.jobs;
  return options;
}

std::optional<Severity> parse_fail_on(const std::string& level) {
  if (level == "never") return std::nullopt;
  if (level == "info") return Severity::Info;
  if (level == "warning") return Severity::Warning;
  if (level == "error") return Severity::Error;
  throw InputError("--fail-on " + level + ": expected error, warning, info or never" +
                   did_you_mean(level, {"error", "warning", "info", "never"}));
}

struct AnalyzeArgs {
  CommonArgs common;
  std::vector<std::string> formats;  // NAME or NAME=FILE
  std::string output;
  std::string fail_on = "error";
  std::string baseline;  // a previous JSON report
  std::string only, skip;  // rule ids, comma-separated
  std::string since, until;           // --since / --until as given
  bool since_given = false, until_given = false;  // an empty value is an error, not no window
  std::vector<std::string> instances; // --instance
  bool allow_unreadable = false;  // scan: an input of which nothing could be read does not fail the gate
  bool verbose = false, quiet = false;  // the text report: every section / one line per root cause
};

using Outputs = std::vector<std::pair<const Reporter*, std::string>>;

const Reporter* reporter_named(const std::string& name) {
  if (const Reporter* r = find_reporter(name)) return r;
  std::vector<std::string> names;
  for (const Reporter& r : reporters()) names.emplace_back(r.name);
  std::string valid;
  for (const auto& n : names) valid += (valid.empty() ? "" : ", ") + n;
  throw InputError("--format " + name + ": unknown format" + did_you_mean(name, names) + "; valid: " + valid);
}

// The format -o FILE implies by its extension (any case), or nullptr. An
// extension that names none (report.docx) gets text and a note saying so:
// silently writing text into a file named for another format surprised users.
const Reporter* reporter_for_file(const std::string& path) {
  static const std::vector<std::pair<std::string, std::string>> by_extension = {
      {".json", "json"},   {".md", "markdown"}, {".markdown", "markdown"}, {".html", "html"}, {".htm", "html"},
      {".sarif", "sarif"}, {".xml", "junit"},   {".txt", "text"},          {".text", "text"}, {".log", "text"}};
  std::string extension = std::filesystem::path(path).extension().string();
  for (const auto& [ext, name] : by_extension)
    if (equals_ignoring_ascii_case(extension, ext)) return find_reporter(name);
  if (!extension.empty())
    std::cerr << "appdiag: note: -o " << escape_for_terminal(path) << ": " << escape_for_terminal(extension)
              << " names no report format; writing text (--format json|markdown|html|sarif|junit|github|text chooses)\n";
  return nullptr;
}

// --format NAME or NAME=FILE (repeatable); a bare NAME goes to -o (or stdout).
// Without --format, -o FILE's extension picks the format (text otherwise).
Outputs parse_outputs(const std::vector<std::string>& formats, const std::string& output, bool text_by_default) {
  Outputs outputs;
  for (const auto& spec : formats) {
    size_t eq = spec.find('=');
    outputs.emplace_back(reporter_named(spec.substr(0, eq)), eq == std::string::npos ? output : spec.substr(eq + 1));
  }
  if (outputs.empty() && (text_by_default || !output.empty())) {
    const Reporter* r = reporter_for_file(output);
    outputs.emplace_back(r ? r : find_reporter("text"), output);
  }
  return outputs;
}

// --only, --skip and --baseline; `storage` holds the baseline the filter points at.
FindingFilter make_filter(const AnalyzeArgs& a, const RuleSet& rules, std::optional<Baseline>& storage) {
  FindingFilter filter;
  filter.only = parse_rule_ids("--only", a.only, rules);
  filter.skip = parse_rule_ids("--skip", a.skip, rules);
  if (!a.baseline.empty()) filter.baseline = &storage.emplace(Baseline::load(a.baseline));
  return filter;
}

// --since / --until: an ISO date-time or a duration back from now.
std::optional<int64_t> parse_window_end(const char* option, bool given, const std::string& text, bool end_of_day) {
  if (!given) return std::nullopt;
  if (auto ms = parse_time_arg(text, generation_time() * 1000, end_of_day)) return ms;
  throw InputError(std::string(option) + ": cannot read '" + text +
                   "' as a time (expected e.g. 2025-06-09, 2025-06-09T08:10, 2025-06-09 08:10:00+02:00, or 2h, 3d back from now)");
}

TimeWindow make_window(const AnalyzeArgs& a) {
  TimeWindow window;
  window.since_ms = parse_window_end("--since", a.since_given, a.since, false);
  window.until_ms = parse_window_end("--until", a.until_given, a.until, true);
  if (window.since_ms && window.until_ms && *window.since_ms > *window.until_ms)
    throw InputError("--since " + a.since + " is after --until " + a.until);
  for (const std::string& name : a.instances)
    if (std::find(window.instances.begin(), window.instances.end(), name) == window.instances.end())
      window.instances.push_back(name);
  return window;
}

AnalysisOptions analyze_options(const AnalyzeArgs& a, const RuleSet& rules, std::optional<Baseline>& baseline,
                                const char* command) {
  AnalysisOptions options = analysis_options(a.common, command);
  options.report.fail_on = parse_fail_on(a.fail_on);
  options.filter = make_filter(a, rules, baseline);
  options.window = make_window(a);
  options.report.text_detail = a.quiet ? TextDetail::Quiet : a.verbose ? TextDetail::Full : TextDetail::Short;
  return options;
}

void say_suppressed(const Analysis& analysis) {
  if (analysis.suppressed())
    std::cerr << "appdiag: --baseline: " << analysis.suppressed() << " finding" << (analysis.suppressed() == 1 ? "" : "s")
              << " already in the baseline not reported\n";
}

int run_analyze(AnalyzeArgs& a) {
  RuleSet rules = load_pack(a.common.rule_dirs);
  std::optional<Baseline> baseline;
  AnalysisOptions options = analyze_options(a, rules, baseline, "analyze");
  Outputs outputs = parse_outputs(a.formats, a.output, true);
  Analysis analysis(rules, std::move(options));
  Diagnosis d = analysis.diagnose();
  analysis.report(d, outputs);
  say_suppressed(analysis);
  return analysis.fails(d) ? kFindings : kOk;
}

// The CI gate: findings as the log arrives (see analyzer/cli/scan_command.h).
int run_scan_command(AnalyzeArgs& a, bool follow) {
  RuleSet rules = load_pack(a.common.rule_dirs);
  // Standard input is the default source, read as an app log unless --as KIND=- says otherwise.
  CommonArgs& c = a.common;
  bool stdin_kind_given = std::any_of(c.kind_overrides.begin(), c.kind_overrides.end(),
                                      [](const std::string& spec) { return spec.ends_with("=-"); });
  bool uses_stdin = c.sources.empty() && c.kind_overrides.empty();
  uses_stdin = uses_stdin || std::find(c.sources.begin(), c.sources.end(), "-") != c.sources.end();
  if (uses_stdin && !stdin_kind_given) c.kind_overrides.push_back("app=-");
  std::optional<Baseline> baseline;
  Analysis analysis(rules, analyze_options(a, rules, baseline, "scan"));
  errno = 0;
  ScanResultSummary result = run_scan(analysis, follow, parse_outputs(a.formats, a.output, false), std::cout);
  // The findings were printed as they came: a failed write (a closed pipe with
  // SIGPIPE ignored) must not pass the gate silently.
  if (!std::cout.flush())
    throw InputError(std::string("standard output: ") + std::strerror(errno != 0 ? errno : EIO));
  say_suppressed(analysis);
  // A gate that could not read one of its inputs has not checked it.
  bool unread = !analysis.collect().unread_inputs.empty() && !a.allow_unreadable;
  for (const std::string& input : unread ? analysis.collect().unread_inputs : std::vector<std::string>{})
    std::cerr << "appdiag: scan failed: nothing could be read from " << escape_for_terminal(input)
              << " (--allow-unreadable passes the gate anyway)\n";
  if (result.failed) std::cerr << "appdiag: scan failed: a finding at or above --fail-on " << a.fail_on << "\n";
  else if (!unread && result.reported == 0) std::cerr << "appdiag: no failure found in " << result.lines << " lines\n";
  else if (!unread) std::cerr << "appdiag: " << result.reported << " finding" << (result.reported == 1 ? "" : "s") << " below --fail-on " << a.fail_on << "\n";
  return result.failed || unread ? kFindings : kOk;
}

const Rule& rule_named(const RuleSet& rules, const std::string& id, const char* command) {
  const Rule* rule = rules.find(id);
  if (!rule)
    throw InputError(std::string(command) + ": no rule with id \"" + id + "\"" + did_you_mean(id, rules.ids()) +
                     " (see `appdiag rules list`)");
  return *rule;
}

int run_explain(const std::string& rule_id, CommonArgs& a) {
  RuleSet rules = load_pack(a.rule_dirs);
  const Rule& rule = rule_named(rules, rule_id, "explain");
  Analysis analysis(rules, analysis_options(a, "explain"));
  write_explain(rule, analysis.explain(rule), std::cout);
  return kOk;
}

// What App Service will start, from the same sources as analyze.
int run_startup(CommonArgs& a) {
  RuleSet rules = load_pack(a.rule_dirs);
  Analysis analysis(rules, analysis_options(a, "startup"));
  const Diagnosis& d = analysis.diagnose();
  write_startup_text(d.startup, d.started, std::cout);
  return kOk;
}

int run_rules_show(const std::string& id, const std::vector<std::string>& dirs) {
  RuleSet rules = load_pack(dirs);
  write_rule(rule_named(rules, id, "rules show"), std::cout);
  return kOk;
}

int run_rules_check(const std::string& dir) {
  // A DIR is checked on its own; its `explains` may name built-in rules and
  // its lookups built-in tables (rules/data/), as when it is added with --rules.
  std::set<std::string> builtin_ids;
  std::vector<RuleFile> files = dir.empty() ? builtin_rule_files() : rule_files_in(dir);
  if (!dir.empty()) {
    for (const Rule& r : load_rules(builtin_rule_files()).rules) builtin_ids.insert(r.id);
    std::set<std::string> own;
    for (const RuleFile& f : files) own.insert(std::filesystem::path(f.name).filename().string());
    for (RuleFile& f : builtin_rule_files())
      if (f.name.starts_with("rules/data/") && !own.count(std::filesystem::path(f.name).filename().string()))
        files.push_back(std::move(f));
  }
  RuleSet rules = load_rules(files, builtin_ids, dir.empty() ? PackScope::Whole : PackScope::Part);
  Scanner(rules).check();  // the pattern sets must compile too
  std::cout << (dir.empty() ? "built-in pack" : dir) << ": " << rules.rules.size() << " rules, "
            << rules.patterns.size() << " line patterns, " << rules.events.size() << " events: OK\n";
  return kOk;
}

int run_rules_list(const std::vector<std::string>& dirs) {
  RuleSet rules = load_pack(dirs);
  for (const Rule& r : rules.rules)
    std::cout << r.id << "\t" << to_string(r.severity) << "\t" << r.title << "\n";
  return kOk;
}

int run_rules_patterns(const std::vector<std::string>& dirs) {
  RuleSet rules = load_pack(dirs);
  for (const LinePattern& p : rules.patterns) std::cout << p.regex << "\n";
  return kOk;
}

struct ExportArgs {
  std::string format = "kql";
  std::vector<std::string> rule_dirs;
  std::vector<std::string> only;
  std::string output = "-";
};

// Queries to stdout or one file per rule in a folder; what could not be
// expressed is counted on stderr (and named in each query's comments).
int run_rules_export(const ExportArgs& a) {
  if (a.format != "kql") throw InputError("--format " + a.format + ": expected kql");
  RuleSet rules = load_pack(a.rule_dirs);
  KqlExport exported = export_kql(rules, a.only);
  if (a.output == "-") write_kql_stream(exported, std::cout);
  else write_kql_files(exported, a.output);
  std::map<KqlCoverage, std::vector<std::string>> by;
  for (const auto& q : exported.rules) by[q.coverage].push_back(q.rule_id);
  std::cerr << "exported " << exported.rules.size() << " rules: " << by[KqlCoverage::Full].size() << " full, "
            << by[KqlCoverage::Partial].size() << " partial, " << by[KqlCoverage::None].size() << " not exported";
  for (size_t i = 0; i < by[KqlCoverage::None].size(); ++i) std::cerr << (i ? ", " : " (") << by[KqlCoverage::None][i];
  std::cerr << (by[KqlCoverage::None].empty() ? "" : ")") << "\n";
  return kOk;
}

struct FleetArgs {
  std::vector<std::string> paths;
  std::vector<std::string> rule_dirs;
  std::string output = "-";
  std::string summary;
  std::string fail_on = "error";
  std::string progress = "auto";
  FleetOptions options;
};

// Exit 2 when no bundle could be read; 1 when a bundle has a finding at or
// above --fail-on; else 0. Unreadable bundles alone are not a failure.
int run_fleet_command(FleetArgs& a) {
  RuleSet rules = load_pack(a.rule_dirs);
  auto fail_on = parse_fail_on(a.fail_on);
  if (a.progress != "auto" && a.progress != "always" && a.progress != "never")
    throw InputError("--progress " + a.progress + ": expected auto, always or never");
  a.options.progress = a.progress == "always" || (a.progress == "auto" && isatty(STDERR_FILENO));
  // Each thread holds a bundle's scan state: more threads than cores only cost memory.
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (a.options.jobs > 4 * cores) a.options.jobs = 4 * cores;
  std::vector<std::string> bundles = expand_fleet_paths(a.paths);
  if (bundles.empty()) throw InputError("fleet: no bundle found in the given paths");
  FleetSummary summary;
  write_output(a.output, [&](std::ostream& out) { summary = run_fleet(rules, bundles, a.options, out, std::cerr); });
  if (a.summary.empty()) write_fleet_summary(summary, std::cerr);
  else write_output(a.summary, [&](std::ostream& out) { write_fleet_summary(summary, out); });
  if (summary.readable == 0) {
    std::cerr << "appdiag: fleet: none of the " << summary.bundles << " bundles could be read\n";
    return kInputError;
  }
  return fail_on && summary.with_findings && summary.worst >= *fail_on ? kFindings : kOk;
}

struct DiffArgs {
  std::string before, after;
  std::vector<std::string> rule_dirs;
  int jobs = 0;
  std::string format;
  std::string output;
  std::string fail_on = "error";
};

// A JSON report as it is; anything else through the same pipeline as analyze.
DiffSide diff_input(const RuleSet& rules, const DiffArgs& a, const std::string& path) {
  if (path != "-" && is_json_report(path)) return read_json_report(path);
  CommonArgs c;
  c.sources = {path};
  c.jobs = a.jobs;
  Analysis analysis(rules, analysis_options(c, "diff"));
  return diff_side(analysis.diagnose(), path);
}

// Exit 1 when a finding at or above --fail-on is new in AFTER; else 0.
int run_diff(const DiffArgs& a) {
  auto fail_on = parse_fail_on(a.fail_on);
  std::string format = a.format;
  if (format.empty()) format = std::filesystem::path(a.output).extension() == ".json" ? "json" : "text";
  if (format != "text" && format != "json")
    throw InputError("--format " + format + ": diff writes text or json" + did_you_mean(format, {"text", "json"}));
  if (a.before == "-" && a.after == "-") throw InputError("diff: standard input can be only one of BEFORE and AFTER");
  RuleSet rules = load_pack(a.rule_dirs);
  DiffSide before = diff_input(rules, a, a.before);
  ReportDiff diff = diff_sides(std::move(before), diff_input(rules, a, a.after));
  write_output(a.output, [&](std::ostream& out) {
    if (format == "json") write_diff_json(diff, out);
    else write_diff_text(diff, out);
  });
  bool fails = fail_on && std::any_of(diff.added.begin(), diff.added.end(),
                                      [&](const DiffFinding& f) { return f.severity >= *fail_on; });
  return fails ? kFindings : kOk;
}

int run_rules_new(const std::string& id, const std::string& rules_dir, const std::string& samples_dir) {
  for (const auto& path : scaffold_rule(id, rules_dir, samples_dir)) std::cout << "wrote " << path << "\n";
  std::cout << "Next: write the rule from the real log text, replace the sample's logs with a real-looking\n"
               "bundle, fill expect.json, then run `appdiag rules check " << rules_dir << "` and ctest -R sample:" << id << "\n";
  return kOk;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

// A mistyped command ("analyse", "rules lsit") is named with a suggestion
// before CLI11 would call it an unexpected argument.
void check_command_names(const CLI::App& app, int argc, char** argv) {
  const CLI::App* at = &app;
  for (int i = 1; i < argc && at->get_require_subcommand_min() > 0; ++i) {
    std::string word = argv[i];
    if (word.starts_with("-")) return;
    const CLI::App* sub = nullptr;
    for (const CLI::App* s : at->get_subcommands([](const CLI::App*) { return true; }))
      if (s->get_name() == word) sub = s;
    if (!sub) {
      std::string where = at == &app ? "" : at->get_name() + " ";
      throw InputError(where + word + ": no such command" + did_you_mean(word, subcommand_names(*at)) +
                       " (see `appdiag help" + (where.empty() ? "" : " " + at->get_name()) + "`)");
    }
    at = sub;
  }
}

// The deepest command the arguments selected.
const CLI::App* selected_command(const CLI::App& app) {
  const CLI::App* at = &app;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (const CLI::App* sub : at->get_subcommands())
      if (sub->parsed()) at = sub, deeper = true;
  }
  return at;
}

// CLI11's message, prefixed with the command, plus a suggestion for an
// unknown option.
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  const CLI::App* cmd = selected_command(app);
  std::string message = (cmd == &app ? "" : cmd->get_name() + ": ") + e.what();
  std::vector<std::string> names;
  for (const CLI::Option* o : cmd->get_options())
    for (const std::string& n : o->get_lnames()) names.push_back("--" + n);
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    word = word.substr(0, word.find('='));
    if (!word.starts_with("--") || std::find(names.begin(), names.end(), word) != names.end()) continue;
    std::string suggestion = did_you_mean(word, names);
    if (!suggestion.empty()) return message + suggestion;
  }
  return message + " (see `appdiag help" + (cmd == &app ? "" : " " + cmd->get_name()) + "`)";
}

int run_help(const CLI::App& app, const std::vector<std::string>& topic) {
  const CLI::App* at = &app;
  std::string name = "appdiag";
  for (const std::string& word : topic) {
    const CLI::App* sub = nullptr;
    for (const CLI::App* s : at->get_subcommands([](const CLI::App*) { return true; }))
      if (s->get_name() == word) sub = s;
    if (!sub) throw InputError("help " + word + ": no such command" + did_you_mean(word, subcommand_names(*at)));
    at = sub;
    name += " " + word;
  }
  // Not at->help(): that shows the help of the command parsed (`help` itself).
  std::cout << at->get_formatter()->make_help(at, name, CLI::AppFormatMode::Normal);
  return kOk;
}

int run(int argc, char** argv) {
  CLI::App app{"appdiag: why a Python app on Azure App Service (Linux) did not build, start, or serve"};
  app.name("appdiag");
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("appdiag ") + kVersion + " (commit " + kGitCommit + ", Hyperscan " +
                                        (Prefilter::available() ? "on" : "off") + ")");

  AnalyzeArgs analyze;
  auto* analyze_cmd = app.add_subcommand("analyze", "diagnose a bundle, logs, listing and settings");
  add_common_options(*analyze_cmd, analyze.common);
  analyze_cmd->add_option("-f,--format", analyze.formats, "text, json, markdown, html, sarif, junit, github; NAME=FILE writes that format to FILE (repeatable)")->allow_extra_args(false);
  analyze_cmd->add_option("-o,--output", analyze.output, "write the report to FILE");
  analyze_cmd->add_option("--fail-on", analyze.fail_on, "exit 1 when a finding is at or above: error (default), warning, info, never");
  auto* verbose = analyze_cmd->add_flag("-v,--verbose", analyze.verbose, "text report: every section (the default is what fits on a screen)");
  analyze_cmd->add_flag("-q,--quiet", analyze.quiet, "text report: one line per root cause")->excludes(verbose);
  auto add_filter_options = [](CLI::App& cmd, AnalyzeArgs& a) {
    cmd.add_option("--baseline", a.baseline, "a previous JSON report: findings it already shows are not reported")->type_name("FILE");
    cmd.add_option("--only", a.only, "report only these rules")->type_name("ID,...");
    cmd.add_option("--skip", a.skip, "do not report these rules")->type_name("ID,...");
  };
  add_filter_options(*analyze_cmd, analyze);
  analyze_cmd->add_option("--since", analyze.since, "analyse only log lines at or after TIME: 2025-06-09[T08:10[:00]][Z|+HH:MM], or 2h, 3d... back from now")->type_name("TIME");
  analyze_cmd->add_option("--until", analyze.until, "analyse only log lines at or before TIME (a date alone: to its end)")->type_name("TIME");
  analyze_cmd->add_option("--instance", analyze.instances, "analyse only this instance's logs (machine name, e.g. lw1sdlwk0000AB; repeatable)")->type_name("NAME")->allow_extra_args(false);

  AnalyzeArgs scan;
  bool follow = false;
  auto* scan_cmd = app.add_subcommand("scan", "CI gate: read logs as they arrive (stdin by default), print findings as soon as they are decided");
  scan_cmd->add_option("sources", scan.common.sources, "log files or bundles; - or nothing: standard input");
  scan_cmd->add_option("--as", scan.common.kind_overrides, "read PATH as KIND; --as KIND=- for standard input (default app)")->type_name("KIND=PATH")->allow_extra_args(false);
  scan_cmd->add_option("--rules", scan.common.rule_dirs, "add the rules in DIR to the built-in pack")->type_name("DIR")->allow_extra_args(false);
  scan_cmd->add_option("-j,--jobs", scan.common.jobs, "sources scanned in parallel (default: cores)");
  scan_cmd->add_flag("--no-redact", scan.common.no_redact, "show secrets found in logs as they are");
  scan_cmd->add_option("-f,--format", scan.formats, "reports written at the end: NAME or NAME=FILE (repeatable)")->allow_extra_args(false);
  scan_cmd->add_option("-o,--output", scan.output, "write the --format report to FILE");
  scan_cmd->add_option("--fail-on", scan.fail_on, "exit 1 when a finding is at or above: error (default), warning, info, never");
  scan_cmd->add_flag("--follow", follow, "read to the end of input even after a failing finding");
  scan_cmd->add_flag("--allow-unreadable", scan.allow_unreadable, "pass the gate although an input could not be read at all (others were)");
  add_filter_options(*scan_cmd, scan);

  std::string rule_id;
  CommonArgs explain;
  auto* explain_cmd = app.add_subcommand("explain", "show why a rule fired or did not, condition by condition");
  explain_cmd->add_option("rule", rule_id, "rule id")->required();
  add_common_options(*explain_cmd, explain);

  CommonArgs startup;
  auto* startup_cmd = app.add_subcommand("startup", "predict what App Service will start, and compare with the logs");
  add_common_options(*startup_cmd, startup);

  auto* rules_cmd = app.add_subcommand("rules", "inspect and validate rule packs");
  rules_cmd->require_subcommand(1);
  std::string check_dir;
  std::vector<std::string> list_dirs;
  auto* check_cmd = rules_cmd->add_subcommand("check", "validate a rule pack (the built-in one without DIR)");
  check_cmd->add_option("dir", check_dir, "rules directory");
  auto* list_cmd = rules_cmd->add_subcommand("list", "the pack: id, severity, title");
  list_cmd->add_option("--rules", list_dirs, "add the rules in DIR");
  std::string show_id;
  auto* show_cmd = rules_cmd->add_subcommand("show", "a rule's summary, conditions and remediation");
  show_cmd->add_option("id", show_id, "rule id")->required();
  show_cmd->add_option("--rules", list_dirs, "add the rules in DIR");
  auto* patterns_cmd = rules_cmd->add_subcommand("patterns", "every line pattern, one per line (RE2 syntax)");
  patterns_cmd->add_option("--rules", list_dirs, "add the rules in DIR");
  std::string new_id, new_rules_dir = "rules", new_samples_dir = "samples";
  auto* new_cmd = rules_cmd->add_subcommand("new", "scaffold a rule file and a sample bundle for a new failure");
  new_cmd->add_option("id", new_id, "kebab-case rule id")->required();
  new_cmd->add_option("--rules-dir", new_rules_dir, "where rule files live (default: rules)");
  new_cmd->add_option("--samples-dir", new_samples_dir, "where samples live (default: samples)");

  ExportArgs export_args;
  auto* export_cmd = rules_cmd->add_subcommand("export", "the rule pack as Log Analytics (KQL) queries");
  export_cmd->add_option("--format", export_args.format, "kql (default)");
  export_cmd->add_option("--rules", export_args.rule_dirs, "add the rules in DIR")->type_name("DIR")->allow_extra_args(false);
  export_cmd->add_option("--only", export_args.only, "export only these rule ids")->type_name("ID,...")->delimiter(',');
  export_cmd->add_option("-o,--output", export_args.output, "folder for <id>.kql and all-rules.kql, or - for stdout (default)");

  FleetArgs fleet;
  auto* fleet_cmd = app.add_subcommand("fleet", "analyse many bundles; JSON Lines per bundle, summary by rule");
  fleet_cmd->add_option("paths", fleet.paths, "bundles (.zip or folder), or folders of bundles")->required();
  fleet_cmd->add_option("-j,--jobs", fleet.options.jobs, "bundles analysed in parallel (default: cores)");
  fleet_cmd->add_option("--rules", fleet.rule_dirs, "add the rules in DIR")->type_name("DIR")->allow_extra_args(false);
  fleet_cmd->add_option("-o,--output", fleet.output, "write the JSON Lines to FILE (default stdout)");
  fleet_cmd->add_option("--summary", fleet.summary, "write the summary table to FILE (default stderr)");
  fleet_cmd->add_option("--fail-on", fleet.fail_on, "exit 1 when a bundle has a finding at or above: error (default), warning, info, never");
  fleet_cmd->add_option("--progress", fleet.progress, "progress on stderr: auto (when a terminal), always, never");

  DiffArgs diff;
  auto* diff_cmd = app.add_subcommand("diff", "what changed between two states: findings new, resolved and unchanged");
  diff_cmd->add_option("before", diff.before, "the earlier state: bundle (.zip or folder), log file, or a JSON report of analyze")->required();
  diff_cmd->add_option("after", diff.after, "the later state, the same kinds")->required();
  diff_cmd->add_option("-f,--format", diff.format, "text (default) or json");
  diff_cmd->add_option("-o,--output", diff.output, "write the diff to FILE (.json: json)");
  diff_cmd->add_option("--fail-on", diff.fail_on, "exit 1 when a new finding is at or above: error (default), warning, info, never");
  diff_cmd->add_option("--rules", diff.rule_dirs, "add the rules in DIR to the built-in pack")->type_name("DIR")->allow_extra_args(false);
  diff_cmd->add_option("-j,--jobs", diff.jobs, "sources scanned in parallel (default: cores)");
  diff_cmd->footer("Findings are compared by rule id; only those that hold now (status current) count.\n"
                   "Exit codes: 0 nothing new at or above --fail-on, 1 a new finding at or above it, 2 usage or input error.");

  std::vector<std::string> help_topic;
  auto* help_cmd = app.add_subcommand("help", "help on appdiag or on one command: appdiag help [COMMAND [SUBCOMMAND]]");
  help_cmd->add_option("command", help_topic, "a command");

  check_command_names(app, argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    throw InputError(parse_error_message(app, e, argc, argv));
  }
  if (*help_cmd) return run_help(app, help_topic);
  if (*analyze_cmd) {
    analyze.since_given = analyze_cmd->count("--since") > 0;
    analyze.until_given = analyze_cmd->count("--until") > 0;
    return run_analyze(analyze);
  }
  if (*scan_cmd) return run_scan_command(scan, follow);
  if (*explain_cmd) return run_explain(rule_id, explain);
  if (*startup_cmd) return run_startup(startup);
  if (*check_cmd) return run_rules_check(check_dir);
  if (*list_cmd) return run_rules_list(list_dirs);
  if (*patterns_cmd) return run_rules_patterns(list_dirs);
  if (*show_cmd) return run_rules_show(show_id, list_dirs);
  if (*export_cmd) return run_rules_export(export_args);
  if (*fleet_cmd) return run_fleet_command(fleet);
  if (*diff_cmd) return run_diff(diff);
  if (*new_cmd) return run_rules_new(new_id, new_rules_dir, new_samples_dir);
  return kInputError;
}

}  // namespace
}  // namespace appdiag

int main(int argc, char** argv) {
  std::signal(SIGINT, appdiag::on_interrupt);
  std::signal(SIGTERM, appdiag::on_interrupt);
  try {
    return appdiag::run(argc, argv);
  } catch (const appdiag::InputError& e) {
    std::cerr << "appdiag: " << e.what() << "\n";
    return appdiag::kInputError;
  } catch (const std::bad_alloc&) {  // e.g. under ulimit -v: one line, not an abort
    std::cerr << "appdiag: out of memory (fewer --jobs, or a higher ulimit -v, may help)\n";
    return appdiag::kInputError;
  } catch (const std::exception& e) {
    std::cerr << "appdiag: internal error: " << e.what() << "\n";
    return appdiag::kInputError;
  }
}
