#include "analyzer/engine/current_state.h"

#include <algorithm>
#include <map>
#include <unordered_set>

#include <re2/re2.h>

#include "analyzer/core/engine_reads.h"

namespace appdiag {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::Ready: return "ready";
    case Outcome::Started: return "started";
    case Outcome::Failed: return "failed";
    case Outcome::Starting: return "starting";
    case Outcome::Unknown: break;
  }
  return "unknown";
}

std::string_view to_string(FindingStatus status) {
  switch (status) {
    case FindingStatus::Current: return "current";
    case FindingStatus::Intermittent: return "intermittent";
    case FindingStatus::Resolved: break;
  }
  return "resolved";
}

std::string deployment_of(const std::string& source_name) {
  static const RE2 id(R"((?:^|/)deployments/([^/]+)/[^/]+$)");
  std::string out;
  if (source_name.find("deployments/") == std::string::npos) return out;  // the regex's literal: most names lack it
  RE2::PartialMatch(source_name, id, &out);
  return out == "tools" ? "" : out;
}

namespace {

bool running(Outcome o) { return o == Outcome::Ready || o == Outcome::Started; }

bool success_status(const std::string& status) {
  std::string s = status;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return c | 0x20; });
  return s == "success";
}

// Each attempt's span and verdict: the platform's "ready" or a failure, the
// later one winning; a server that came up without a platform verdict has
// started; the latest attempt of an instance with no verdict is starting.
std::vector<AttemptState> attempt_states(const Timeline& timeline) {
  std::vector<AttemptState> attempts(timeline.attempts);
  std::vector<bool> up(timeline.attempts, false);
  for (size_t i = 0; i < attempts.size(); ++i) attempts[i].number = static_cast<uint32_t>(i + 1);
  std::vector<bool> seen(timeline.attempts, false);
  for (const TimelineEvent& e : timeline.events) {
    if (e.attempt == 0) continue;
    AttemptState& a = attempts[e.attempt - 1];
    if (!seen[e.attempt - 1]) a.instance = e.instance, seen[e.attempt - 1] = true;
    if (e.has_time) {
      if (!a.start_ms) a.start_ms = e.utc_ms;
      a.last_ms = std::max(a.last_ms.value_or(e.utc_ms), e.utc_ms);
    }
    if (e.id == reads::kSiteReady) a.outcome = Outcome::Ready;
    else if (e.phase == "fail" || e.phase == "stop") a.outcome = Outcome::Failed;
    else if (e.id == reads::kGunicornListening || e.id == reads::kWorkerBoot) up[e.attempt - 1] = true;
  }
  for (size_t i = 0; i < attempts.size(); ++i)
    if (attempts[i].outcome == Outcome::Unknown && up[i]) attempts[i].outcome = Outcome::Started;
  return attempts;
}

std::vector<InstanceState> instance_states(std::vector<AttemptState>& attempts) {
  std::map<std::string, InstanceState> by_name;
  for (const AttemptState& a : attempts) {
    InstanceState& s = by_name[a.instance];
    s.name = a.instance;
    s.latest_attempt = a.number;
    s.outcome = a.outcome;
    s.since_ms = a.start_ms;
  }
  std::vector<InstanceState> out;
  for (auto& [name, s] : by_name) {
    if (s.outcome == Outcome::Unknown) s.outcome = attempts[s.latest_attempt - 1].outcome = Outcome::Starting;
    out.push_back(s);
  }
  return out;
}

// Deployments from status.xml and from deploy logs named deployments/<id>/log.log;
// a log's own "Deployment successful." / "Deployment Failed." when there is no
// status.xml. The newest is the one deployments/active names, else the latest
// to end (status.xml) or to log a dated event.
std::vector<DeploymentState> deployment_states(const Evidence& evidence, const Timeline& timeline) {
  std::map<std::string, DeploymentState> by_id;
  std::map<std::string, std::string> order;  // id -> sortable end time
  for (const Deployment& d : evidence.deployments) {
    by_id[d.id] = {d.id, d.status, false, false};
    order[d.id] = d.end_time;
  }
  std::map<std::string, int64_t> last_event;
  for (const TimelineEvent& e : timeline.events) {
    std::string id = deployment_of(e.where.file);
    if (id.empty()) continue;
    DeploymentState& d = by_id[id];
    d.id = id;
    if (evidence.deployments.end() == std::find_if(evidence.deployments.begin(), evidence.deployments.end(),
                                                   [&](const Deployment& x) { return x.id == id; })) {
      if (e.id == reads::kDeploySucceeded) d.status = "success";
      if (e.id == reads::kDeployFailed || e.id == reads::kBuildError) d.status = "failed";
    }
    if (e.has_time) last_event[id] = std::max(last_event[id], e.utc_ms);
  }
  for (const Source& s : evidence.sources) {
    std::string id = deployment_of(s.name);
    if (!id.empty() && s.kind == SourceKind::Deploy) by_id[id].id = id;
  }
  std::vector<DeploymentState> out;
  for (auto& [id, d] : by_id) out.push_back(d);
  if (out.empty()) return out;
  auto newest = out.end();
  if (!evidence.active_deployment.empty())
    newest = std::find_if(out.begin(), out.end(), [&](const DeploymentState& d) { return d.id == evidence.active_deployment; });
  if (newest == out.end())
    newest = std::max_element(out.begin(), out.end(), [&](const DeploymentState& a, const DeploymentState& b) {
      return std::make_pair(order[a.id], last_event[a.id]) < std::make_pair(order[b.id], last_event[b.id]);
    });
  newest->newest = true;
  for (DeploymentState& d : out) d.active = d.id == evidence.active_deployment;
  return out;
}

std::string minute_text(int64_t ms, bool with_date) {
  std::string t = clock_text(ms, with_date);
  return t.substr(0, t.size() - 7);  // drop ":SS.mmm"
}

// "a", "a and b", "a, b and c"; past kNamed, "a, b, c and 1997 more": a
// download of 2,000 instance logs must not make a headline of 30 KB.
std::string names(const std::vector<const InstanceState*>& list) {
  constexpr size_t kNamed = 3;
  const size_t named = list.size() > kNamed + 1 ? kNamed : list.size();
  std::string out;
  for (size_t i = 0; i < named; ++i) {
    if (i) out += i + 1 == list.size() ? " and " : ", ";
    out += list[i]->name.empty() ? "the app" : list[i]->name;
  }
  if (named < list.size()) out += " and " + std::to_string(list.size() - named) + " more";
  return out;
}

// Start of the run of failed attempts that ends with the instance's latest.
std::optional<int64_t> failing_since(const InstanceState& s, const std::vector<AttemptState>& attempts) {
  std::optional<int64_t> since = s.since_ms;
  for (size_t n = s.latest_attempt; n-- > 0;) {
    const AttemptState& a = attempts[n];
    if (a.instance != s.name) continue;
    if (a.outcome != Outcome::Failed) break;
    if (a.start_ms) since = a.start_ms;
  }
  return since;
}

std::string compose_headline(const CurrentState& state) {
  std::vector<const InstanceState*> failing, up, other;
  for (const InstanceState& s : state.instances)
    (s.outcome == Outcome::Failed ? failing : running(s.outcome) ? up : other).push_back(&s);
  std::string out;
  auto instances = [](size_t n) { return std::to_string(n) + (n == 1 ? " instance" : " instances"); };
  if (!failing.empty()) {
    std::optional<int64_t> since;
    for (const InstanceState* s : failing)
      if (auto t = failing_since(*s, state.attempts)) since = std::min(since.value_or(*t), *t);
    out = "Failing on " + names(failing) + (since ? " since " + minute_text(*since, state.spans_days) : "");
    if (!up.empty()) out += "; running on " + names(up);
  } else if (!up.empty()) {
    std::optional<int64_t> since;
    for (const InstanceState* s : up)
      if (s->since_ms) since = std::min(since.value_or(*s->since_ms), *s->since_ms);
    out = "Running" + (since ? " since " + minute_text(*since, state.spans_days) : std::string()) + " on " +
          instances(up.size());
  } else if (!other.empty()) {
    out = "Latest start attempt on " + names(other) + " still starting or not logged to the end";
  }
  for (const DeploymentState& d : state.deployments)
    if (d.newest && !d.status.empty() && !success_status(d.status))
      out += std::string(out.empty() ? "" : "; ") + "latest deployment " + d.id.substr(0, 12) + ": " + d.status;
  return out;
}

// Per attempt (index number - 1): whether it is its instance's latest, and
// whether it failed and a later attempt on the same instance runs. One pass
// each, so a fleet of thousands of attempts costs linear time.
struct AttemptFacts {
  std::vector<bool> latest, fixed_later;
};

AttemptFacts attempt_facts(const CurrentState& state) {
  size_t count = state.attempts.size();
  AttemptFacts facts{std::vector<bool>(count), std::vector<bool>(count)};
  for (const InstanceState& s : state.instances)
    if (s.latest_attempt >= 1 && s.latest_attempt <= count && state.attempts[s.latest_attempt - 1].instance == s.name)
      facts.latest[s.latest_attempt - 1] = true;
  std::unordered_set<std::string_view> runs_later;
  for (size_t i = count; i-- > 0;) {
    const AttemptState& a = state.attempts[i];
    facts.fixed_later[i] = a.outcome == Outcome::Failed && runs_later.count(a.instance) > 0;
    if (running(a.outcome)) runs_later.insert(a.instance);
  }
  return facts;
}

}  // namespace

CurrentState current_state(const Evidence& evidence, const Timeline& timeline) {
  CurrentState state;
  state.attempts = attempt_states(timeline);
  state.instances = instance_states(state.attempts);
  state.deployments = deployment_states(evidence, timeline);
  state.spans_days = spans_days(timeline);
  state.headline = compose_headline(state);
  return state;
}

AttemptMap::AttemptMap(const Timeline& timeline) {
  std::map<std::string, std::vector<std::pair<uint64_t, uint32_t>>> by_source;
  for (const TimelineEvent& e : timeline.events)
    if (e.starts_attempt) by_source[e.where.file + '\n' + e.where.part].emplace_back(e.where.line, e.attempt);
  for (auto& [key, starts] : by_source) {
    std::stable_sort(starts.begin(), starts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& s : starts) starts_[key].push_back(s.second);
  }
}

uint32_t AttemptMap::global(const EvidenceLine& line) const {
  if (line.attempt == 0) return 0;
  auto it = starts_.find(line.file + '\n' + line.part);
  if (it == starts_.end() || it->second.empty()) return 0;
  return it->second[std::min<size_t>(line.attempt, it->second.size()) - 1];
}

FindingStatus finding_status(const StatusInput& in, const CurrentState& state) {
  if (in.other_lines) return FindingStatus::Current;
  std::vector<FindingStatus> parts;
  if (!in.deployments.empty()) {
    const DeploymentState* newest = nullptr;
    for (const DeploymentState& d : state.deployments)
      if (d.newest) newest = &d;
    bool superseded = newest && !in.deployments.count(newest->id) && success_status(newest->status);
    parts.push_back(superseded ? FindingStatus::Resolved : FindingStatus::Current);
  }
  if (!in.attempts.empty()) {
    AttemptFacts facts = attempt_facts(state);
    bool latest = false, all_fixed = true;
    for (uint32_t n : in.attempts) {
      latest = latest || facts.latest[n - 1];
      all_fixed = all_fixed && facts.fixed_later[n - 1];
    }
    parts.push_back(latest ? FindingStatus::Current : all_fixed ? FindingStatus::Resolved : FindingStatus::Intermittent);
  }
  if (parts.empty()) return FindingStatus::Current;
  return *std::min_element(parts.begin(), parts.end());  // Current < Intermittent < Resolved
}

}  // namespace appdiag
