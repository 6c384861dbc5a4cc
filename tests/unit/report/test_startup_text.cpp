// The startup section as text (report layer): the prediction's path, then what
// the logs show ran and how the two differ.
#include <catch2/catch.hpp>

#include <sstream>

#include "analyzer/engine/startup_prediction.h"
#include "analyzer/report/startup_text.h"

using namespace appdiag;

TEST_CASE("startup text: nothing to predict from says why", "[startup]") {
  StartupPrediction p = predict_startup(nullptr, {}, {});
  std::ostringstream out;
  write_startup_text(p, StartupObserved{}, out);
  CHECK(out.str().find("cannot be predicted") != std::string::npos);
}

TEST_CASE("startup text: a custom command is printed as the command that will run", "[startup]") {
  StartupPrediction p = predict_startup(nullptr, {{"appCommandLine", "gunicorn --bind=0.0.0.0 app:app", 0}}, {});
  REQUIRE(p.known);
  std::ostringstream out;
  write_startup_text(p, StartupObserved{}, out);
  CHECK(out.str().find("gunicorn --bind=0.0.0.0 app:app") != std::string::npos);
  CHECK(out.str().find("cannot be predicted") == std::string::npos);
}
