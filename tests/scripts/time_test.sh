#!/usr/bin/env bash
# Time and instances (issue 13): a multi-day, multi-instance bundle is
# diagnosed as it is now; --since/--until/--instance restrict the analysis and
# every format says so; `diff` lists what changed between two states.
source "$(dirname "$0")/common.sh"

json() {  # json FILE PYTHON-ASSERTIONS (d is the report)
  python3 -c "import json,sys,re; d=json.load(open(sys.argv[1])); $2" "$1"
}

healed=$samples/now-healthy-after-failure-three-days   # failing on day 1, healthy on days 2-3, two instances
broken=$samples/now-failing-after-healthy-days         # healthy on days 1-2, failing today
split=$samples/now-one-instance-failing                # AB runs, CD fails

# --- Issue 13's done-when, on main's pipeline -------------------------------
run 0 "$APPDIAG" analyze "$healed" --format json -o "$work/healed.json"
check "healed: no current root cause" json "$work/healed.json" "assert d['root_cause'] is None"
check "healed: the earlier failure is resolved, with its dates" json "$work/healed.json" "
f={x['id']:x for x in d['findings']}
for id in ('build-failed','module-not-found'):
    assert f[id]['status']=='resolved', f[id]['status']
    assert f[id]['first_seen'].startswith('2025-06-08T') and f[id]['last_seen'].startswith('2025-06-08T'), f[id]
assert all(x['status']!='current' for x in d['findings'])"
run 0 "$APPDIAG" analyze "$healed" --verbose
check "healed: text lists the failure under RESOLVED EARLIER with its date" \
  grep -qE '^  \[error\] build-failed: .* last seen 2025-06-08 ' <(sed -n '/^RESOLVED EARLIER/,/^$/p' "$work/out")
run 1 "$APPDIAG" analyze "$broken" --format json -o "$work/broken.json"
check "broken: today's cause is the current root cause" json "$work/broken.json" "
assert d['root_cause']=='module-not-found'
f={x['id']:x for x in d['findings']}
assert f['module-not-found']['status']=='current' and f['module-not-found']['last_seen'].startswith('2025-06-10T')"

# Timeline, evidence and state agree on attempt numbers and instance names.
for report in "$work/healed.json" "$work/broken.json"; do
  check "$(basename "$report"): timeline, evidence and state agree on attempts and instances" json "$report" "
machine=lambda f: (re.search(r'\d{4}_\d\d_\d\d_(\w+?)_(?:default_)?docker\.log', f) or [None,''])[1]
attempts=d['state']['attempts']
assert len(attempts)==d['timeline']['attempts']>1
assert [a['number'] for a in attempts]==list(range(1,len(attempts)+1))
starts={}
for e in d['timeline']['events']:
    if e['attempt']:
        a=attempts[e['attempt']-1]
        assert e.get('instance','')==a['instance']==machine(e['where']['file']), (e, a)
        starts.setdefault(e['where']['file'], set()).add(e['attempt'])
for x in d['findings']:
    for ev in x['evidence']:
        if 'attempt' in ev:
            assert attempts[ev['attempt']-1]['instance']==machine(ev['file']), ev
            assert ev['attempt'] in starts[ev['file']], ev
for i in d['state']['instances']:
    assert attempts[i['latest_attempt']-1]['instance']==i['name']"
done

# Dates appear when the logs span more than one day (and not when they do not).
check "multi-day: JSON timeline times carry dates" json "$work/healed.json" "
assert d['state']['spans_days']
assert all(re.match(r'\d{4}-\d\d-\d\d ', e['time']) for e in d['timeline']['events'] if e['has_time'])"
run 1 "$APPDIAG" analyze "$split" --format json -o "$work/split.json"
check "one day: no dates in times" json "$work/split.json" "
assert not d['state']['spans_days']
assert all(re.match(r'\d\d:\d\d:\d\d', e['time']) for e in d['timeline']['events'] if e['has_time'])"

# The README shows the headline the tool prints for the multi-day sample.
for s in now-healthy-after-failure-three-days now-one-instance-failing; do
  "$APPDIAG" analyze "$samples/$s" >"$work/readme-run.txt"
  headline=$(sed -n '1s/^NOW: //p' "$work/readme-run.txt")
  check "README shows the headline of $s ($headline)" grep -qF "$headline" <(tr -s ' \n' '  ' <"$APPDIAG_SOURCE_DIR/README.md")
done

# --- --since / --until --------------------------------------------------------
run 0 "$APPDIAG" analyze "$healed" --since 2025-06-09 --format json -o "$work/since.json"
check "--since after the failure: nothing found, nothing resolved" json "$work/since.json" "
assert d['findings']==[] and d['root_cause'] is None, [x['id'] for x in d['findings']]
assert d['report']['window']=={'since':'2025-06-09T00:00:00.000Z','until':None}, d['report']['window']
assert any(re.match(r'\d+ log lines outside --since/--until were not analysed', n) for n in d['notes']), d['notes']
assert all(e['utc_ms']>=1749427200000 for e in d['timeline']['events'] if e['has_time'])"
run 1 "$APPDIAG" analyze "$healed" --until 2025-06-08 --format json -o "$work/until.json"
check "--until the failing day: its failure is current again" json "$work/until.json" "
assert d['root_cause']=='module-not-found', d['root_cause']
assert d['state']['headline'].startswith('Failing on lw1sdlwk0000AB and lw1sdlwk0000CD'), d['state']['headline']
assert d['report']['window']['until']=='2025-06-08T23:59:59.999Z'"
run 0 "$APPDIAG" analyze "$broken" --until 2025-06-10T14:00
run 1 "$APPDIAG" analyze "$broken" --since '2025-06-10 16:00:00+02:00'
check "a zone offset is applied (16:00+02:00 is 14:00 UTC)" grep -q '^Window: since 2025-06-10 14:00:00 UTC$' "$work/out"
# Durations count back from now (SOURCE_DATE_EPOCH when set): 2025-06-10 12:00 UTC here.
SOURCE_DATE_EPOCH=1749556800 run 1 "$APPDIAG" analyze "$broken" --since 3h
check "--since 3h: from 09:00 UTC" grep -q '^Window: since 2025-06-10 09:00:00 UTC$' "$work/out"
SOURCE_DATE_EPOCH=1749556800 run 0 "$APPDIAG" analyze "$broken" --until 2h
SOURCE_DATE_EPOCH=1749556800 run 0 "$APPDIAG" analyze "$healed" --since 1d --format json -o "$work/1d.json"
check "--since 1d: only the last day" json "$work/1d.json" "assert d['findings']==[] and d['report']['window']['since']=='2025-06-09T12:00:00.000Z'"

# Every format says which window and instances it covered.
for f in text markdown html sarif junit github json; do
  run 0 "$APPDIAG" analyze "$healed" --since 2025-06-09 --instance lw1sdlwk0000AB --format "$f"
  check "$f names the window" grep -q '2025-06-09.00:00:00' "$work/out"
  check "$f names the instance" grep -q 'lw1sdlwk0000AB' "$work/out"
done

# --- --instance -------------------------------------------------------------------
run 0 "$APPDIAG" analyze "$split" --instance lw1sdlwk0000AB --format json -o "$work/ab.json"
check "--instance of the healthy machine: running, only that machine" json "$work/ab.json" "
assert d['root_cause'] is None
assert [i['name'] for i in d['state']['instances']]==['lw1sdlwk0000AB']
assert d['report']['instances']==['lw1sdlwk0000AB']
assert d['state']['headline']=='Running since 10:00 on 1 instance', d['state']['headline']
assert not any('lw1sdlwk0000CD' in s['name'] for s in d['sources'])"
run 1 "$APPDIAG" analyze "$split" --instance lw1sdlwk0000CD
check "--instance of the failing machine: its root cause" grep -q '^ROOT CAUSE \[error\] module-not-found' "$work/out"
run 1 "$APPDIAG" analyze "$split" --instance lw1sdlwk0000AB --instance lw1sdlwk0000CD --format json -o "$work/both.json"
"$APPDIAG" analyze "$split" --format json -o "$work/all.json"
check "both instances named: the same findings and state as none" python3 -c "
import json,sys
a,b=(json.load(open(p)) for p in sys.argv[1:])
assert a['findings']==b['findings'] and a['state']==b['state']" "$work/both.json" "$work/all.json"

# --- bad values: one line, exit 2 ------------------------------------------------
one_line() { [ "$(wc -l <"$work/err")" -eq 1 ] && grep -qF -- "$1" "$work/err"; }
run 2 "$APPDIAG" analyze "$healed" --since x
check "--since x: one-line error" one_line "appdiag: --since: cannot read 'x' as a time"
for bad in 2025-02-30 2025-06-09T25:00 yesterday 2h-ago ''; do
  run 2 "$APPDIAG" analyze "$healed" --until "$bad"
done
run 2 "$APPDIAG" analyze "$healed" --since 2025-06-10 --until 2025-06-09
check "--since after --until: one-line error" one_line "--since 2025-06-10 is after --until 2025-06-09"
run 2 "$APPDIAG" analyze "$healed" --instance lw1sdlwk0000AC
check "unknown --instance: names the instances there are" \
  one_line "appdiag: --instance lw1sdlwk0000AC: no such instance in the input (did you mean lw1sdlwk0000AB?)"

# --- diff ---------------------------------------------------------------------------
run 0 "$APPDIAG" diff "$broken" "$healed"
check "diff: the fixed failure is resolved" grep -qE '^  \[error\] module-not-found: .*now resolved' \
  <(sed -n '/^RESOLVED/,/^$/p' "$work/out")
check "diff: nothing new" grep -q '^NEW (0)$' "$work/out"
check "diff: both headlines" grep -qF 'NOW: Running since 2025-06-09 08:10 on 2 instances' "$work/out"
run 1 "$APPDIAG" diff "$healed" "$broken" --format json -o "$work/diff.json"
check "diff json: today's failure is new, the root cause marked" json "$work/diff.json" "
new={x['id']:x for x in d['new']}
assert new['module-not-found']['root_cause'] and new['module-not-found']['status']=='current'
assert d['resolved']==[] and d['unchanged']==[]
assert d['before']['input'].endswith('now-healthy-after-failure-three-days')"
run 0 "$APPDIAG" diff "$healed" "$broken" --fail-on never
run 0 "$APPDIAG" diff "$split" "$split"
check "diff of a state with itself: all unchanged" grep -qE '^UNCHANGED \([1-9]' "$work/out"
# A JSON report of analyze stands for its bundle.
"$APPDIAG" analyze "$healed" --format json -o "$work/before.json"
run 1 "$APPDIAG" diff "$work/before.json" "$broken" --format json -o "$work/diff-from-report.json"
check "diff: a JSON report gives the same diff as its bundle" python3 -c "
import json,sys
a,b=(json.load(open(p)) for p in sys.argv[1:])
for k in ('new','resolved','unchanged','after'): assert a[k]==b[k], k
assert a['before']['headline']==b['before']['headline']" "$work/diff.json" "$work/diff-from-report.json"
run 1 "$APPDIAG" diff "$healed" "$broken" -o "$work/diff-by-ext.json"
check "diff -o FILE.json writes json" json "$work/diff-by-ext.json" "assert 'new' in d"
run 2 "$APPDIAG" diff "$healed" "$work/missing"
check "diff of a missing input: one line naming it" one_line "$work/missing"
run 2 "$APPDIAG" diff "$healed" "$broken" --format xml
echo '{"findings": 3, "tool": {"name": "appdiag"}}' >"$work/bad.json"
run 2 "$APPDIAG" diff "$work/bad.json" "$broken"
# Many instances: the headline names three of the running ones and counts the rest.
mkdir -p "$work/many/LogFiles"
cp "$split"/LogFiles/*CD* "$work/many/LogFiles/"
for n in 01 02 03 04 05; do
  for f in "$split"/LogFiles/*AB*; do cp "$f" "$work/many/LogFiles/$(basename "$f" | sed "s/0000AB/00RUN$n/")"; done
done
run 1 "$APPDIAG" analyze "$work/many" --format json -o "$work/many.json"
check "5 running instances: three named, two counted" json "$work/many.json" "
h=d['state']['headline']
assert h.startswith('Failing on lw1sdlwk0000CD since 10:02; running on lw1sdlwk00RUN01, lw1sdlwk00RUN02, lw1sdlwk00RUN03 and 2 more'), h"
run 0 "$APPDIAG" help diff
check "help diff documents the exit codes" grep -q 'Exit codes: 0 nothing new' "$work/out"

finish
