#include "analyzer/engine/prefilter.h"

#include <algorithm>
#include <map>
#include <numeric>

#ifdef APPDIAG_HAVE_HYPERSCAN
#include <hs/hs.h>
#include <re2/filtered_re2.h>

#include "analyzer/core/error.h"
#include "analyzer/core/pattern.h"
#endif

namespace appdiag {

#ifdef APPDIAG_HAVE_HYPERSCAN

namespace {
// Atoms shorter than this are dropped from the formulas (treated as present).
constexpr int kMinAtomLength = 3;

// RE2 folds case with Unicode simple folding, where two non-ASCII characters
// fold to ASCII letters: KELVIN SIGN to k and LATIN SMALL LETTER LONG S to s.
// Hyperscan's caseless literals are ASCII-only, so a line holding either is a
// candidate for every pattern.
const char* const kFoldsToAscii[] = {"\xE2\x84\xAA", "\xC5\xBF"};

bool ascii(const std::string& s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// How narrow an atom is likely to be in a log: longer is narrower, and a
// literal number (a status code, a signal) pins far more than a word from a
// URL path does ("\" 404 " against "/static/" in an access log).
size_t narrowness(const std::string& atom) {
  return atom.size() + 4 * std::count_if(atom.begin(), atom.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The atoms whose presence triggers the pattern: its narrowest required atom,
// or all its atoms when none is required alone. Empty: the pattern has no
// usable atoms and is a candidate everywhere.
std::vector<std::string> triggers(const std::string& pattern) {
  re2::FilteredRE2 filter(kMinAtomLength);
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kPatternMaxMem);
  int id = 0;
  if (filter.Add(pattern, options, &id) != RE2::NoError) return {};
  std::vector<std::string> atoms;
  filter.Compile(&atoms);
  std::vector<int> present(atoms.size()), passed;
  std::iota(present.begin(), present.end(), 0);
  filter.AllPotentials({}, &passed);
  if (atoms.empty() || !passed.empty() || !std::all_of(atoms.begin(), atoms.end(), ascii)) return {};
  std::string best;
  for (size_t a = 0; a < atoms.size(); ++a) {
    std::vector<int> without;
    for (int other : present)
      if (other != static_cast<int>(a)) without.push_back(other);
    filter.AllPotentials(without, &passed);
    if (passed.empty() && narrowness(atoms[a]) > narrowness(best)) best = atoms[a];  // required
  }
  if (!best.empty()) return {best};
  return atoms;
}
}  // namespace

struct Prefilter::Impl {
  hs_database_t* db = nullptr;
  hs_scratch_t* scratch = nullptr;  // prototype, cloned per worker
  ~Impl() {
    if (scratch) hs_free_scratch(scratch);
    if (db) hs_free_database(db);
  }
};

bool Prefilter::available() { return true; }

std::unique_ptr<Prefilter> Prefilter::build(const std::vector<std::string>& patterns) {
  std::map<std::string, uint32_t> ids;
  std::vector<std::string> atoms;
  std::vector<std::vector<int>> patterns_of_atom;
  std::vector<int> always;
  for (size_t p = 0; p < patterns.size(); ++p) {
    std::vector<std::string> t = triggers(patterns[p]);
    if (t.empty()) always.push_back(static_cast<int>(p));
    for (const std::string& atom : t) {
      auto [it, added] = ids.emplace(atom, static_cast<uint32_t>(atoms.size()));
      if (added) {
        atoms.push_back(atom);
        patterns_of_atom.emplace_back();
      }
      patterns_of_atom[it->second].push_back(static_cast<int>(p));
    }
  }
  if (atoms.empty()) return nullptr;  // nothing to filter on: every line is a candidate
  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  std::vector<unsigned> flags;
  for (const std::string& a : atoms) {
    exprs.push_back(a.data());
    lens.push_back(a.size());
    flags.push_back(HS_FLAG_CASELESS);
  }
  for (const char* fold : kFoldsToAscii) {
    exprs.push_back(fold);
    lens.push_back(std::char_traits<char>::length(fold));
    flags.push_back(0);
  }
  std::vector<unsigned> hs_ids(exprs.size());
  std::iota(hs_ids.begin(), hs_ids.end(), 0u);
  auto impl = std::make_unique<Impl>();
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), hs_ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &impl->db,
                           &error) != HS_SUCCESS) {
    std::string why = error && error->message ? error->message : "unknown error";
    hs_free_compile_error(error);
    throw InputError("rule pack: the literal prefilter does not compile (" + why + ")");
  }
  if (hs_alloc_scratch(impl->db, &impl->scratch) != HS_SUCCESS)
    throw InputError("rule pack: cannot allocate the prefilter's scratch space");
  auto prefilter = std::unique_ptr<Prefilter>(new Prefilter(std::move(impl)));
  prefilter->atom_lengths_.assign(lens.begin(), lens.end());
  prefilter->fold_markers_ = static_cast<uint32_t>(atoms.size());
  prefilter->patterns_of_atom_ = std::move(patterns_of_atom);
  prefilter->always_ = std::move(always);
  return prefilter;
}

Prefilter::Worker::Worker(const Prefilter& prefilter) : prefilter_(prefilter) {
  hs_scratch_t* scratch = nullptr;
  if (hs_clone_scratch(prefilter.impl_->scratch, &scratch) != HS_SUCCESS)
    throw InputError("cannot allocate the prefilter's scratch space");
  scratch_ = scratch;
}

Prefilter::Worker::~Worker() { hs_free_scratch(static_cast<hs_scratch_t*>(scratch_)); }

const std::vector<Prefilter::Hit>& Prefilter::Worker::find(std::string_view buffer) {
  hits_.clear();
  auto on_hit = [](unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
    static_cast<std::vector<Hit>*>(ctx)->push_back({id, static_cast<uint32_t>(to)});
    return 0;
  };
  if (hs_scan(prefilter_.impl_->db, buffer.data(), static_cast<unsigned>(buffer.size()), 0,
              static_cast<hs_scratch_t*>(scratch_), on_hit, &hits_) != HS_SUCCESS)
    throw InputError("the literal prefilter failed while scanning");
  auto by_end = [](const Hit& a, const Hit& b) { return a.end < b.end; };
  if (!std::is_sorted(hits_.begin(), hits_.end(), by_end)) std::stable_sort(hits_.begin(), hits_.end(), by_end);
  return hits_;
}

#else  // no Hyperscan: the scanner runs every line through RE2::Set

struct Prefilter::Impl {};
bool Prefilter::available() { return false; }
std::unique_ptr<Prefilter> Prefilter::build(const std::vector<std::string>&) { return nullptr; }
Prefilter::Worker::Worker(const Prefilter& prefilter) : prefilter_(prefilter) {}
Prefilter::Worker::~Worker() = default;
const std::vector<Prefilter::Hit>& Prefilter::Worker::find(std::string_view) { return hits_; }

#endif

Prefilter::Prefilter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Prefilter::~Prefilter() = default;

}  // namespace appdiag
