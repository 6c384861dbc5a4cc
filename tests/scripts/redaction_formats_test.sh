#!/usr/bin/env bash
# Every format (and scan's streamed lines) shows only redacted text: for each kind of secret, a log line
# the module-not-found rule matches carries it; all formats are written from
# one analysis and the secret appears in none. With --no-redact the same
# secret does reach the JSON, so the check can fail.
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
)
# The part of each secret that must never be shown.
values=(Hunter2SecretPw Pg5ecretPassw0rd dj4ngoS3cretKeyValue tok3nValueAbcdef123 SaSsIgNaTuRe0123456789abcdEFGH
  b3arerTok3nValue0123456789 SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c c3RvcmFnZUFjY291bnRLZXlWYWx1ZTAxMjM0NTY3ODlhYmNkZWY)

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
  "$APPDIAG" analyze "$bundle" --fail-on never --no-redact --format json -o "$work/raw$i.json"
  check "secret $i reaches the report without redaction" grep -qF "${values[$i]}" "$work/raw$i.json"
done
finish
