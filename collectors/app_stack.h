#pragma once
// Which language stack a log was written by, from lines only one stack's
// runtime, build or platform image prints: appdiag's rules are for Python
// apps, and a Node, .NET, PHP or Java app's logs would otherwise just give
// "no known failure found" without saying why.
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/core/evidence.h"

namespace appdiag {

struct StackSign {
  std::string stack;  // "Python", "Node.js", ".NET", "PHP", "Java"
  uint32_t line = 0;  // 1-based, in the text judged
  std::string text;   // what showed it, e.g. "appsvc/node"
};

// The first line of `head` that names a stack; nullopt when none does.
// Python wins over any other stack seen in the same head.
std::optional<StackSign> app_stack(std::string_view head);

// Records the stack a source's head shows (first sign per stack is kept).
void note_app_stack(Evidence& evidence, const std::string& name, std::string_view head);

// The one-line note when the evidence clearly shows another stack and no
// Python at all; nullopt otherwise.
std::optional<std::string> not_python_note(const Evidence& evidence);

}  // namespace appdiag
