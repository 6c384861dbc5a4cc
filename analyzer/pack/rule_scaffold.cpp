#include "analyzer/pack/rule_scaffold.h"

#include <filesystem>
#include <fstream>

#include <re2/re2.h>

#include "analyzer/core/error.h"

namespace appdiag {

namespace fs = std::filesystem;

namespace {

void write_new(const fs::path& path, const std::string& text, std::vector<std::string>& written) {
  if (fs::exists(path)) throw InputError(path.string() + ": already exists; nothing was written");
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  if (!(out << text)) throw InputError(path.string() + ": cannot write");
  written.push_back(path.string());
}

std::string rule_text(const std::string& id) {
  return R"J({
  "id": ")J" + id + R"J(",
  "title": "TODO: what failed, in one line a person understands",
  "summary": "TODO: what this failure is and why it happens on App Service.",
  "severity": "error",
  "confidence": "high",
  "category": "TODO",
  "when": {
    "any": [
      {
        "log": "TODO: the exact text App Service, Oryx or gunicorn prints (?P<detail>\\S+)",
        "why": "TODO: where this line comes from (source file or public log)"
      }
    ]
  },
  "remediation": [
    "TODO: the first concrete step (the exact setting, command or file change), e.g. about ${detail}."
  ],
  "references": [
    {
      "title": "Configure a Linux Python app for Azure App Service",
      "url": "https://learn.microsoft.com/azure/app-service/configure-language-python"
    }
  ],
  "explains": [
    "startup-timeout"
  ]
}
)J";
}

}  // namespace

std::vector<std::string> scaffold_rule(const std::string& id, const std::string& rules_dir,
                                       const std::string& samples_dir) {
  if (!RE2::FullMatch(id, "[a-z0-9]+(-[a-z0-9]+)*"))
    throw InputError("rules new " + id + ": an id is kebab-case (a-z, 0-9, single dashes)");
  std::vector<std::string> written;
  fs::path rule = fs::path(rules_dir) / (id + ".json");
  fs::path sample = fs::path(samples_dir) / id;
  if (fs::exists(rule) || fs::exists(sample))
    throw InputError((fs::exists(rule) ? rule : sample).string() + ": already exists; nothing was written");
  write_new(rule, rule_text(id), written);
  write_new(sample / "expect.json",
            "{\n  \"root_cause\": \"" + id + "\",\n  \"fires\": [\n    \"" + id +
                "\"\n  ],\n  \"not_fires\": []\n}\n",
            written);
  write_new(sample / "LogFiles" / "2024_01_15_lw0sdlwk000001_default_docker.log",
            "2024-01-15T10:00:00.000000000Z TODO: paste the real app log lines that show the failure\n",
            written);
  write_new(sample / "LogFiles" / "2024_01_15_lw0sdlwk000001_docker.log",
            "2024-01-15T10:00:00.000Z INFO  - Starting container for site\n", written);
  return written;
}

}  // namespace appdiag
