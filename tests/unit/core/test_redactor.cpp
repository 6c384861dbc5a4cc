#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <utility>

#include "analyzer/core/redactor.h"

using appdiag::is_secret_setting_name;
using appdiag::redact;

TEST_CASE("redactor: connection string keys keep the key visible", "[redactor]") {
  CHECK(redact("Server=db;Database=app;User Id=u;Password=s3cr3t!;Encrypt=true") ==
        "Server=db;Database=app;User Id=u;Password=[REDACTED];Encrypt=true");
  CHECK(redact("Driver={ODBC};Uid=u;Pwd=hunter2;") == "Driver={ODBC};Uid=u;Pwd=[REDACTED];");
  CHECK(redact("DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc+def/ghi==;EndpointSuffix=core.windows.net") ==
        "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=[REDACTED];EndpointSuffix=core.windows.net");
  CHECK(redact("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=Zm9vYmFy=") ==
        "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=[REDACTED]");
  CHECK(redact("BlobEndpoint=https://st.blob.core.windows.net/;SharedAccessSignature=sv=2021&sig=abc") ==
        "BlobEndpoint=https://st.blob.core.windows.net/;SharedAccessSignature=[REDACTED]&sig=[REDACTED]");
}

TEST_CASE("redactor: credentials in URLs", "[redactor]") {
  CHECK(redact("DATABASE_URL postgres://app:pa55@db.example.com:5432/app") ==
        "DATABASE_URL postgres://app:[REDACTED]@db.example.com:5432/app");
  CHECK(redact("connecting to mysql://root:toor@127.0.0.1/db") == "connecting to mysql://root:[REDACTED]@127.0.0.1/db");
  CHECK(redact("cache at redis://:cachepw@cache:6380/0") == "cache at redis://:[REDACTED]@cache:6380/0");
  CHECK(redact("GET https://user:pw@example.com/x") == "GET https://user:[REDACTED]@example.com/x");
  // A port is not a password.
  CHECK(redact("Listening at: http://0.0.0.0:8000 (77)") == "Listening at: http://0.0.0.0:8000 (77)");
}

TEST_CASE("redactor: secret-looking assignments", "[redactor]") {
  CHECK(redact("SECRET_KEY=django-insecure-abc123") == "SECRET_KEY=[REDACTED]");
  CHECK(redact("SECRET_KEY = 'abc'") == "SECRET_KEY = [REDACTED]");
  CHECK(redact("-e DB_PASSWORD=x1 -e API_TOKEN=t0k -e STRIPE_SECRET=s -e PORT=8000") ==
        "-e DB_PASSWORD=[REDACTED] -e API_TOKEN=[REDACTED] -e STRIPE_SECRET=[REDACTED] -e PORT=8000");
  CHECK(redact("export OPENAI_API_KEY=sk-abc") == "export OPENAI_API_KEY=[REDACTED]");
  CHECK(redact("TOKEN_COUNT=5 monkey=banana") == "TOKEN_COUNT=5 monkey=banana");
  CHECK(redact("DB_PWD=x PWD=/home/site/wwwroot OLDPWD=/") == "DB_PWD=[REDACTED] PWD=/home/site/wwwroot OLDPWD=/");
  CHECK(redact("Pwd=abc;Server=db") == "Pwd=[REDACTED];Server=db");
}

TEST_CASE("redactor: JSON secret values", "[redactor]") {
  CHECK(redact(R"({"SECRET_KEY": "abc\"def", "DEBUG": "1"})") == R"({"SECRET_KEY": "[REDACTED]", "DEBUG": "1"})");
  CHECK(redact(R"("db_password":"x")") == R"("db_password":"[REDACTED]")");
}

TEST_CASE("redactor: SAS signatures", "[redactor]") {
  CHECK(redact("GET /c/b.txt?sv=2022-11-02&se=2026&sp=r&sig=AbC%2Bd%3D HTTP/1.1") ==
        "GET /c/b.txt?sv=2022-11-02&se=2026&sp=r&sig=[REDACTED] HTTP/1.1");
}

TEST_CASE("redactor: authorization headers and bearer tokens", "[redactor]") {
  CHECK(redact("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer [REDACTED]");
  CHECK(redact("Authorization: Basic dXNlcjpwYXNz") == "Authorization: Basic [REDACTED]");
  CHECK(redact("sending bearer xyz123 to api") == "sending bearer [REDACTED] to api");
}

TEST_CASE("redactor: JWTs", "[redactor]") {
  std::string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  CHECK(redact("token issued " + jwt + " ok") == "token issued [REDACTED] ok");
}

TEST_CASE("redactor: private key blocks, whole or one line at a time", "[redactor]") {
  std::string body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun";
  std::string block = "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n" + body + "\n-----END RSA PRIVATE KEY-----";
  CHECK(redact(block) == "-----BEGIN RSA PRIVATE KEY-----[REDACTED]-----END RSA PRIVATE KEY-----");
  CHECK(redact("-----BEGIN OPENSSH PRIVATE KEY-----") == "-----BEGIN OPENSSH PRIVATE KEY-----[REDACTED]");
  CHECK(redact("key: -----BEGIN PRIVATE KEY----- MIIEv") == "key: -----BEGIN PRIVATE KEY-----[REDACTED]");
  CHECK(redact(body) == "[REDACTED]");
  CHECK(redact("  " + body + "\r") == "  [REDACTED]\r");
  // A public certificate is not a secret.
  CHECK(redact("-----BEGIN CERTIFICATE-----") == "-----BEGIN CERTIFICATE-----");
}

TEST_CASE("redactor: Azure storage account keys", "[redactor]") {
  std::string key(86, 'A');
  key[3] = 'b';
  key[9] = '7';
  key[20] = '+';
  key += "==";
  CHECK(redact("storage key is " + key + " (primary)") == "storage key is [REDACTED] (primary)");
}

TEST_CASE("redactor: the shapes of issue 17 item 5", "[redactor]") {
  // Each row: a line as a log or a traceback prints it, and what may be shown of it.
  const std::pair<const char*, const char*> rows[] = {
      {"password: hunter2", "password: [REDACTED]"},
      {"  DB_PASSWORD: hunter2", "  DB_PASSWORD: [REDACTED]"},
      {"DB_PASSWORD: \"hunter 2\"", "DB_PASSWORD: [REDACTED]"},
      {"{'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': 'hunter2', 'HOST': 'db'}",
       "{'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': '[REDACTED]', 'HOST': 'db'}"},
      {"GITHUB_TOKEN: ghp_16C7e42F292c6912E7710c838347Ae178B4a", "GITHUB_TOKEN: [REDACTED]"},
      {"cloning with ghp_16C7e42F292c6912E7710c838347Ae178B4a now", "cloning with [REDACTED] now"},
      {"postgres://admin:p@ssW0rd@db.example.com:5432/app", "postgres://admin:[REDACTED]@db.example.com:5432/app"},
      {"REDIS_URL=redis://:secret@cache:6380/0", "REDIS_URL=redis://:[REDACTED]@cache:6380/0"},
      {"GET /f?u=https%3A%2F%2Fst.blob.core.windows.net%2Fc%3Fsv%3D2022%26sig%3DAbC%252Bd%253D%26se%3D2026 HTTP/1.1",
       "GET /f?u=https%3A%2F%2Fst.blob.core.windows.net%2Fc%3Fsv%3D2022%26sig%3D[REDACTED]%26se%3D2026 HTTP/1.1"},
      {"conn=\"Pwd=hunter2;Server=db\"", "conn=\"Pwd=[REDACTED];Server=db\""},
      {"python manage.py createuser --password hunter2 --name x", "python manage.py createuser --password [REDACTED] --name x"},
      {"--client-secret hunter2", "--client-secret [REDACTED]"},
      {"x-api-key: hunter2", "x-api-key: [REDACTED]"},
      {"Ocp-Apim-Subscription-Key: 0123456789abcdef", "Ocp-Apim-Subscription-Key: [REDACTED]"},
      {"AZURE_CLIENT_SECRET\thunter2\tFalse", "AZURE_CLIENT_SECRET\t[REDACTED]\tFalse"},
  };
  for (const auto& [line, shown] : rows) {
    INFO(line);
    CHECK(redact(line) == shown);
  }
}

TEST_CASE("redactor: near misses stay as they are", "[redactor]") {
  const char* lines[] = {
      "--token-count 5",
      "--no-password --verbose",
      "KeyError: 'SECRET_KEY'",
      "django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.",
      "PWD=/home/site/wwwroot",
      "GET /f?u=https%3A%2F%2Fexample.com%2F HTTP/1.1",
  };
  for (const char* line : lines) CHECK(redact(line) == line);
}

TEST_CASE("redactor: ordinary log lines are unchanged", "[redactor]") {
  const char* lines[] = {
      "2024-03-15T10:25:36.361Z INFO  - Starting container for site",
      "2024-03-15T10:25:36.361Z ERROR - Container app_0_1 didn't respond to HTTP pings on port: 8000, failing site start.",
      "[2024-03-15 10:25:40 +0000] [77] [INFO] Starting gunicorn 20.1.0",
      "[2024-03-15 10:25:40 +0000] [77] [INFO] Listening at: http://0.0.0.0:8000 (77)",
      "[2024-03-15 10:25:41 +0000] [80] [ERROR] Exception in worker process",
      "ModuleNotFoundError: No module named 'flask'",
      "Command: oryx build /tmp/zipdeploy/extracted -o /home/site/wwwroot --platform python --platform-version 3.9",
      "Using packages from virtual environment antenv located at /home/site/wwwroot/antenv.",
      "Updated PYTHONPATH to '/opt/startup/app_logs:/home/site/wwwroot/antenv/lib/python3.9/site-packages'",
      "Running pip install...",
      "Collecting Django==4.2.1",
      "Collecting tiktoken==0.7.0 (from -r requirements.txt (line 4))",
      "commit 0123456789abcdef0123456789abcdef01234567",
      "",
  };
  for (const char* line : lines) CHECK(redact(line) == line);
}

TEST_CASE("redactor: a secret-free line costs little", "[redactor]") {
  std::string line = "[2024-03-15 10:25:40 +0000] [77] [INFO] Booting worker with pid: 80 handling GET /index.html";
  auto start = std::chrono::steady_clock::now();
  size_t total = 0;
  for (int i = 0; i < 200000; ++i) total += redact(line).size();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  CHECK(total == line.size() * 200000);
  CHECK(ms < 2000);  // about 20 MB of lines; generous for a Debug build on a shared machine
}

TEST_CASE("redactor: secret setting names", "[redactor]") {
  CHECK(is_secret_setting_name("SECRET_KEY"));
  CHECK(is_secret_setting_name("DATABASE_PASSWORD"));
  CHECK(is_secret_setting_name("AzureWebJobsStorage_ConnectionString"));
  CHECK(is_secret_setting_name("github_token"));
  CHECK(is_secret_setting_name("DB_PWD"));
  CHECK_FALSE(is_secret_setting_name("SCM_DO_BUILD_DURING_DEPLOYMENT"));
  CHECK_FALSE(is_secret_setting_name("PYTHON_VERSION"));
  CHECK_FALSE(is_secret_setting_name("WEBSITES_PORT"));
  CHECK_FALSE(is_secret_setting_name("PWD"));
}

TEST_CASE("redact: replacements skipped by their keys still apply in order, after each other's rewrites") {
  // Several replacements on one line, each found by its own key.
  CHECK(redact("GET https://u:pw@h/x?sv=1&sig=abc Authorization: Bearer tok123 API_KEY=k1") ==
        "GET https://u:[REDACTED]@h/x?sv=1&sig=[REDACTED] Authorization: Bearer [REDACTED] API_KEY=[REDACTED]");
  // Upper case keys match the lower-case key list.
  CHECK(redact("DB_PASSWORD: hunter2") == "DB_PASSWORD: [REDACTED]");
  // Beyond ASCII, RE2's Unicode case folding is honoured: U+212A KELVIN SIGN folds to k.
  CHECK(redact("API_\u212AEY=s3cr3t") == "API_\u212AEY=[REDACTED]");
}
