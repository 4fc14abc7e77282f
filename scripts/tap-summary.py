#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the serial logs of the test guests into one verdict.

Usage: tap-summary.py [--skips FILE] BOOT...
  BOOT    KERNEL/NAME:LOG:PLAN[:SUITES]
  PLAN    the guest plan file (the programs that must run, in any order)
  SUITES  comma-separated KUnit suites that must report their cases
  --skips the expected-skips table (default: $CKPT_SKIPS, else guest/skips)

Counts every leaf TAP/KTAP result (KUnit cases and parameters, selftest
cases) and holds each piece to its plan:
  - every program of the plan ran, printed exactly one TAP plan 1..N with
    N > 0 and exactly N results numbered 1..N, reached its CKPT-END marker
    and exited 0; "1..0 # SKIP" (exit 4) counts as one skipped case named
    after the program;
  - every KUnit suite of SUITES printed a plan 1..N with N > 0, exactly N
    results, and not only skips;
  - every skip, including a whole program's or a whole suite's, is allowed
    for this boot by the expected-skips table (see guest/skips); any other
    skip counts as a failure;
  - the guest finished (CKPT-DONE), its CKPT-GUEST line names the plan, and
    its lsm= holds checkpoint unless the boot is one of NO_LSM_BOOTS (and
    then it must not);
  - the console shows no kernel BUG/WARNING/oops, sanitizer or kmemleak
    report and no "Bail out!";
  - at least one case of the boot passed.
Each broken rule is one failure, printed under its boot with the boot, the
program or suite, and the reason.  The output ends with a line per kernel,
the number of distinct test cases (program or suite plus test name, counted
once over all kernels and boots) and, last, "N passed, N failed, N skipped".
Exit status: 0 only if nothing failed and something passed.

With KCSAN_SCOPE (a regex) in the environment, a KCSAN report fails the
run only if its text matches the scope (our code and the seam); reports
about the rest of the kernel are listed, not counted.
"""
import argparse
import fnmatch
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# Boots started without checkpoint in lsm=: the only ones allowed (and
# required) to run without the LSM.
NO_LSM_BOOTS = ['nolsm']

SKIPS_ENV = 'CKPT_SKIPS'
DEFAULT_SKIPS = Path(__file__).resolve().parent.parent / 'guest' / 'skips'
MAX_LINES_PER_BOOT = 40

TIMESTAMP = re.compile(r'^\[\s*\d+\.\d+\] ?')
VERSION = re.compile(r'^(\s*)K?TAP version \d+')
PLAN = re.compile(r'^(\s*)1\.\.(\d+)\s*(?:#\s*(.*?))?\s*$')
RESULT = re.compile(r'^(\s*)(not ok|ok) (\d+)\s*(?:- )?(.*)$')
SUBTEST = re.compile(r'^(\s*)# Subtest: (.*?)\s*$')
SKIP_DIRECTIVE = re.compile(r'^#\s*SKIP\b\s*(.*?)\s*$', re.I)
GUEST = re.compile(r'^CKPT-GUEST plan=(\S*) lsm=(.*?)\s*$')
BEGIN = re.compile(r'^CKPT-BEGIN (\S+)')
END = re.compile(r'^CKPT-END (\S+) rc=(\d+)')
KERNEL_PROBLEM = re.compile(
    r'(BUG:|WARNING:|Oops|Kernel panic|Call Trace:|KASAN|UBSAN|'
    r'kmemleak: \d+ new suspected|kmemleak: unreferenced object|'
    r'possible circular locking|'
    r'inconsistent lock state|suspicious RCU usage|rcu_.*detected stall|'
    r'sleeping function called from invalid context|general protection fault)')


# ---- the expected-skips table ---------------------------------------------

SKIP_FIELD = r'("[^"]*"|\S+)'
SKIP_LINE = re.compile(r'^' + SKIP_FIELD + r'\s+' + SKIP_FIELD + r'\s+(\S.*)$')


@dataclass
class SkipRule:
    boot: str       # fnmatch glob on KERNEL/BOOT
    case: str       # fnmatch glob on UNIT:TEST, or UNIT for a whole unit
    reason: str


class SkipTable:
    """The skips that guest/skips allows, boot by boot."""

    def __init__(self, rules, problems):
        self.rules = rules
        self.problems = problems

    @classmethod
    def load(cls, path):
        """Read a table; malformed lines become problems (failures)."""
        try:
            with open(path) as f:
                text = f.read()
        except OSError as e:
            return cls([], [f'cannot read the expected-skips table: {e}'])
        rules, problems = [], []
        for number, line in enumerate(text.splitlines(), 1):
            rule, problem = parse_skip_line(line)
            if problem:
                problems.append(f'{path}:{number}: {problem}')
            elif rule:
                rules.append(rule)
        return cls(rules, problems)

    def allows(self, boot, case):
        """True if CASE ("unit:test" or "unit") may skip in BOOT."""
        return any(fnmatch.fnmatchcase(boot, r.boot) and
                   fnmatch.fnmatchcase(case, r.case) for r in self.rules)


def parse_skip_line(line):
    """Return (rule or None, problem or None) for one line of the table."""
    line = line.strip()
    if not line or line.startswith('#'):
        return None, None
    m = SKIP_LINE.match(line)
    if not m:
        return None, 'expected "BOOT-GLOB CASE-GLOB reason"'
    boot, case = (f[1:-1] if f.startswith('"') else f for f in m.group(1, 2))
    if '/' not in boot:
        return None, f'boot glob {boot!r} lacks KERNEL/ (e.g. */nolsm)'
    return SkipRule(boot, case, m.group(3)), None


# ---- TAP and KTAP ---------------------------------------------------------

@dataclass
class Plan:
    count: int
    skip: str | None        # the reason of "1..0 # SKIP reason"


@dataclass
class Result:
    number: int
    ok: bool
    name: str
    skip: str | None        # the reason of a "# SKIP" result
    children: list = field(default_factory=list)    # of Block


@dataclass
class Block:
    """The plans and results printed at one indentation, in order."""
    title: str = ''         # from "# Subtest: title"
    plans: list = field(default_factory=list)
    results: list = field(default_factory=list)

    def empty(self):
        return not self.plans and not self.results


def parse_result(m):
    """Build a Result from a RESULT match; name falls back on the reason."""
    desc = m.group(4)
    cut = re.search(r'(?:^|\s)#', desc)
    name = desc[:cut.start()].strip() if cut else desc.strip()
    directive = desc[cut.start():].strip() if cut else ''
    skip = SKIP_DIRECTIVE.match(directive)
    reason = skip.group(1) if skip else None
    name = name or reason or f'#{m.group(3)}'
    return Result(int(m.group(3)), m.group(2) == 'ok', name, reason)


def parse_plan(m):
    """Build a Plan from a PLAN match."""
    skip = SKIP_DIRECTIVE.match('#' + m.group(3)) if m.group(3) else None
    return Plan(int(m.group(2)), skip.group(1) if skip else None)


def indent(m):
    """The indentation of a matched TAP line, in columns."""
    return len(m.group(1).expandtabs())


def parse_tap(lines, split_documents=False):
    """Parse TAP/KTAP with nested subtests into (documents, orphans).

    A documents entry is the Block of one top-level (unindented) stream;
    results printed deeper belong to the next result printed shallower,
    as KTAP subtests do.  Orphans are deeper Blocks that no result claimed
    (a subtest cut off by a crash).  With split_documents, each unindented
    "TAP version"/"KTAP version" line starts a new document.
    """
    documents, orphans = [], []
    pending = {}        # indentation -> Block not yet claimed by a parent

    def close():
        top = pending.pop(0, None)
        if top and not top.empty():
            documents.append(top)
        orphans.extend(b for _, b in sorted(pending.items()) if not b.empty())
        pending.clear()

    for line in lines:
        m = VERSION.match(line)
        if m:
            if split_documents and indent(m) == 0:
                close()
            continue
        m = SUBTEST.match(line)
        if m:
            pending.setdefault(indent(m), Block()).title = m.group(2)
            continue
        m = PLAN.match(line)
        if m:
            pending.setdefault(indent(m), Block()).plans.append(parse_plan(m))
            continue
        m = RESULT.match(line)
        if m:
            depth = indent(m)
            result = parse_result(m)
            for d in sorted(d for d in pending if d > depth):
                block = pending.pop(d)
                if not block.empty():
                    result.children.append(block)
            pending.setdefault(depth, Block()).results.append(result)
    close()
    return documents, orphans


def leaves(result, path=()):
    """Yield (names from the top, leaf result) under RESULT."""
    path = path + (result.name,)
    children = [r for block in result.children for r in block.results]
    if not children:
        yield path, result
    for child in children:
        yield from leaves(child, path)


def numbering_problems(block, require_plan):
    """Reasons why BLOCK's results are not exactly 1..N of its plan."""
    problems = []
    if len(block.plans) > 1:
        plans = ', '.join(f'1..{p.count}' for p in block.plans)
        problems.append(f'{len(block.plans)} TAP plans ({plans}), expected one')
    if not block.plans and require_plan:
        problems.append(f'no TAP plan (1..N), {count_results(len(block.results))}')
    numbers = [r.number for r in block.results]
    expected = block.plans[0].count if block.plans else len(numbers)
    if len(numbers) != expected:
        problems.append(f'plan 1..{expected} but {count_results(len(numbers))}')
    dups = sorted(n for n, c in Counter(numbers).items() if c > 1)
    if dups:
        problems.append(f'result numbers reported twice: {short_list(dups)}')
    outside = sorted({n for n in numbers if not 1 <= n <= expected})
    if outside:
        problems.append(f'result numbers outside 1..{expected}: '
                        f'{short_list(outside)}')
    if len(numbers) == expected and not dups and not outside:
        missing = sorted(set(range(1, expected + 1)) - set(numbers))
        if missing:
            problems.append(f'results missing: {short_list(missing)}')
        elif numbers != sorted(numbers):
            problems.append('results out of order')
    return problems


def count_results(count):
    return f'{count} result' + ('' if count == 1 else 's')


def short_list(numbers, limit=8):
    """NUMBERS as text, the first LIMIT of them."""
    text = ', '.join(str(n) for n in numbers[:limit])
    return text + (f' (+{len(numbers) - limit} more)' if len(numbers) > limit else '')


def structure_problems(block, require_plan):
    """numbering_problems of BLOCK and of every nested block under it."""
    problems = numbering_problems(block, require_plan)
    for result in block.results:
        for child in result.children:
            problems.extend(f'subtest {result.name}: {p}'
                            for p in structure_problems(child, False))
    return problems


# ---- the console log ------------------------------------------------------

@dataclass
class Run:
    """One program of the plan, from CKPT-BEGIN to CKPT-END."""
    path: str
    lines: list = field(default_factory=list)
    rc: int | None = None

    @property
    def unit(self):
        return os.path.basename(self.path)


@dataclass
class Console:
    guest: re.Match | None = None   # the CKPT-GUEST line
    kernel: list = field(default_factory=list)     # lines outside programs
    runs: list = field(default_factory=list)
    done: bool = False


def read_log(path):
    """The log's lines, without line ends or printk timestamps."""
    with open(path, errors='replace') as f:
        return [TIMESTAMP.sub('', l.rstrip('\r\n'), count=1) for l in f]


def split_console(lines):
    """Sort the lines into the programs' output and the rest."""
    console, run = Console(), None
    for line in lines:
        begin, end = BEGIN.match(line), END.match(line)
        if begin:
            run = Run(begin.group(1))
            console.runs.append(run)
        elif end and run and end.group(1) == run.path:
            run.rc, run = int(end.group(2)), None
        elif line.startswith('CKPT-DONE'):
            console.done, run = True, None
        elif run:
            run.lines.append(line)
        else:
            if console.guest is None:
                console.guest = GUEST.match(line)
            console.kernel.append(line)
    return console


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


def plan_programs(path):
    """The programs of a guest plan, as guest/init names them."""
    progs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                words = [w for w in line.split() if '=' not in w]
                progs.append(words[0])
    return progs


# ---- one boot ------------------------------------------------------------

@dataclass
class Spec:
    """One boot to check, from its KERNEL/BOOT:LOG:PLAN[:SUITES] argument."""
    name: str           # KERNEL/BOOT
    log: str
    plan: str
    suites: list

    @classmethod
    def parse(cls, text):
        """Split a command-line argument; ValueError if malformed."""
        parts = text.split(':')
        if len(parts) < 3:
            raise ValueError(f'not KERNEL/BOOT:LOG:PLAN[:SUITES]: {text}')
        suites = [s for s in (parts[3].split(',') if len(parts) > 3 else []) if s]
        return cls(parts[0], parts[1], parts[2], suites)

    @property
    def kernel(self):
        """The kernel the boot ran on (before the '/')."""
        return self.name.split('/')[0] if '/' in self.name else '-'

    @property
    def boot(self):
        """The boot's name without its kernel."""
        return self.name.rsplit('/', 1)[-1]


@dataclass
class Tally:
    """Counts of results, and the test cases seen (UNIT:TEST or UNIT)."""
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    cases: set = field(default_factory=set)

    def add(self, other):
        """Add OTHER's counts and cases to these."""
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        self.cases |= other.cases

    def line(self):
        """'N passed, N failed, N skipped'."""
        return f'{self.passed} passed, {self.failed} failed, {self.skipped} skipped'


class BootReport:
    """Counts and problems of one boot."""

    def __init__(self, spec, table):
        self.spec = spec
        self.table = table
        self.tally = Tally()
        self.problems = []
        self.notes = []

    def fail(self, where, reason):
        """Count one failure of WHERE (a program, suite or 'guest')."""
        self.tally.failed += 1
        self.problems.append(f'{self.spec.name}: {where}: {reason}')

    def skip_allowed(self, case):
        """True if the skips table lets CASE skip in this boot."""
        return self.table.allows(self.spec.name, case)

    def record(self, unit, test, result):
        """Count one leaf result of UNIT; an unlisted skip is a failure."""
        case = f'{unit}:{test}'
        self.tally.cases.add(case)
        if result.skip is not None:
            if self.skip_allowed(case):
                self.tally.skipped += 1
            else:
                self.fail(unit, f'skip not in the skips table: {test} '
                          f'(# SKIP {result.skip})')
        elif result.ok:
            self.tally.passed += 1
        else:
            self.fail(unit, f'not ok {result.number} {test}')

    def record_tree(self, unit, result, drop_top):
        """Count the leaves under RESULT; return how many failed."""
        failed = 0
        for path, leaf in leaves(result):
            names = path[1:] if drop_top and len(path) > 1 else path
            self.record(unit, '/'.join(names), leaf)
            failed += not leaf.ok and leaf.skip is None
        return failed

    def record_orphans(self, unit, orphans):
        """Count results no parent claimed, and fail for each such block."""
        for block in orphans:
            title = block.title or 'nested results'
            self.fail(unit, f'{title}: subtest without its result line '
                      '(cut off?)')
            for result in block.results:
                self.record_tree(unit, result, False)


def check_console(report, lines):
    """Kernel reports and bail-outs anywhere on the console."""
    for line in lines:
        if 'Bail out!' in line:
            report.fail('TAP', f'bail out: {line.strip()}')
        if KERNEL_PROBLEM.search(line) and not line.lstrip().startswith('#'):
            report.fail('kernel', line.strip())


def check_guest(report, console):
    """The CKPT-GUEST line: the right plan, and the LSM where it belongs."""
    spec = report.spec
    if console.guest is None:
        report.fail('guest', 'no CKPT-GUEST line (the guest never started?)')
        return
    plan, lsm = console.guest.group(1, 2)
    if plan != os.path.basename(spec.plan):
        report.fail('guest', f'ran plan {plan!r}, expected '
                    f'{os.path.basename(spec.plan)!r}')
    has_lsm = 'checkpoint' in re.split(r'[,\s]+', lsm)
    if spec.boot in NO_LSM_BOOTS and has_lsm:
        report.fail('guest', f'lsm={lsm} holds checkpoint in a boot without '
                    'the LSM')
    elif spec.boot not in NO_LSM_BOOTS and not has_lsm:
        report.fail('guest', f'lsm={lsm} lacks checkpoint: the LSM is lost')


def check_kunit(report, lines):
    """Count the KUnit results; hold the spec's suites to their plans."""
    documents, orphans = parse_tap(lines, split_documents=True)
    seen = {}
    for doc in documents:
        for problem in numbering_problems(doc, True):
            report.fail('KUnit', problem)
        for suite in doc.results:
            seen.setdefault(suite.name, []).append(suite)
            report.record_tree(suite.name, suite, True)
            required = suite.name in report.spec.suites
            for block in suite.children:
                for problem in structure_problems(block, required):
                    report.fail(f'KUnit suite {suite.name}', problem)
    report.record_orphans('KUnit', orphans)
    for name in report.spec.suites:
        if name not in seen:
            report.fail(f'KUnit suite {name}', 'no result')
        for suite in seen.get(name, []):
            check_suite(report, suite)


def check_suite(report, suite):
    """A required suite: N > 0 cases, not all skipped (unless allowed)."""
    where = f'KUnit suite {suite.name}'
    if not suite.children:
        report.fail(where, 'no cases (no plan, no results)')
        return
    plans = [p for block in suite.children for p in block.plans]
    if plans and plans[0].count == 0:
        report.fail(where, 'empty plan 1..0')
    cases = [leaf for _, leaf in leaves(suite)]
    if cases and all(c.skip is not None for c in cases) \
            and not report.skip_allowed(suite.name):
        report.fail(where, f'every case skipped ({len(cases)}), and the '
                    'skips table does not allow the whole suite to skip')


def check_programs(report, runs):
    """Every program of the plan ran and kept to its TAP plan."""
    remaining = list(runs)
    for path in plan_programs(report.spec.plan):
        run = next((r for r in remaining if r.path == path), None)
        if run is None:
            report.fail(os.path.basename(path), 'did not run (no CKPT-BEGIN)')
            continue
        remaining.remove(run)
        check_program(report, run)
    for run in remaining:
        report.fail(run.unit, 'ran but is not in the plan')
        check_program(report, run)


def whole_program_skip(top):
    """The reason of a "1..0 # SKIP reason" program, else None."""
    if len(top.plans) == 1 and top.plans[0].count == 0 and not top.results:
        return top.plans[0].skip
    return None


def check_program(report, run):
    """One program: its plan, results, end marker and exit status."""
    documents, orphans = parse_tap(run.lines)
    top = documents[0] if documents else Block()
    reason = whole_program_skip(top)
    if reason is not None:
        check_skipped_program(report, run, reason)
        return
    if top.empty():
        report.fail(run.unit, 'printed no TAP (no plan, no results)')
    elif top.plans and top.plans[0].count == 0:
        report.fail(run.unit, 'empty plan 1..0')
    if not top.empty():
        for problem in structure_problems(top, True):
            report.fail(run.unit, problem)
    failed = sum(report.record_tree(run.unit, r, False) for r in top.results)
    report.record_orphans(run.unit, orphans)
    if run.rc is None:
        report.fail(run.unit, 'no CKPT-END marker (crashed, hung or cut off)')
    elif run.rc == 4:
        report.fail(run.unit, 'exit status 4 (skip) without "1..0 # SKIP"')
    elif run.rc != 0 and not failed:
        report.fail(run.unit, f'exit status {run.rc} without a failing case')


def check_skipped_program(report, run, reason):
    """A "1..0 # SKIP" program: one skipped case named after the program."""
    report.tally.cases.add(run.unit)
    if report.skip_allowed(run.unit):
        report.tally.skipped += 1
    else:
        report.fail(run.unit, f'whole program skipped, not in the skips '
                    f'table (1..0 # SKIP {reason})')
    if run.rc is None:
        report.fail(run.unit, 'no CKPT-END marker (crashed, hung or cut off)')
    elif run.rc not in (0, 4):
        report.fail(run.unit, f'exit status {run.rc} after 1..0 # SKIP')


def summarize(spec, table):
    """Read and check one boot's log; return its BootReport."""
    report = BootReport(spec, table)
    try:
        lines = read_log(spec.log)
    except OSError as e:
        report.fail('guest', f'no log: {e}')
        return report
    lines, elsewhere = drop_unrelated_kcsan(lines)
    report.notes.extend(f'KCSAN report outside our code (not counted): {t}'
                        for t in elsewhere)
    check_console(report, lines)
    console = split_console(lines)
    check_guest(report, console)
    check_kunit(report, console.kernel)
    try:
        check_programs(report, console.runs)
    except OSError as e:
        report.fail('plan', f'cannot read {spec.plan}: {e}')
    if not console.done:
        report.fail('guest', 'did not finish: no CKPT-DONE (timeout, panic '
                    'or hang)')
    if report.tally.passed == 0:
        report.fail('boot', 'no case passed: every boot must pass at least '
                    'one case (a boot of allowed skips alone shows nothing)')
    return report


# ---- the whole run --------------------------------------------------------

def print_report(report):
    """The boot's line, then its problems and notes (at most a screenful)."""
    spec = report.spec
    print(f'boot {spec.name}: {report.tally.line()}  ({spec.log})')
    lines = report.problems + [f'note: {n}' for n in report.notes]
    for line in lines[:MAX_LINES_PER_BOOT]:
        print(f'  - {line}')
    if len(lines) > MAX_LINES_PER_BOOT:
        print(f'  - ... and {len(lines) - MAX_LINES_PER_BOOT} more')


def parse_args(argv):
    """The options and the boots to check."""
    parser = argparse.ArgumentParser(
        description='Summarise the test guests\' serial logs.')
    parser.add_argument('--skips', default=os.environ.get(SKIPS_ENV, DEFAULT_SKIPS),
                        help=f'expected-skips table (default: ${SKIPS_ENV}, '
                        'else guest/skips)')
    parser.add_argument('boots', nargs='+', metavar='KERNEL/BOOT:LOG:PLAN[:SUITES]')
    return parser.parse_args(argv)


def main(argv):
    """Check every boot, print the summary; return the exit status."""
    args = parse_args(argv)
    try:
        specs = [Spec.parse(b) for b in args.boots]
    except ValueError as e:
        print(f'tap-summary: {e}', file=sys.stderr)
        return 2
    table = SkipTable.load(args.skips)
    total, kernels = Tally(), {}
    for problem in table.problems:
        print(f'skips table: {problem}')
        total.failed += 1
    for spec in specs:
        report = summarize(spec, table)
        print_report(report)
        kernels.setdefault(spec.kernel, Tally()).add(report.tally)
    for kernel, tally in kernels.items():
        print(f'kernel {kernel}: {tally.line()}')
        total.add(tally)
    print(f'distinct test cases: {len(total.cases)}')
    print(total.line())
    return 0 if total.failed == 0 and total.passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
