// Any rule file text: loading either succeeds or reports problems; no crash,
// no unbounded regex memory.
#include <cstdint>
#include <string>

#include "analyzer/pack/rule_loader.h"
#include "analyzer/engine/scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    appdiag::RuleSet set = appdiag::load_rules({{"rules/fuzz.json", text}});
    appdiag::Scanner scanner(set);
  } catch (const appdiag::InputError&) {
  }
  return 0;
}
