#include "collectors/log_tail_splitter.h"

#include <stdexcept>

#include <re2/re2.h>

namespace appdiag {

namespace {

// Headers and framing are short; a longer line is content whatever it starts with.
constexpr size_t kClassify = 4096;

const RE2& header() {
  static const RE2 re(R"(^(/\S+\.(?:log|txt))\s+\(https?://\S+\)\s*$)");
  return re;
}

// Whether the line can be chrome at all: every chrome line starts with one
// of these letters or holds one of these two phrases. Most lines of a capture
// are the files' own and are ruled out without RE2, which cost more than
// scanning the parts did.
bool may_be_chrome(std::string_view line) {
  char first = line.empty() ? '\0' : line.front();
  return first == 'S' || first == 'E' || first == 'C' ||
         line.find("Welcome, you are now connected") != std::string_view::npos ||
         line.find("No new trace in the past") != std::string_view::npos;
}

bool is_chrome(std::string_view line) {
  if (!may_be_chrome(line)) return false;
  static const RE2 re(
      R"(Welcome, you are now connected to log-streaming service|^Starting Log Tail -n \d+ of existing logs|)"
      R"(^Ending Log Tail of existing logs|^Starting Live Log Stream|No new trace in the past \d+ min\(s\)|^Connected!\s*$)");
  return RE2::PartialMatch(line, re);
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

bool is_log_tail_capture(std::string_view head) {
  static const RE2 framing(R"((?m)^Starting Log Tail -n \d+ of existing logs|^(/\S+\.(?:log|txt))\s+\(https?://\S+\)\s*$)");
  return RE2::PartialMatch(head, framing);
}

size_t LogTailSplitter::part_for(const std::string& log) {
  for (size_t i = 0; i < parts_.size(); ++i)  // a file may appear again later in the stream
    if (parts_[i].log == log) return i;
  if (parts_.size() >= kMaxParts)
    throw std::length_error("more than " + std::to_string(kMaxParts) + " files in one log-tail capture");
  parts_.push_back({log, "", "", {}, {}});
  has_content_.push_back(false);
  return parts_.size() - 1;
}

void LogTailSplitter::append(size_t part, std::string_view line, uint64_t offset) {
  TailPart& p = parts_[part];
  uint64_t size = pending_size_;
  if (keep_text_) p.text.append(line);
  if (p.head.size() < kHead) p.head.append(line.substr(0, kHead - p.head.size()));
  p.line_map.push_back(number_);
  if (!p.ranges.empty() && p.ranges.back().first + p.ranges.back().second == offset)
    p.ranges.back().second += size;
  else
    p.ranges.emplace_back(offset, size);
}

// `line` holds the line's first bytes (all of it when text is kept), its '\n' included when it had one.
void LogTailSplitter::end_line(std::string_view line, uint64_t offset) {
  ++number_;
  std::string_view bare = line;
  while (!bare.empty() && (bare.back() == '\n' || bare.back() == '\r')) bare.remove_suffix(1);
  bool whole = pending_size_ <= kClassify;
  std::string file;
  // The header's pattern starts with '/': other lines skip RE2.
  if (whole && bare.starts_with('/') && RE2::FullMatch(bare, header(), &file)) {
    seen_header_ = true;
    current_ = part_for(file);
    return;
  }
  if (whole && seen_header_ && bare.rfind("Starting Live Log Stream", 0) == 0) {
    current_ = part_for("live");
    return;
  }
  bool chrome = whole && is_chrome(bare);
  if (seen_header_ && chrome) return;  // framing between files belongs to none
  if (current_ == kNone) current_ = part_for("");
  if (!chrome && !is_blank(bare)) has_content_[current_] = true;
  append(current_, line, offset);
}

void LogTailSplitter::feed(std::string_view chunk) {
  while (!chunk.empty()) {
    size_t nl = chunk.find('\n');
    size_t take = nl == std::string_view::npos ? chunk.size() : nl + 1;
    std::string_view piece = chunk.substr(0, take);
    if (pending_size_ == 0 && nl != std::string_view::npos) {  // a whole line in the chunk: classified in place
      pending_size_ = take;
      end_line(keep_text_ ? piece : piece.substr(0, kClassify + 1), offset_);
      offset_ += take;
      pending_size_ = 0;
      chunk.remove_prefix(take);
      continue;
    }
    if (keep_text_)
      pending_.append(piece);
    else if (pending_.size() < kClassify)
      pending_.append(piece.substr(0, kClassify + 1 - pending_.size()));
    pending_size_ += take;
    chunk.remove_prefix(take);
    if (nl == std::string_view::npos) break;
    end_line(pending_, offset_);
    offset_ += pending_size_;
    pending_.clear();
    pending_size_ = 0;
  }
}

std::vector<TailPart> LogTailSplitter::finish() {
  if (pending_size_ > 0) {
    end_line(pending_, offset_);
    offset_ += pending_size_;
    pending_.clear();
    pending_size_ = 0;
  }
  // A part holding only framing and blank lines says nothing when files follow.
  std::vector<TailPart> out;
  for (size_t i = 0; i < parts_.size(); ++i)
    if (has_content_[i] || parts_.size() == 1) out.push_back(std::move(parts_[i]));
  parts_.clear();
  return out;
}

std::vector<TailPart> split_log_tail(std::string_view text) {
  LogTailSplitter splitter(true);
  splitter.feed(text);
  return splitter.finish();
}

}  // namespace appdiag
