#include "analyzer/engine/finding_filter.h"

#include <algorithm>

#include "analyzer/core/error.h"
#include "analyzer/core/suggest.h"

namespace appdiag {

bool FindingFilter::wants_rule(const std::string& id) const {
  return (only.empty() || only.count(id)) && !skip.count(id);
}

bool FindingFilter::wants(const Finding& f) const {
  return wants_rule(f.rule->id) && !(baseline && baseline->knows(f));
}

std::set<std::string> parse_rule_ids(const std::string& option, const std::string& list, const RuleSet& rules) {
  std::set<std::string> ids;
  for (size_t start = 0; start <= list.size();) {
    size_t comma = std::min(list.find(',', start), list.size());
    std::string id = list.substr(start, comma - start);
    start = comma + 1;
    if (id.empty()) continue;
    if (!rules.find(id))
      throw InputError(option + " " + id + ": no rule with this id" + did_you_mean(id, rules.ids()) +
                       " (see `appdiag rules list`)");
    ids.insert(id);
  }
  return ids;
}

namespace {
void erase_ids(std::vector<std::string>& ids, const std::set<std::string>& gone) {
  ids.erase(std::remove_if(ids.begin(), ids.end(), [&](const std::string& id) { return gone.count(id) > 0; }),
            ids.end());
}
}  // namespace

size_t apply_filter(const FindingFilter& filter, Diagnosis& d) {
  std::set<std::string> gone;
  for (const Finding& f : d.findings)
    if (!filter.wants(f)) gone.insert(f.rule->id);
  if (gone.empty()) return 0;
  d.findings.erase(std::remove_if(d.findings.begin(), d.findings.end(),
                                  [&](const Finding& f) { return gone.count(f.rule->id) > 0; }),
                   d.findings.end());
  for (Finding& f : d.findings) {
    bool was_symptom = !f.explained_by.empty();
    erase_ids(f.explained_by, gone);
    erase_ids(f.symptoms, gone);
    if (was_symptom && f.explained_by.empty()) f.root_cause = !f.after_stop;
  }
  // Root causes lead, as diagnose() orders them.
  std::stable_partition(d.findings.begin(), d.findings.end(), [](const Finding& f) { return f.root_cause; });
  return gone.size();
}

}  // namespace appdiag
