#!/usr/bin/env bash
# Every format (and scan's streamed lines, and explain) shows only redacted text: for each kind of
# secret, a log line the module-not-found rule matches carries it; all formats are written from
# one analysis and the secret appears in none. With --no-redact the same
# secret does reach the JSON, so the check can fail. Then the same for a line no
# rule matches (an unrecognised error) and for a one-line appsettings.json.
# (--save-bundle's appsettings.json: test_ssh_parts.cpp, the same table.)
source "$(dirname "$0")/common.sh"
formats=(text json markdown html sarif junit github)

secrets=(
  "Server=db;Database=app;User Id=admin;Password=Hunter2SecretPw;"
  "postgres://admin:Pg5ecretPassw0rd@db.example.com:5432/app"
  "DJANGO_SECRET_KEY=dj4ngoS3cretKeyValue"
  "\"API_TOKEN\": \"tok3nValueAbcdef123\""
  "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=SaSsIgNaTuRe0123456789abcdEFGH%3D"
  "Authorization: Bearer b3arerTok3nValue0123456789"
  "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
  "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c3RvcmFnZUFjY291bnRLZXlWYWx1ZTAxMjM0NTY3ODlhYmNkZWY=;EndpointSuffix=core.windows.net"
  "password: yAmlPassw0rdValue"
  "DB_PASSWORD: dbYamlPassw0rdValue"
  "{'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': 'dj4ngoDbPassw0rd', 'HOST': 'db'}"
  "GITHUB_TOKEN: ghp_16C7e42F292c6912E7710c838347Ae178B4a"
  "postgres://admin:p@ssW0rdAtSignValue@db.example.com/app"
  "redis://:r3disS3cretValue@cache:6380/0"
  "https://proxy/?u=https%3A%2F%2Fst.blob.core.windows.net%2Fc%3Fsv%3D2022%26sig%3DpErCeNtSaSsIg0123%26se%3D2026"
  "conn=\"Pwd=c0nnPwdValue;Server=db\""
  "--password cl1Passw0rdValue --port 8000"
  "x-api-key: xAp1KeyValue0123"
  "Ocp-Apim-Subscription-Key: 0cpApimKeyValue0123"
  $'AZURE_CLIENT_SECRET\tazCl1entS3cretValue\tFalse'
)
# The part of each secret that must never be shown.
values=(Hunter2SecretPw Pg5ecretPassw0rd dj4ngoS3cretKeyValue tok3nValueAbcdef123 SaSsIgNaTuRe0123456789abcdEFGH
  b3arerTok3nValue0123456789 SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c c3RvcmFnZUFjY291bnRLZXlWYWx1ZTAxMjM0NTY3ODlhYmNkZWY
  yAmlPassw0rdValue dbYamlPassw0rdValue dj4ngoDbPassw0rd 16C7e42F292c6912E7710c838347Ae178B4a ssW0rdAtSignValue
  r3disS3cretValue pErCeNtSaSsIg0123 c0nnPwdValue cl1Passw0rdValue xAp1KeyValue0123 0cpApimKeyValue0123 azCl1entS3cretValue)

for i in "${!secrets[@]}"; do
  bundle=$work/b$i
  rm -rf "$bundle"; cp -r "$failing" "$bundle"
  log=$(ls "$bundle"/LogFiles/*_default_docker.log | head -1)
  echo "2024-03-15T10:24:25.000000000Z ModuleNotFoundError: No module named 'dotenv' while connecting with ${secrets[$i]}" >>"$log"
  args=()
  for f in "${formats[@]}"; do args+=(--format "$f=$work/out$i.$f"); done
  # --verbose: the full text report, every section (the default is a part of it).
  "$APPDIAG" analyze "$bundle" --fail-on never --verbose "${args[@]}"
  for f in "${formats[@]}"; do
    check "secret $i absent from $f" bash -c "test -s '$work/out$i.$f' && ! grep -qF '${values[$i]}' '$work/out$i.$f'"
  done
  check "secret $i: the line itself is in the report" grep -qF "while connecting with" "$work/out$i.json"
  # The CI gate prints evidence lines as they arrive: redacted too.
  tail -1 "$log" | "$APPDIAG" scan --follow --fail-on never >"$work/scan$i.out"
  check "secret $i absent from scan's streamed output" bash -c "grep -qF 'while connecting with' '$work/scan$i.out' && ! grep -qF '${values[$i]}' '$work/scan$i.out'"
  "$APPDIAG" explain module-not-found "$bundle" >"$work/explain$i.out"
  check "secret $i absent from explain" bash -c "grep -qF 'while connecting with' '$work/explain$i.out' && ! grep -qF '${values[$i]}' '$work/explain$i.out'"
  "$APPDIAG" analyze "$bundle" --fail-on never --no-redact --format json -o "$work/raw$i.json"
  check "secret $i reaches the report without redaction" grep -qF "${values[$i]}" "$work/raw$i.json"
done

# A secret on a line no rule matches: it is still shown, as an unrecognised
# error (first, last and example of its template), and redacted there too.
bundle=$work/unrecognised
rm -rf "$bundle"; cp -r "$failing" "$bundle"
log=$(ls "$bundle"/LogFiles/*_default_docker.log | head -1)
for n in 1 2; do
  echo "2024-03-15T10:24:2$n.000000000Z [ERROR] nightly job $n wobbled: DB_PASSWORD=unR3cognisedPw$n password: yAmlUnR3cognised$n" >>"$log"
done
args=()
for f in "${formats[@]}"; do args+=(--format "$f=$work/unrec.$f"); done
"$APPDIAG" analyze "$bundle" --fail-on never --verbose "${args[@]}"
for f in text json markdown html; do
  check "unrecognised error line shown in $f" grep -qF "wobbled" "$work/unrec.$f"
done
for f in "${formats[@]}"; do
  check "unrecognised error's secret absent from $f" bash -c "test -s '$work/unrec.$f' && ! grep -qE 'unR3cognisedPw|yAmlUnR3cognised' '$work/unrec.$f'"
done
"$APPDIAG" analyze "$bundle" --fail-on never --no-redact --format json -o "$work/unrec-raw.json"
check "unrecognised error's secret reaches the report without redaction" grep -qF unR3cognisedPw2 "$work/unrec-raw.json"

# A one-line appsettings.json: the evidence of a setting is that setting alone,
# never the whole line with every other setting's value.
bundle=$work/oneline
rm -rf "$bundle"; cp -r "$samples/run-from-package-url-settings-only" "$bundle"
python3 - "$bundle/appsettings.json" <<'PY'
import json, sys
items = json.load(open(sys.argv[1]))
items.append({"name": "UNRELATED_NOTE", "slotSetting": False, "value": "oth3rSettingValue"})
json.dump(items, open(sys.argv[1], "w"))  # one line
PY
check "appsettings.json is one line" test "$(wc -l <"$bundle/appsettings.json")" -le 1
args=()
for f in "${formats[@]}"; do args+=(--format "$f=$work/oneline.$f"); done
"$APPDIAG" analyze "$bundle" --fail-on never --verbose "${args[@]}"
check "one-line settings: the setting itself is the evidence" grep -qF '"WEBSITE_RUN_FROM_PACKAGE' "$work/oneline.json"
for f in "${formats[@]}"; do
  check "one-line settings: no other setting's value in $f" bash -c "test -s '$work/oneline.$f' && ! grep -qF oth3rSettingValue '$work/oneline.$f'"
done
"$APPDIAG" explain run-from-package-unsupported "$bundle" >"$work/oneline.explain"
check "one-line settings: no other setting's value in explain" bash -c "grep -qF WEBSITE_RUN_FROM_PACKAGE '$work/oneline.explain' && ! grep -qF oth3rSettingValue '$work/oneline.explain'"
finish
