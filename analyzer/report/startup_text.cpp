#include "analyzer/report/startup_text.h"

#include "analyzer/core/text_escape.h"

namespace appdiag {

void write_startup_text(const StartupPrediction& p, const StartupObserved& o, std::ostream& out) {
  out << "STARTUP\n";
  for (const std::string& step : p.path) out << "  - " << escape_for_terminal(step) << "\n";
  if (!p.command.empty()) out << "  Command: " << escape_for_terminal(p.command) << "\n";
  for (const std::string& w : p.warnings) out << "  Warning: " << escape_for_terminal(w) << "\n";
  if (!o.mode.empty())
    out << "  Logs show: " << escape_for_terminal(o.mode)
        << (o.module.empty() ? "" : " (" + escape_for_terminal(o.module) + ")")
        << (o.command.empty() ? "" : " `" + escape_for_terminal(o.command) + "`") << "\n";
  for (const std::string& d : o.differences) out << "  Differs: " << escape_for_terminal(d) << "\n";
}

}  // namespace appdiag
