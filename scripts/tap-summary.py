#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the serial logs of the test guests into one verdict.

Usage: tap-summary.py BOOT...   where BOOT is NAME:LOG:PLAN[:SUITES]
  PLAN    the guest plan file (programs that must report CKPT-END)
  SUITES  comma-separated KUnit suites that must report a result

Counts every leaf TAP/KTAP result (KUnit cases and parameters, selftest
cases), adds one failure for each missing or crashed piece (a boot that did
not finish, a program without its end marker or with a failing exit status
but no failing case, a missing suite, a kernel BUG/WARNING/oops or sanitizer
report), prints a line per boot and ends with "N passed, N failed, N skipped".
Exit status: 0 only if nothing failed and something passed.

With KCSAN_SCOPE (a regex) in the environment, a KCSAN report fails the
run only if its text matches the scope (our code and the seam); reports
about the rest of the kernel are listed, not counted.
"""
import os
import re
import sys

RESULT = re.compile(r'^(\s*)(not ok|ok) (\d+)\s*(?:- )?(.*)$')
KERNEL_PROBLEM = re.compile(
    r'(BUG:|WARNING:|Oops|Kernel panic|Call Trace:|KASAN|UBSAN|'
    r'kmemleak: \d+ new suspected|kmemleak: unreferenced object|'
    r'possible circular locking|'
    r'inconsistent lock state|suspicious RCU usage|rcu_.*detected stall|'
    r'sleeping function called from invalid context|general protection fault)')


def plan_programs(path):
    progs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                words = [w for w in line.split() if '=' not in w]
                progs.append(words[0])
    return progs


def drop_unrelated_kcsan(lines):
    """Remove KCSAN reports that do not touch KCSAN_SCOPE; return their titles."""
    scope = os.environ.get('KCSAN_SCOPE')
    if not scope:
        return lines, []
    keep, elsewhere, i = [], [], 0
    while i < len(lines):
        if 'BUG: KCSAN:' in lines[i]:
            j = i + 1
            while j < len(lines) and not lines[j].startswith('=' * 20):
                j += 1
            block = lines[i:j + 1]
            if re.search(scope, '\n'.join(block)):
                keep.extend(block)
            else:
                elsewhere.append(lines[i].strip())
            i = j + 1
            continue
        keep.append(lines[i])
        i += 1
    return keep, elsewhere


def summarize(name, log, plan, suites):
    passed = failed = skipped = 0
    problems = []
    try:
        with open(log, errors='replace') as f:
            lines = [l.rstrip('\r\n') for l in f]
    except OSError as e:
        return 0, 1, 0, [f'no log: {e}']

    lines, elsewhere = drop_unrelated_kcsan(lines)
    problems.extend(f'KCSAN report outside our code (not counted): {t}' for t in elsewhere)

    # leaf results: a result line is a parent if deeper results came since
    # the previous result at its level
    deeper_since = {}
    ends = {}
    current = None
    prog_failed_cases = {}
    seen_suites = set()
    for line in lines:
        if line.startswith('CKPT-BEGIN '):
            current = line.split()[1]
            prog_failed_cases[current] = 0
            deeper_since = {}
            continue
        m = re.match(r'^CKPT-END (\S+) rc=(\d+)', line)
        if m:
            ends[m.group(1)] = int(m.group(2))
            current = None
            continue
        if 'Bail out!' in line:
            failed += 1
            problems.append(f'bail out: {line.strip()}')
        if KERNEL_PROBLEM.search(line) and not line.lstrip().startswith('#'):
            failed += 1
            problems.append(f'kernel: {line.strip()}')
        m = RESULT.match(line)
        if not m:
            continue
        depth = len(m.group(1).expandtabs())
        is_parent = deeper_since.get(depth, False)
        deeper_since[depth] = False
        for d in list(deeper_since):
            if d > depth:
                del deeper_since[d]
        for d in range(depth):
            deeper_since[d] = True
        desc = m.group(4)
        if depth == 0 and current is None:
            seen_suites.add(desc.split()[0] if desc else '')
        if is_parent:
            continue
        if re.search(r'#\s*SKIP', desc, re.I):
            skipped += 1
        elif m.group(2) == 'ok':
            passed += 1
        else:
            failed += 1
            problems.append(f'failed: {desc}')
            if current:
                prog_failed_cases[current] += 1

    if not any(l.startswith('CKPT-DONE') for l in lines):
        failed += 1
        problems.append('the guest did not finish (timeout, panic or hang)')
    for prog in plan_programs(plan):
        if prog not in ends:
            failed += 1
            problems.append(f'{prog}: no end marker')
        elif ends[prog] not in (0, 4) and not prog_failed_cases.get(prog):
            failed += 1
            problems.append(f'{prog}: exit status {ends[prog]}')
    for suite in suites:
        if suite not in seen_suites:
            failed += 1
            problems.append(f'KUnit suite {suite}: no result')
    return passed, failed, skipped, problems


def main(argv):
    total = [0, 0, 0]
    for spec in argv:
        parts = spec.split(':')
        name, log, plan = parts[:3]
        suites = [s for s in (parts[3].split(',') if len(parts) > 3 else []) if s]
        p, f, s, problems = summarize(name, log, plan, suites)
        print(f'boot {name}: {p} passed, {f} failed, {s} skipped  ({log})')
        for prob in problems[:40]:
            print(f'  - {prob}')
        total = [total[0] + p, total[1] + f, total[2] + s]
    print(f'{total[0]} passed, {total[1]} failed, {total[2]} skipped')
    return 0 if total[1] == 0 and total[0] > 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
