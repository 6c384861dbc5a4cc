// Every listing shape, with exact line numbers.
#include <catch2/catch.hpp>

#include "analyzer/core/error.h"
#include "collectors/listing_parser.h"

using namespace appdiag;

namespace {
const ListingEntry* entry(const Listing& l, const std::string& path) {
  for (const auto& e : l.entries)
    if (e.path == path) return &e;
  return nullptr;
}
}  // namespace

TEST_CASE("ls -laR with the default time style, sections, spaces and symlinks") {
  std::string text =
      ".:\n"
      "total 24\n"
      "drwxr-xr-x 4 root root 4096 Mar 15 10:21 .\n"
      "drwxr-xr-x 1 root root 4096 Mar 15 10:20 ..\n"
      "-rw-r--r-- 1 root root  120 Mar 15  2023 requirements.txt\n"
      "-rw-r--r-- 1 root root   33 Mar 15 10:21 my notes.txt\n"
      "lrwxrwxrwx 1 root root   10 Mar 15 10:21 current -> releases/1\n"
      "drwxr-xr-x 3 root root 4096 Mar 15 10:21 venv\n"
      "\n"
      "./venv:\n"
      "total 8\n"
      "-rw-r--r-- 1 root root   70 Mar 15 10:21 pyvenv.cfg\n";
  Listing l = parse_listing(text, "wwwroot-listing.txt");
  REQUIRE(entry(l, "requirements.txt"));
  CHECK(entry(l, "requirements.txt")->line == 5);
  CHECK(entry(l, "requirements.txt")->size == 120);
  CHECK(entry(l, "my notes.txt")->line == 6);
  CHECK(entry(l, "current")->link_target == "releases/1");
  CHECK(entry(l, "venv")->is_dir);
  CHECK(entry(l, "venv/pyvenv.cfg")->line == 12);
  CHECK_FALSE(entry(l, "."));
  CHECK_FALSE(entry(l, ".."));
}

TEST_CASE("ls -laR with full-iso, long-iso and iso time styles and absolute section headers") {
  std::string full =
      "/home/site/wwwroot:\n"
      "drwxr-xr-x 3 root root 4096 2026-11-28 10:25:02.161637677 +0000 antenv\n"
      "-rw-r--r-- 1 root root   12 2026-11-28 10:25:02.161637677 +0000 app.py\n"
      "\n"
      "/home/site/wwwroot/antenv:\n"
      "drwxr-xr-x 3 root root 4096 2026-11-28 10:25:02.161637677 +0000 lib\n";
  Listing l = parse_listing(full, "full.txt");
  CHECK(l.root == "/home/site/wwwroot");
  CHECK(entry(l, "app.py")->line == 3);
  CHECK(entry(l, "antenv/lib")->line == 6);

  Listing long_iso = parse_listing("-rw-r--r-- 1 root root 12 2024-03-15 10:21 app.py\n", "l.txt");
  CHECK(entry(long_iso, "app.py"));
  Listing iso = parse_listing("-rw-r--r-- 1 root root 12 03-15 10:21 app.py\n"
                              "-rw-r--r-- 1 root root 12 2021-03-15 old.py\n", "i.txt");
  CHECK(entry(iso, "app.py"));
  CHECK(entry(iso, "old.py")->line == 2);
}

TEST_CASE("find -ls output is made relative to the listed root") {
  std::string text =
      "  1052939      4 drwxr-xr-x   3 root     root         4096 Mar 15 10:21 /home/site/wwwroot\n"
      "  1052940      4 -rw-r--r--   1 root     root          120 Mar 15 10:21 /home/site/wwwroot/requirements.txt\n"
      "  1052941      4 drwxr-xr-x   2 root     root         4096 Mar 15 10:21 /home/site/wwwroot/.venv\n"
      "  1052942      4 -rw-r--r--   1 root     root           70 Mar 15 10:21 /home/site/wwwroot/.venv/pyvenv.cfg\n";
  Listing l = parse_listing(text, "find.txt");
  CHECK(l.root == "/home/site/wwwroot");
  CHECK(entry(l, "requirements.txt")->line == 2);
  CHECK(entry(l, ".venv")->is_dir);
  CHECK(entry(l, ".venv/pyvenv.cfg")->line == 4);
}

TEST_CASE("a plain list of paths implies its folders") {
  Listing l = parse_listing("app.py\nmysite/settings.py\nmysite/wsgi.py\nstatic/\n", "ls-files.txt");
  CHECK(entry(l, "app.py")->line == 1);
  REQUIRE(entry(l, "mysite"));
  CHECK(entry(l, "mysite")->is_dir);
  CHECK(entry(l, "mysite")->line == 2);
  CHECK(entry(l, "mysite/wsgi.py")->line == 3);
  CHECK(entry(l, "static")->is_dir);
  Listing dotted = parse_listing("./app.py\n./sub/x.py\n", "find.txt");
  CHECK(entry(dotted, "sub/x.py"));
}

TEST_CASE("text in no listing shape is refused naming the file and line") {
  try {
    parse_listing("app.py\n{\"name\": \"x\"}\n", "settings-not-listing.json");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("settings-not-listing.json:2: not a path", 0) == 0);
  }
  CHECK_THROWS_AS(parse_listing("drwxr-xr-x 3 root root 4096 Mar 15 10:21 a\nthis is  a log line\n", "x.txt"), InputError);
}

TEST_CASE("listings are recognised by content, logs are not") {
  CHECK(looks_like_listing("total 8\n-rw-r--r-- 1 root root 12 Mar 15 10:21 app.py\n"));
  CHECK_FALSE(looks_like_listing("2024-03-15T10:25:36.361Z INFO  - Starting container for site\n"));
  CHECK_FALSE(looks_like_listing("app.py\nrequirements.txt\n"));
}

TEST_CASE("a size too large for 64 bits is not a listing line, and is refused by line, not thrown past") {
  const std::string huge = "-rw-r--r-- 1 root root 99999999999999999999999 Mar 15 10:21 app.py\n";
  CHECK_FALSE(looks_like_listing(huge));
  try {
    parse_listing("-rw-r--r-- 1 root root 12 Mar 15 10:21 ok.py\n" + huge, "listing.txt");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("listing.txt:2: unrecognised line", 0) == 0);
  }
  auto max = parse_listing("-rw-r--r-- 1 root root 18446744073709551615 Mar 15 10:21 big.bin\n", "listing.txt");
  REQUIRE(entry(max, "big.bin"));
  CHECK(entry(max, "big.bin")->size == 18446744073709551615ULL);
}

TEST_CASE("a path deeper than the limit is left out and named, not stored per parent") {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "d/";
  Listing l = parse_listing("app.py\n" + deep + "x.py\nok/y.py\n", "paths.txt");
  CHECK(entry(l, "app.py"));
  CHECK(entry(l, "ok/y.py"));
  CHECK(entry(l, "ok"));
  CHECK_FALSE(entry(l, "d"));
  CHECK(l.entries.size() == 3);
  CHECK(l.cut == "1 paths deeper than 64 folders left out");
}

TEST_CASE("folders implied by many paths are stored once, in order of first mention") {
  Listing l = parse_listing("a/b/c/1.py\na/b/c/2.py\na/b/d/3.py\n", "paths.txt");
  std::vector<std::string> paths;
  for (const auto& e : l.entries) paths.push_back(e.path);
  CHECK(paths == std::vector<std::string>{"a", "a/b", "a/b/c", "a/b/c/1.py", "a/b/c/2.py", "a/b/d", "a/b/d/3.py"});
  CHECK(entry(l, "a/b/d")->line == 3);
  CHECK(entry(l, "a/b/d")->is_dir);
  CHECK(l.cut.empty());
}

TEST_CASE("a listing pasted from a shell session: prompt, command echo and elision lines are skipped and counted") {
  std::string text =
      "root@4f2a1b9c3d2e:/home/site/wwwroot# ls -la\n"                    // 1
      "total 24\n"                                                         // 2
      "-rw-r--r-- 1 root root  120 Mar 15 10:21 app.py\n"                 // 3
      "...\n"                                                              // 4
      "drwxr-xr-x 3 root root 4096 Mar 15 10:21 templates\n"              // 5
      "(antenv) root@4f2a1b9c3d2e:/home/site/wwwroot#\n";                 // 6
  CHECK(looks_like_listing(text));
  Listing l = parse_listing(text, "paste.txt");
  CHECK(l.pasted_lines == 3);
  REQUIRE(entry(l, "app.py"));
  CHECK(entry(l, "app.py")->line == 3);
  REQUIRE(entry(l, "templates"));
  CHECK(entry(l, "templates")->is_dir);
}

TEST_CASE("find . output is a listing by content, and a folder's own line before its files is a folder") {
  std::string text =
      "$ find .\n"
      ".\n"
      "./config\n"
      "./config/wsgi.py\n"
      "./manage.py\n";
  CHECK(looks_like_listing(text));
  Listing l = parse_listing(text, "find.txt");
  CHECK(l.pasted_lines == 1);
  REQUIRE(entry(l, "config"));
  CHECK(entry(l, "config")->is_dir);
  CHECK(entry(l, "config")->line == 3);
  REQUIRE(entry(l, "config/wsgi.py"));
  CHECK_FALSE(entry(l, "config/wsgi.py")->is_dir);
  CHECK_FALSE(entry(l, "manage.py")->is_dir);
  CHECK_FALSE(looks_like_listing("some words\nmore words\n"));
}

TEST_CASE("tree output: depth from the indentation gives each path, Unicode drawing with no-break spaces") {
  // tree 1.8 in a UTF-8 locale writes "│\u00a0\u00a0 " and "├──\u00a0"... as copied from a terminal.
  std::string text =
      "root@4f2a1b9c3d2e:/home/site/wwwroot# tree\n"             // 1
      ".\n"                                                        // 2
      "├── manage.py\n"                                            // 3
      "├── mysite\n"                                               // 4
      "│\u00a0\u00a0 ├── __init__.py\n"                           // 5
      "│\u00a0\u00a0 ├── settings\n"                              // 6
      "│\u00a0\u00a0 │\u00a0\u00a0 └── base.py\n"                 // 7
      "│\u00a0\u00a0 └── wsgi.py\n"                               // 8
      "├── current -> releases/1\n"                                // 9
      "└── requirements.txt\n"                                     // 10
      "\n"
      "2 directories, 6 files\n";                                  // 12
  CHECK(looks_like_listing(text));
  Listing l = parse_listing(text, "tree.txt");
  CHECK(l.pasted_lines == 1);
  REQUIRE(entry(l, "mysite/wsgi.py"));
  CHECK(entry(l, "mysite/wsgi.py")->line == 8);
  CHECK(entry(l, "mysite")->is_dir);
  CHECK(entry(l, "mysite/settings")->is_dir);
  CHECK(entry(l, "mysite/settings/base.py")->line == 7);
  CHECK(entry(l, "requirements.txt")->line == 10);
  CHECK_FALSE(entry(l, "requirements.txt")->is_dir);
  CHECK(entry(l, "current")->link_target == "releases/1");
  CHECK(l.entries.size() == 8);
}

TEST_CASE("tree --charset=ascii output with a path as its root line") {
  std::string text =
      "/home/site/wwwroot\n"
      "|-- app.py\n"
      "|-- src\n"
      "|   `-- mysite\n"
      "|       `-- wsgi.py\n"
      "`-- static/\n"
      "\n"
      "3 directories, 2 files\n";
  CHECK(looks_like_listing(text));
  Listing l = parse_listing(text, "tree-ascii.txt");
  CHECK(l.root == "/home/site/wwwroot");
  REQUIRE(entry(l, "src/mysite/wsgi.py"));
  CHECK(entry(l, "src/mysite/wsgi.py")->line == 5);
  CHECK(entry(l, "src/mysite")->is_dir);
  CHECK(entry(l, "static")->is_dir);  // tree -F marks folders with '/'
  CHECK_FALSE(entry(l, "app.py")->is_dir);
}

TEST_CASE("tree -L 1: the folders it did not enter are folders, as its summary counts them") {
  std::string text =
      ".\n"
      "├── runtime.txt\n"
      "├── manage.py\n"
      "├── mysite\n"
      "├── requirements.txt\n"
      "└── static\n"
      "\n"
      "2 directories, 3 files\n";
  Listing l = parse_listing(text, "tree-L1.txt");
  CHECK(entry(l, "mysite")->is_dir);
  CHECK(entry(l, "static")->is_dir);
  CHECK_FALSE(entry(l, "manage.py")->is_dir);
  CHECK_FALSE(entry(l, "runtime.txt")->is_dir);
  // The same names with no folder counted are files (a full tree of files only).
  Listing files = parse_listing(".\n├── LICENSE\n└── app.py\n\n0 directories, 2 files\n", "tree.txt");
  CHECK_FALSE(entry(files, "LICENSE")->is_dir);
}

TEST_CASE("tree output that breaks its own shape is refused naming the line") {
  try {
    parse_listing(".\n├── app.py\n│   │   └── too-deep.py\n", "tree.txt");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("tree.txt:3: indented deeper than the line above", 0) == 0);
  }
  std::string long_tree = ".\n";
  for (int i = 0; i < 30; ++i) long_tree += "├── f" + std::to_string(i) + ".py\n";
  try {
    parse_listing(long_tree + "Traceback (most recent call last):\n", "tree.txt");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("tree.txt:32: unrecognised line", 0) == 0);
  }
  CHECK_FALSE(looks_like_listing(".\n├── app.py\nTraceback (most recent call last):\n"));
  CHECK_FALSE(looks_like_listing("2024-03-15T10:25:36Z |-- not a tree\nplain log line\n"));
}
