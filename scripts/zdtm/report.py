#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The zdtm table of make zdtm, from the guest's serial console.

Usage: report.py [--verdicts FILE] [--out FILE] [--kernel NAME] LOG

LOG is the console of a guest that ran criu/zdtm-run.sh (plan zdtm or
zdtm-all): its "# ZDTM-REC {json}" records give every test's result in the
three runs (root, alice-default, alice-policy), the dump and restore times
and the checkpoint LSM's stats delta of each run.  FILE (default
criu/zdtm-verdicts) gives the verdict of each test that passes as root and
not as alice under the policy, one a line: TEST LETTER EXPLANATION, the
letter as issue 19 defines it:
  a  a C/R-specific kernel check: it becomes an op of the LSM;
  b  a privilege that is not C/R-specific (which check, and why granting it
     to C/R holders would be wrong);
  c  a root assumption of the test itself (patched in patches/zdtm/);
  d  CRIU itself (its file and line).
Writes the Markdown report (default build/reports/zdtm.md); its last line is
exactly "zdtm: R passed as root, A passed as alice (policy), D as alice
(default), of T".  Exit status: 1 when a test passes as root, fails or is
skipped as alice under the policy and has no verdict, or when the log holds
no zdtm records; else 0.  A test a run did not reach (its zdtm.py timed
out) is "none": counted apart, never a gap.
"""
import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RUNS = ['root', 'alice-default', 'alice-policy']
LETTERS = {
    'a': 'C/R-specific kernel check (new op)',
    'b': 'privilege not C/R-specific',
    'c': 'root assumption of the test',
    'd': 'CRIU itself',
}
REC = re.compile(r'# ZDTM-REC (\{.*\})\s*$')
TAP_RESULT = re.compile(r'^(not ok|ok) \d+ - (.*)$')


def read_verdicts(path):
    verdicts = {}
    if not os.path.exists(path):
        return verdicts
    for n, line in enumerate(open(path), 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or parts[1] not in LETTERS:
            sys.exit(f'{path}:{n}: want "TEST LETTER(a-d) EXPLANATION": {line}')
        name = parts[0] if '/' in parts[0] else 'zdtm/static/' + parts[0]
        verdicts[name] = (parts[1], parts[2])
    return verdicts


def read_log(path):
    tests, runs, tap_fail, done = {}, {}, [], False
    for raw in open(path, errors='replace'):
        line = raw.rstrip('\r\n')
        m = REC.search(line)
        if m:
            try:
                rec = json.loads(m.group(1))
            except json.JSONDecodeError:
                continue
            if rec.get('kind') == 'test':
                tests.setdefault(rec['test'], {})[rec['run']] = rec
            elif rec.get('kind') == 'run':
                runs[rec['run']] = rec
            continue
        m = TAP_RESULT.match(line)
        if m and m.group(1) == 'not ok':
            tap_fail.append(m.group(2))
        if line.startswith('CKPT-DONE'):
            done = True
    return tests, runs, tap_fail, done


def cell(rec):
    if rec is None:
        return 'none'
    r = rec['result']
    if r == 'pass':
        return 'pass'
    why = rec.get('reason', '')
    if rec.get('error'):
        why += ': ' + rec['error']
    why = why.replace('|', '\\|')
    return f'{r} ({why})' if why else r


def secs(rec, key):
    return f"{rec[key]:.2f}" if rec and key in rec else '-'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--verdicts', default=str(ROOT / 'criu' / 'zdtm-verdicts'))
    ap.add_argument('--out', default=str(ROOT / 'build' / 'reports' / 'zdtm.md'))
    ap.add_argument('--kernel', default='6.12')
    ap.add_argument('log')
    args = ap.parse_args()

    verdicts = read_verdicts(args.verdicts)
    tests, runs, tap_fail, done = read_log(args.log)
    names = list(tests)
    T = len(names)

    def passed(run):
        return [t for t in names if tests[t].get(run, {}).get('result') == 'pass']

    R, A, D = len(passed('root')), len(passed('alice-policy')), len(passed('alice-default'))
    gaps = [t for t in names
            if tests[t].get('root', {}).get('result') == 'pass'
            and tests[t].get('alice-policy', {}).get('result') in ('fail', 'skip')]
    unexplained = [t for t in gaps if t not in verdicts]

    out = []
    w = out.append
    w(f'# zdtm on the checkpoint LSM ({args.kernel} kernel, Debian 13 criu 4.1.1)')
    w('')
    w(f'Console: `{os.path.relpath(args.log, ROOT)}`. Runs: root; alice '
      '(`zdtm.py run --rootless`, criu with only `cap_checkpoint_restore`) with the '
      'default policy; alice with `suspend_seccomp seccomp_dump seccomp_restore` on. '
      'Flavour `h`, one test at a time. Times: seconds from zdtm\'s "Run criu dump" '
      'to "Run criu restore" (dump) and from there to the restored test\'s stop '
      '(restore), under QEMU TCG.')
    w('')
    if not done:
        w('**The guest did not finish (no CKPT-DONE): the table is incomplete.**')
        w('')
    w('| test | root | alice-default | alice-policy | verdict | dump s root/default/policy | restore s root/default/policy |')
    w('|---|---|---|---|---|---|---|')
    for t in names:
        recs = [tests[t].get(run) for run in RUNS]
        v = verdicts.get(t)
        vtxt = f'{v[0]}: {v[1]}'.replace('|', '\\|') if v else ('**none**' if t in gaps else '')
        w(f'| {t.split("/")[-1]} | ' + ' | '.join(cell(r) for r in recs) +
          f' | {vtxt} | ' + '/'.join(secs(r, 'dump') for r in recs) +
          ' | ' + '/'.join(secs(r, 'restore') for r in recs) + ' |')
    w('')
    w('## Totals')
    w('')
    w('| run | pass | fail | skip | not run (timeout) | wall s | zdtm.py exit |')
    w('|---|---|---|---|---|---|---|')
    for run in RUNS:
        res = [tests[t].get(run, {}).get('result', 'none') for t in names]
        r = runs.get(run, {})
        w(f'| {run} | {res.count("pass")} | {res.count("fail")} | {res.count("skip")} | '
          f'{res.count("none")} | {r.get("wall", "-")} | {r.get("rc", "-")} |')
    both = [t for t in names if all(tests[t].get(run, {}).get('result') == 'pass'
                                    for run in ('root', 'alice-policy'))]
    if both and any('dump' in tests[t].get('root', {}) for t in both):
        w('')
        w(f'C/R time over the {len(both)} tests that pass as root and as alice (policy):')
        w('')
        w('| run | dump s | restore s |')
        w('|---|---|---|')
        for run in RUNS:
            ds = [tests[t][run]['dump'] for t in both if 'dump' in tests[t].get(run, {})]
            rs = [tests[t][run]['restore'] for t in both if 'restore' in tests[t].get(run, {})]
            w(f'| {run} | {sum(ds):.2f} ({len(ds)} tests) | {sum(rs):.2f} ({len(rs)} tests) |')
    w('')
    w('## Stats delta of each run (`/sys/kernel/security/checkpoint/stats`)')
    w('')
    ops = []
    for run in RUNS:
        for op in runs.get(run, {}).get('delta', {}):
            if op not in ops:
                ops.append(op)
    w('| op | ' + ' | '.join(RUNS) + ' |')
    w('|---|' + '---|' * len(RUNS))
    for op in ops:
        row = []
        for run in RUNS:
            d = runs.get(run, {}).get('delta', {}).get(op, {})
            row.append(' '.join(f'{k}+{v}' for k, v in d.items() if v) or '0')
        w(f'| {op} | ' + ' | '.join(row) + ' |')
    w('')
    if tap_fail:
        w(f'## zdtm-run.sh results against the decision table: {len(tap_fail)} not ok')
        w('')
        for f in tap_fail:
            w(f'- {f}')
        w('')
    if gaps:
        w('## Passes as root, not as alice under the policy')
        w('')
        for t in gaps:
            v = verdicts.get(t)
            w(f'- {t}: ' + (f'({v[0]}, {LETTERS[v[0]]}) {v[1]}' if v else '**no verdict**'))
        w('')
    stale = [t for t in verdicts if t in tests and t not in gaps]
    if stale:
        w('Verdicts for tests that are not a gap in this run: ' + ', '.join(stale))
        w('')
    w(f'zdtm: {R} passed as root, {A} passed as alice (policy), {D} as alice (default), of {T}')

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text('\n'.join(out) + '\n')
    print(f'[zdtm] report: {os.path.relpath(args.out)}')
    for t in unexplained:
        print(f'[zdtm] {t}: passes as root, not as alice under the policy, no verdict')
    print(out[-1])
    if not T or not runs:
        print('[zdtm] no zdtm records in the log', file=sys.stderr)
        return 1
    return 1 if unexplained else 0


if __name__ == '__main__':
    sys.exit(main())
