// Parses every exported .kql file with the real Kusto language service (with
// the App Service table schemas, so column names must resolve) and checks that
// each regex literal decodes back to a log pattern of the rule it came from.
// Usage: node check_kql.js NODE_MODULES_DIR KQL_DIR RULES_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const [modules, kqlDir, rulesDir] = process.argv.slice(2);
const pkg = path.resolve(modules, '@kusto/language-service-next');
require(path.join(pkg, 'bridge.js'));
require(path.join(pkg, 'Kusto.Language.Bridge.js'));
const K = Kusto.Language;
const S = K.Symbols;

// Columns from the Azure Monitor Logs table reference.
const common = 'TimeGenerated:datetime, _ResourceId:string, _SubscriptionId:string, TenantId:string, ' +
  'SourceSystem:string, Type:string, _BilledSize:real, _IsBillable:string, OperationName:string, Host:string, ContainerId:string';
const tables = [
  new S.TableSymbol.$ctor7('AppServiceConsoleLogs', `(${common}, Category:string, Level:string, ResultDescription:string)`, null),
  new S.TableSymbol.$ctor7('AppServiceAppLogs', `(${common}, Category:string, CustomLevel:string, ExceptionClass:string, ` +
    'Level:string, Logger:string, Message:string, Method:string, ResultDescription:string, Source:string, Stacktrace:string)', null),
  new S.TableSymbol.$ctor7('AppServicePlatformLogs', `(${common}, ActivityId:string, DeploymentId:string, Exception:string, ` +
    'Level:string, Message:string, StackTrace:string)', null),
];
const globals = K.GlobalState.Default.WithDatabase(new S.DatabaseSymbol.$ctor3('logs', null, tables, false));

// The rule's log patterns that read a log Log Analytics has (not deploy only).
function expectedPatterns(rule) {
  const out = new Set();
  (function walk(node) {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.log === 'string') {
      const kinds = node.in || ['deploy', 'platform', 'app'];
      if (kinds.some((k) => k !== 'deploy')) out.add(node.log);
    }
    Object.values(node).forEach(walk);
  })(rule.when);
  return out;
}

function rulePatterns(id) {
  const file = path.join(rulesDir, id + '.json');
  return expectedPatterns(JSON.parse(fs.readFileSync(file, 'utf8')));
}

let failures = 0;
const fail = (file, msg) => { failures++; console.log(`${file}: ${msg}`); };
const files = fs.readdirSync(kqlDir).filter((f) => f.endsWith('.kql')).sort();
if (files.length === 0) fail(kqlDir, 'no .kql files');
for (const name of files) {
  const before = failures;
  const text = fs.readFileSync(path.join(kqlDir, name), 'utf8');
  const code = K.KustoCode.ParseAndAnalyze(text, globals);
  const diags = code.GetDiagnostics();
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i);
    if (d.Severity === 'Error') fail(name, `offset ${d.Start}: ${d.Message}`);
  }
  // Regex literals: after `matches regex`, and the first argument of extract().
  const matched = new Set();
  const extracted = new Set();
  const toks = [];
  for (let t = code.Syntax.GetFirstToken(); t; t = t.GetNextToken()) toks.push(t);
  toks.forEach((t, i) => {
    if (t.Kind !== K.Syntax.SyntaxKind.StringLiteralToken) return;
    const value = K.KustoFacts.GetStringLiteralValue(t.Text);
    const prev = i > 0 ? toks[i - 1].Text : '';
    if (prev === 'regex' || prev === 'matches regex') matched.add(value);
    if (prev === '(' && i > 1 && toks[i - 2].Text === 'extract') extracted.add(value);
  });
  if (matched.size === 0) fail(name, 'no `matches regex` literal');
  let expected;
  if (name === 'all-rules.kql') {
    expected = new Set();
    const ids = (text.match(/^\/\/ Rules: (.*)$/m) || [, ''])[1].split(', ').filter(Boolean);
    if (ids.length === 0) fail(name, 'no "// Rules:" line');
    ids.forEach((id) => rulePatterns(id).forEach((p) => expected.add(p)));
  } else {
    expected = rulePatterns(name.replace(/\.kql$/, ''));
  }
  for (const p of expected) if (!matched.has(p)) fail(name, `pattern missing or changed by escaping: ${p}`);
  for (const p of matched) if (!expected.has(p)) fail(name, `regex literal is no pattern of the rule: ${p}`);
  for (const p of extracted) if (!expected.has(p)) fail(name, `extract() regex is no pattern of the rule: ${p}`);
  console.log(`${name}: ${failures > before ? "FAILED" : "ok"} (${matched.size} patterns, ${extracted.size} with captures)`);
}
console.log(failures ? `${failures} problem(s)` : `all ${files.length} files parse and round-trip`);
process.exit(failures ? 1 : 0);
