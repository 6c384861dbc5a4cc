#include "analyzer/core/suggest.h"

#include <algorithm>

namespace appdiag {

namespace {

// Optimal string alignment distance: a swap of neighbours ("lsit") counts one.
size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest_name(std::string_view word, const std::vector<std::string>& candidates) {
  // Names are short; a word too long to be a typo of one is not compared.
  if (word.empty() || word.size() > 200) return "";
  size_t limit = std::max<size_t>(1, word.size() / 3);
  std::string best;
  size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    if (c.size() > word.size() + limit || c.size() + limit < word.size()) continue;
    size_t dist = distance(word, c);
    if (dist < best_distance) best = c, best_distance = dist;
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string name = closest_name(word, candidates);
  return name.empty() ? "" : " (did you mean " + name + "?)";
}

}  // namespace appdiag
