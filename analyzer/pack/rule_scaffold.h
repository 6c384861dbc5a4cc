#pragma once
// `appdiag rules new ID`: the files a new known failure needs — a rule file
// and a sample bundle with its expect.json — so adding one is routine.
#include <string>
#include <vector>

namespace appdiag {

// Writes <rules_dir>/<id>.json and <samples_dir>/<id>/ (LogFiles/, expect.json).
// Returns the paths written. Throws InputError if the id is not kebab-case or
// a file already exists (nothing is overwritten).
std::vector<std::string> scaffold_rule(const std::string& id, const std::string& rules_dir,
                                       const std::string& samples_dir);

}  // namespace appdiag
