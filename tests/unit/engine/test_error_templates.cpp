// Unrecognised errors: masking, Drain-style clustering, tracebacks as one
// occurrence, lines explained by fired rules left out. Real scanner, real
// built-in pack (rules/events/error-lines.json).
#include <catch2/catch.hpp>

#include <memory>

#include "analyzer/engine/error_templates.h"
#include "analyzer/pack/rule_loader.h"
#include "analyzer/engine/template_masker.h"
#include "builtin_pack.h"
#include "test_support.h"

using namespace appdiag;
using appdiag::test::builtin_pack;

namespace {

Source app_log(const std::string& name, const std::string& text) {
  return memory_source(SourceKind::App, name, text);
}

ErrorCollector::Result collect_errors(const Evidence& ev, std::vector<bool> fired = {}) {
  ErrorCollector errors(builtin_pack(), ev);
  Scanner(builtin_pack()).scan(ev, [&](const Match& m) { errors.add(m); });
  errors.finish();
  if (fired.empty()) fired.assign(builtin_pack().rules.size(), false);
  return errors.templates(fired);
}

size_t rule_index(const std::string& id) {
  for (size_t i = 0; i < builtin_pack().rules.size(); ++i)
    if (builtin_pack().rules[i].id == id) return i;
  FAIL("no rule " << id);
  return 0;
}

}  // namespace

TEST_CASE("masking replaces numbers, hex ids, paths, quoted values and drops the timestamp prefix", "[templates]") {
  CHECK(mask_template("2024-03-15T10:25:36.361Z KeyError: 'user_42'") == "KeyError: <*>");
  CHECK(mask_template("[2024-03-15 10:21:46 +0000] [73] [ERROR] Error handling request /api/items/17") ==
        "[ERROR] Error handling request <*>");
  CHECK(mask_template("OSError: [Errno 28] No space left on device: '/home/site/wwwroot/x.db'") ==
        "OSError: [Errno <*>] No space left on device: <*>");
  CHECK(mask_template("ValueError: bad id 9f8e7d6c5b4a") == "ValueError: bad id <*>");
  CHECK(mask_template("[2024-03-15 10:21:46 +0000] [73] [ERROR] Can't connect to ('0.0.0.0', 8000)") ==
        "[ERROR] Can't connect to (<*>, <*>)");
  CHECK(mask_template("") == "");
  CHECK(mask_template("'unterminated") == "'unterminated");
  CHECK(mask_template(std::string(5000, 'x')).size() <= kMaxTemplate + 3);
}

TEST_CASE("1,000 lines of the same error with different ids form one template", "[templates]") {
  std::string text;
  for (int i = 0; i < 1000; ++i)
    text += "2024-03-15T10:25:" + std::to_string(10 + i % 50) + ".000Z [2024-03-15 10:25:00 +0000] [" +
            std::to_string(100 + i) + "] [ERROR] Payment 0x" + std::to_string(7000 + i) +
            "ab failed for order " + std::to_string(i) + "\n";
  Evidence ev;
  ev.sources.push_back(app_log("app.log", text));
  auto r = collect_errors(ev);
  REQUIRE(r.templates.size() == 1);
  const ErrorTemplate& t = r.templates[0];
  CHECK(t.count == 1000);
  CHECK(t.pattern == "[ERROR] Payment <*> failed for order <*>");
  CHECK(t.first.line == 1);
  CHECK(t.last.line == 1000);
  CHECK(t.example.text.find("order 0") != std::string::npos);
  CHECK(r.left_out == 0);
}

TEST_CASE("different errors stay apart", "[templates]") {
  Evidence ev;
  ev.sources.push_back(app_log("app.log",
      "KeyError: 'a'\nValueError: invalid literal for int() with base 10: 'x'\nKeyError: 'b'\n"
      "[ERROR] Payment failed for order 1\n[ERROR] Cache miss storm on shard 3\n"));
  auto r = collect_errors(ev);
  REQUIRE(r.templates.size() == 4);
  CHECK(r.templates[0].pattern == "KeyError: <*>");
  CHECK(r.templates[0].count == 2);
  CHECK(r.templates[0].last.line == 3);
}

TEST_CASE("a traceback is one occurrence summarised by its exception line", "[templates]") {
  Evidence ev;
  ev.sources.push_back(app_log("app.log",
      "[2024-03-15 10:21:46 +0000] [74] [ERROR] Exception in worker process\n"
      "Traceback (most recent call last):\n"
      "  File \"/opt/python/3.11/lib/python3.11/site-packages/gunicorn/arbiter.py\", line 609, in spawn_worker\n"
      "    worker.init_process()\n"
      "  File \"/tmp/8d/app.py\", line 3, in <module>\n"
      "    raise RuntimeError(\"boom\")\n"
      "RuntimeError: missing setting 'SECRET_KEY'\n"
      "[2024-03-15 10:21:46 +0000] [74] [INFO] Worker exiting (pid: 74)\n"));
  auto r = collect_errors(ev);
  REQUIRE(r.templates.size() == 1);
  CHECK(r.templates[0].count == 1);
  CHECK(r.templates[0].pattern == "RuntimeError: missing setting <*>");
  CHECK(r.templates[0].example.line == 7);
}

TEST_CASE("tracebacks end at SystemExit and at dotted exception classes; such a line alone is no error", "[templates]") {
  Evidence ev;
  ev.sources.push_back(app_log("app.log",
      "Traceback (most recent call last):\n  File \"base.py\", line 203, in handle_abort\n    sys.exit(1)\nSystemExit: 1\n"
      "Worker exiting\nBooting worker\nGET /\nGET /about\nGET /static/site.css\n"
      "Traceback (most recent call last):\n  File \"storage.py\", line 39, in path\n"
      "django.core.exceptions.ImproperlyConfigured: You're using the staticfiles app without STATIC_ROOT.\n"
      "myapp.settings.Loader: using production settings\n"));
  auto r = collect_errors(ev);
  REQUIRE(r.templates.size() == 2);
  CHECK(r.templates[0].count == 1);
  CHECK(r.templates[1].count == 1);
  bool exit = false, configured = false;
  for (const auto& t : r.templates) {
    exit |= t.pattern == "SystemExit: <*>" && t.example.line == 4;
    configured |= t.pattern.rfind("django.core.exceptions.ImproperlyConfigured:", 0) == 0 && t.first.line == 12;
  }
  CHECK(exit);
  CHECK(configured);
}

TEST_CASE("a chained traceback is one occurrence; a traceback without an exception line still counts", "[templates]") {
  Evidence ev;
  ev.sources.push_back(app_log("app.log",
      "Traceback (most recent call last):\n  File \"x.py\", line 1\nsqlite3.OperationalError: disk I/O error\n\n"
      "The above exception was the direct cause of the following exception:\n\n"
      "Traceback (most recent call last):\n  File \"y.py\", line 2\ndjango.db.utils.OperationalError: disk I/O error\n"));
  ev.sources.push_back(app_log("cut.log", "Traceback (most recent call last):\n  File \"z.py\", line 9\n"));
  auto r = collect_errors(ev);
  REQUIRE(r.templates.size() == 2);
  bool chained = false, cut = false;
  for (const auto& t : r.templates) {
    INFO(t.pattern << " at " << t.example.file << ":" << t.example.line);
    CHECK(t.count == 1);
    chained |= t.pattern == "django.db.utils.OperationalError: disk <*> error" && t.example.line == 9;
    cut |= t.pattern == "Traceback (most recent call last):" && t.example.file == "cut.log";
  }
  CHECK(chained);
  CHECK(cut);
}

TEST_CASE("errors a fired rule explains are not unrecognised", "[templates]") {
  Evidence ev;
  ev.sources.push_back(app_log("app.log",
      "Traceback (most recent call last):\n  File \"/tmp/8d/app.py\", line 1, in <module>\n"
      "ModuleNotFoundError: No module named 'dotenv'\nZeroDivisionError: division by zero\n"));
  CHECK(collect_errors(ev).templates.size() == 2);
  std::vector<bool> fired(builtin_pack().rules.size(), false);
  fired[rule_index("module-not-found")] = true;
  auto r = collect_errors(ev, fired);
  REQUIRE(r.templates.size() == 1);
  CHECK(r.templates[0].pattern == "ZeroDivisionError: division by zero");
}

TEST_CASE("an error line right next to a fired rule's line belongs to its report", "[templates]") {
  Evidence ev;
  ev.sources.push_back(app_log("app.log",
      "[2024-03-15 10:21:48 +0000] [73] [ERROR] Shutting down: Master\n"
      "[2024-03-15 10:21:48 +0000] [73] [ERROR] Reason: Worker failed to boot.\n"
      "\n"
      "[2024-03-15 10:21:50 +0000] [73] [ERROR] Unrelated failure 7\n"));
  std::vector<bool> fired(builtin_pack().rules.size(), false);
  fired[rule_index("worker-boot-failed")] = true;
  auto r = collect_errors(ev, fired);
  REQUIRE(r.templates.size() == 1);
  CHECK(r.templates[0].pattern == "[ERROR] Unrelated failure <*>");
}

TEST_CASE("a traceback right after a fired rule's line is that error's traceback", "[templates]") {
  Evidence ev;
  ev.sources.push_back(app_log("app.log",
      "[2024-03-15 10:26:41 +0000] [73] [CRITICAL] WORKER TIMEOUT (pid:75)\n"
      "[2024-03-15 10:26:41 +0000] [75] [ERROR] Error handling request /reports/annual?year=2023\n"
      "Traceback (most recent call last):\n  File \"base.py\", line 203, in handle_abort\n    sys.exit(1)\nSystemExit: 1\n"));
  CHECK(collect_errors(ev).templates.size() == 2);  // WORKER TIMEOUT, and the traceback with its header
  std::vector<bool> fired(builtin_pack().rules.size(), false);
  fired[rule_index("worker-timeout")] = true;
  CHECK(collect_errors(ev, fired).templates.empty());
}

TEST_CASE("non-zero exit codes and platform ERROR lines are error lines; exit code 0 is not", "[templates]") {
  Evidence ev;
  ev.sources.push_back(app_log("app.log",
      "[2024-03-15 10:21:47 +0000] [73] [ERROR] Worker (pid:74) exited with code 3\n"
      "'collectstatic' exited with exit code 0.\nall good\n"));
  auto r = collect_errors(ev);
  REQUIRE(r.templates.size() == 1);
  CHECK(r.templates[0].pattern == "[ERROR] Worker (<*>) exited with code <*>");
}

TEST_CASE("the number of templates is capped and the rest counted", "[templates]") {
  std::string text;
  const char* words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
  for (const char* a : words)
    for (const char* b : words) text += std::string(a) + b + "Error: broke\n";
  Evidence ev;
  ev.sources.push_back(app_log("app.log", text));
  ErrorCollector errors(builtin_pack(), ev);
  Scanner(builtin_pack()).scan(ev, [&](const Match& m) { errors.add(m); });
  errors.finish();
  auto r = errors.templates(std::vector<bool>(builtin_pack().rules.size(), false), 10);
  CHECK(r.templates.size() == 10);
  CHECK(r.left_out == 54);
}

TEST_CASE("an Oryx LogError block is one occurrence, explained by build-failed on its last line", "[templates]") {
  // Facts sheet §13: "<date time>"|ERROR|<pip output...> | Exit code: 1 | Please review your requirements.txt | ...
  auto block = [](int filler) {
    std::string text = "\"2024-03-15 08:02:25\"|ERROR|[08:02:23+0000] Collecting psycopg2==2.9.3 (from -r requirements.txt (line 3))\n";
    for (int i = 0; i < filler; ++i) text += "[08:02:23+0000]   Downloading part " + std::to_string(i) + "\n";
    text += "[08:02:24+0000]       Error: pg_config executable not found.\n"
            "[08:02:24+0000]       [end of output]\n"
            "[08:02:25+0000] hint: See above for details. | Exit code: 1 | Please review your requirements.txt | "
            "More information: https://aka.ms/troubleshoot-python\n";
    return text;
  };
  std::vector<bool> fired(builtin_pack().rules.size(), false);
  fired[rule_index("build-failed")] = true;
  auto patterns = [&](const std::string& text) {
    Evidence ev;
    ev.sources.push_back(memory_source(SourceKind::Deploy, "log.log", text));
    std::vector<std::string> out;
    for (const auto& t : collect_errors(ev, fired).templates) out.push_back(t.pattern);
    std::sort(out.begin(), out.end());
    return out;
  };
  // The cause inside the block is no rule's: it stays visible; the block's first line does not.
  CHECK(patterns(block(3)) == std::vector<std::string>{"Error: pg_config executable not found."});
  // A block longer than the traceback span is not joined; its first line is
  // build-failed's own decisive line (Oryx's "|ERROR|"), so only the cause stays.
  auto long_block = patterns(block(int(kTracebackSpan) + 5));
  CHECK(long_block == std::vector<std::string>{"Error: pg_config executable not found."});
}
