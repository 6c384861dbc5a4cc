#pragma once
// Parses app settings and site config. Pure: text in, Settings out.
//
// Shapes understood:
//  - `az webapp config appsettings list`: [{"name", "slotSetting", "value"}, ...];
//  - `az webapp config show`: one object; its top-level scalar values become
//    settings named by key (appCommandLine, linuxFxVersion, ...); nested
//    objects and arrays are skipped;
//  - a plain object {"KEY": "value"};
//  - KEY=VALUE lines (`env` output; NUL-separated /proc/<pid>/environ too).
// Each setting records the 1-based line where its name appears.
#include <string>
#include <string_view>

#include "analyzer/core/evidence.h"

namespace appdiag {

// Throws InputError "name:line:col: ..." for invalid JSON, "name: ..." for
// text that is neither JSON nor KEY=VALUE lines.
Settings parse_settings(std::string_view text, const std::string& name);

// True when the text reads as one of the JSON shapes above: an appsettings
// list, a site config (linuxFxVersion/appCommandLine), or an object whose keys
// are environment-style names.
bool looks_like_settings_json(std::string_view text);

}  // namespace appdiag
