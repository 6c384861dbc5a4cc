#pragma once
// App settings as the container sees them (/proc/1/environ: NUL-separated
// KEY=VALUE), shown in their `az webapp config appsettings list` JSON form:
// the same text a saved bundle's appsettings.json holds, so a setting's line
// is the same online and offline. Pure.
#include <string>
#include <string_view>

#include "analyzer/core/evidence.h"

namespace appdiag {

struct EnvironSettings {
  Settings settings;  // each line is that of its "name" in `text`
  std::string text;   // appsettings_json(settings, false)
};

// Entries without '=' are skipped; values are kept byte for byte.
EnvironSettings parse_environ(std::string_view bytes);

// [{"name": ..., "slotSetting": false, "value": ...}, ...] in order, two-space
// indented, one key per line (setting i's name on line 3 + 5*i). With
// `redact`, secret-named settings get "[REDACTED]" and other values pass
// through redact(); lines do not move.
std::string appsettings_json(const Settings& settings, bool redact);

}  // namespace appdiag
