#include "collectors/app_stack.h"

#include <array>

#include <re2/re2.h>

namespace appdiag {

namespace {

struct Stack {
  const char* name;
  const RE2* re;
};

// Stable parts of what each stack prints: the App Service image name in the
// platform log (mcr.microsoft.com/appsvc/<stack>), Oryx's detected platform,
// and the runtime's own start-up and crash lines.
const std::array<Stack, 5>& stacks() {
  static const RE2 python(
      R"((appsvc/python|Traceback \(most recent call last\)|\[INFO\] Starting gunicorn|Uvicorn running on|)"
      R"(^\s*python: \d|/antenv/|Running pip install|ModuleNotFoundError|site-packages/))");
  static const RE2 node(
      R"((appsvc/node|npm ERR!|^\s*nodejs: \d|node:internal/|Node\.js v\d+\.\d+|\bPM2\b.*\b(?:online|Starting)))");
  static const RE2 dotnet(
      R"((appsvc/dotnet|^\s*dotnet: \d|Unhandled exception\. System\.|Microsoft\.AspNetCore\.|Microsoft\.Hosting\.Lifetime))");
  static const RE2 php(R"((appsvc/php|^\s*php: \d|PHP (?:Fatal error|Warning|Parse error):|NOTICE: fpm is running))");
  static const RE2 java(
      R"((appsvc/(?:java|tomcat|jboss|wildfly)|^\s*java: \d|Exception in thread "main" java\.|org\.springframework\.boot|)"
      R"(org\.apache\.catalina\.startup))");
  static const std::array<Stack, 5> all = {{{"Python", &python},
                                            {"Node.js", &node},
                                            {".NET", &dotnet},
                                            {"PHP", &php},
                                            {"Java", &java}}};
  return all;
}

}  // namespace

std::optional<StackSign> app_stack(std::string_view head) {
  std::optional<StackSign> other;
  size_t start = 0;
  for (uint32_t line = 1; start < head.size(); ++line) {
    size_t nl = head.find('\n', start);
    std::string_view text = head.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    for (const Stack& s : stacks()) {
      // Most lines match no stack: the DFA alone says so; the capture is taken on a hit.
      std::string found;
      if (!RE2::PartialMatch(text, *s.re) || !RE2::PartialMatch(text, *s.re, &found)) continue;
      if (std::string_view(s.name) == "Python") return StackSign{s.name, line, found};
      if (!other) other = StackSign{s.name, line, found};
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return other;
}

void note_app_stack(Evidence& evidence, const std::string& name, std::string_view head) {
  if (evidence.app_stacks.count("Python")) return;  // a Python app: other stacks' signs change nothing
  auto sign = app_stack(head);
  if (!sign) return;
  evidence.app_stacks.emplace(sign->stack, name + ":" + std::to_string(sign->line) + ": " + sign->text);
}

std::optional<std::string> not_python_note(const Evidence& evidence) {
  if (evidence.app_stacks.empty() || evidence.app_stacks.count("Python")) return std::nullopt;
  const auto& [stack, where] = *evidence.app_stacks.begin();
  return "these logs are of a " + stack + " app, not a Python app (" + where +
         "): appdiag's rules are for Python apps on App Service Linux, so failures of other stacks are not recognised";
}

}  // namespace appdiag
