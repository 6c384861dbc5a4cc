#pragma once
// The startup section as compact text, as `appdiag startup`, the text report
// and the Markdown report print it: the prediction, then what the logs show
// ran and how the two differ.
#include <ostream>

#include "analyzer/engine/startup_observed.h"
#include "analyzer/engine/startup_prediction.h"

namespace appdiag {

void write_startup_text(const StartupPrediction& predicted, const StartupObserved& observed, std::ostream& out);

}  // namespace appdiag
