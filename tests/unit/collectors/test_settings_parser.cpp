// Every settings shape, with the line where each name appears.
#include <catch2/catch.hpp>

#include "analyzer/core/error.h"
#include "collectors/settings_parser.h"

using namespace appdiag;

TEST_CASE("az webapp config appsettings list") {
  std::string text = R"J([
  {
    "name": "SCM_DO_BUILD_DURING_DEPLOYMENT",
    "slotSetting": false,
    "value": "true"
  },
  {
    "name": "DATABASE_URL",
    "slotSetting": true,
    "value": null
  }
])J";
  Settings s = parse_settings(text, "appsettings.json");
  REQUIRE(s.items.size() == 2);
  CHECK(s.find("scm_do_build_during_deployment")->value == "true");
  CHECK(s.find("SCM_DO_BUILD_DURING_DEPLOYMENT")->line == 3);
  CHECK(s.find("DATABASE_URL")->value == "");
  CHECK(s.find("DATABASE_URL")->line == 8);
}

TEST_CASE("az webapp config show: top-level scalars, nested values skipped") {
  std::string text = "{\n  \"alwaysOn\": false,\n  \"appCommandLine\": \"gunicorn app:app\",\n"
                     "  \"ipSecurityRestrictions\": [{\"name\": \"x\"}],\n  \"linuxFxVersion\": \"PYTHON|3.11\"\n}\n";
  Settings s = parse_settings(text, "siteconfig.json");
  CHECK(s.find("appCommandLine")->value == "gunicorn app:app");
  CHECK(s.find("linuxFxVersion")->line == 5);
  CHECK(s.find("alwaysOn")->value == "false");
  CHECK_FALSE(s.find("ipSecurityRestrictions"));
}

TEST_CASE("KEY=VALUE lines and NUL-separated environ") {
  Settings env = parse_settings("PORT=8000\nWEBSITE_SITE_NAME=contoso\n\nPYTHONPATH=/a:/b=c\n", "env.txt");
  CHECK(env.find("PYTHONPATH")->value == "/a:/b=c");
  CHECK(env.find("PYTHONPATH")->line == 4);
  Settings proc = parse_settings(std::string("PORT=8000\0WEBSITES_PORT=80\0", 28), "environ");
  CHECK(proc.find("WEBSITES_PORT")->value == "80");
}

TEST_CASE("invalid JSON names file, line and column") {
  try {
    parse_settings("[\n  {\"name\": \"A\",\n   \"value\": oops}\n]\n", "appsettings.json");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("appsettings.json:3:", 0) == 0);
  }
  CHECK_THROWS_AS(parse_settings("this is not settings\n", "x.txt"), InputError);
  CHECK_THROWS_AS(parse_settings("[1, 2]", "x.json"), InputError);
}

TEST_CASE("settings JSON is recognised by content") {
  CHECK(looks_like_settings_json(R"J([{"name": "A", "value": "b"}])J"));
  CHECK(looks_like_settings_json(R"J({"linuxFxVersion": "PYTHON|3.11"})J"));
  CHECK_FALSE(looks_like_settings_json("2024-03-15 ERROR something {json}"));
}

TEST_CASE("az appsettings list -o table is read by its columns; -o tsv is refused with why") {
  std::string table =
      "Name                            Value                        SlotSetting\n"
      "------------------------------  ---------------------------  -------------\n"
      "SCM_DO_BUILD_DURING_DEPLOYMENT  true                         False\n"
      "DATABASE_URL                    postgres://db.example:5432   False\n";
  Settings s = parse_settings(table, "settings.txt");
  REQUIRE(s.items.size() == 2);
  CHECK(s.items[0].name == "SCM_DO_BUILD_DURING_DEPLOYMENT");
  CHECK(s.items[0].value == "true");
  CHECK(s.items[0].line == 3);
  CHECK(s.items[1].value == "postgres://db.example:5432");
  CHECK(s.items[1].line == 4);
  try {
    parse_settings("SCM_DO_BUILD_DURING_DEPLOYMENT\ttrue\tFalse\n", "settings.tsv");
    FAIL("tsv accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("settings.tsv:1: tab-separated values (`-o tsv`)") != std::string::npos);
  }
}
