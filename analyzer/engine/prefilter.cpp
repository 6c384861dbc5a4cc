#include "analyzer/engine/prefilter.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
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
// The serialized form: a magic string, then numbers and byte strings, all in
// this machine's byte order (a blob is read by the binary it was built into).
constexpr std::string_view kBlobMagic = "appdiag prefilter 1";

class BlobWriter {
 public:
  void number(uint64_t n) { out_.append(reinterpret_cast<const char*>(&n), sizeof n); }
  void bytes(std::string_view b) {
    number(b.size());
    out_.append(b);
  }
  void ints(const std::vector<int>& v) {
    number(v.size());
    for (int i : v) number(static_cast<uint64_t>(i));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what BlobWriter wrote; past the end or on a bad value it yields zeros
// and complete() is false.
class BlobReader {
 public:
  explicit BlobReader(std::string_view in) : in_(in) {}
  uint64_t number() {
    uint64_t n = 0;
    if (in_.size() < sizeof n) return fail();
    std::memcpy(&n, in_.data(), sizeof n);
    in_.remove_prefix(sizeof n);
    return n;
  }
  // A count of items that each take at least a number: never more than the rest holds.
  size_t count() {
    uint64_t n = number();
    return n <= in_.size() / sizeof(uint64_t) ? n : fail();
  }
  std::string_view bytes() {
    uint64_t n = number();
    if (n > in_.size()) return fail(), std::string_view();
    std::string_view b = in_.substr(0, n);
    in_.remove_prefix(n);
    return b;
  }
  std::vector<int> ints(size_t below) {
    std::vector<int> v(count());
    for (int& i : v) {
      uint64_t n = number();
      i = n < below ? static_cast<int>(n) : static_cast<int>(fail());
    }
    return v;
  }
  bool complete() const { return ok_ && in_.empty(); }

 private:
  uint64_t fail() {
    ok_ = false;
    in_ = {};
    return 0;
  }
  std::string_view in_;
  bool ok_ = true;
};
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
  return build_for(patterns, nullptr);  // Hyperscan tunes for this CPU
}

std::unique_ptr<Prefilter> Prefilter::build_portable(const std::vector<std::string>& patterns) {
  hs_platform_info_t baseline{};  // no CPU feature beyond what Hyperscan needs at all; generic tuning
  return build_for(patterns, &baseline);
}

std::unique_ptr<Prefilter> Prefilter::build_for(const std::vector<std::string>& patterns, const void* platform) {
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
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                           static_cast<const hs_platform_info_t*>(platform), &impl->db,
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
  prefilter->patterns_ = patterns;
  return prefilter;
}

std::string Prefilter::serialize() const {
  char* db = nullptr;
  size_t db_size = 0;
  if (hs_serialize_database(impl_->db, &db, &db_size) != HS_SUCCESS)
    throw InputError("cannot serialize the literal prefilter");
  BlobWriter out;
  out.bytes(kBlobMagic);
  out.number(patterns_.size());
  for (const std::string& p : patterns_) out.bytes(p);
  out.number(atom_lengths_.size());
  for (uint32_t length : atom_lengths_) out.number(length);
  out.number(patterns_of_atom_.size());
  for (const std::vector<int>& group : patterns_of_atom_) out.ints(group);
  out.ints(always_);
  out.number(fold_markers_);
  out.bytes({db, db_size});
  std::free(db);  // Hyperscan's default allocator is malloc
  return out.take();
}

std::unique_ptr<Prefilter> Prefilter::load(std::string_view blob, const std::vector<std::string>& patterns) {
  BlobReader in(blob);
  if (in.bytes() != kBlobMagic || in.number() != patterns.size()) return nullptr;
  for (const std::string& p : patterns)
    if (in.bytes() != p) return nullptr;
  std::vector<uint32_t> atom_lengths(in.count());
  for (uint32_t& length : atom_lengths) length = static_cast<uint32_t>(in.number());
  std::vector<std::vector<int>> patterns_of_atom(in.count());
  for (std::vector<int>& group : patterns_of_atom) group = in.ints(patterns.size());
  std::vector<int> always = in.ints(patterns.size());
  uint64_t fold_markers = in.number();
  std::string_view db_bytes = in.bytes();
  if (!in.complete() || fold_markers != patterns_of_atom.size() || atom_lengths.size() < fold_markers)
    return nullptr;
  auto impl = std::make_unique<Impl>();
  if (hs_deserialize_database(db_bytes.data(), db_bytes.size(), &impl->db) != HS_SUCCESS) return nullptr;
  if (hs_alloc_scratch(impl->db, &impl->scratch) != HS_SUCCESS) return nullptr;
  // A database built for CPU features this machine lacks fails here, not later.
  auto none = [](unsigned, unsigned long long, unsigned long long, unsigned, void*) { return 0; };
  if (hs_scan(impl->db, "x", 1, 0, impl->scratch, none, nullptr) != HS_SUCCESS) return nullptr;
  auto prefilter = std::unique_ptr<Prefilter>(new Prefilter(std::move(impl)));
  prefilter->atom_lengths_ = std::move(atom_lengths);
  prefilter->fold_markers_ = static_cast<uint32_t>(fold_markers);
  prefilter->patterns_of_atom_ = std::move(patterns_of_atom);
  prefilter->always_ = std::move(always);
  prefilter->patterns_ = patterns;
  prefilter->precompiled_ = true;
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
std::unique_ptr<Prefilter> Prefilter::build_portable(const std::vector<std::string>&) { return nullptr; }
std::string Prefilter::serialize() const { return {}; }
std::unique_ptr<Prefilter> Prefilter::load(std::string_view, const std::vector<std::string>&) { return nullptr; }
Prefilter::Worker::Worker(const Prefilter& prefilter) : prefilter_(prefilter) {}
Prefilter::Worker::~Worker() = default;
const std::vector<Prefilter::Hit>& Prefilter::Worker::find(std::string_view) { return hits_; }

#endif

std::unique_ptr<Prefilter> Prefilter::build(const std::vector<std::string>& patterns,
                                            const std::vector<std::string_view>& precompiled) {
  for (std::string_view blob : precompiled)
    if (auto prefilter = load(blob, patterns)) return prefilter;
  return build(patterns);
}

Prefilter::Prefilter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Prefilter::~Prefilter() = default;

}  // namespace appdiag
