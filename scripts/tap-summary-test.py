#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Self-test of tap-summary.py on synthetic serial logs.

Usage: tap-summary-test.py   (no arguments)

Writes guest logs, plans and an expected-skips table to a temporary
directory, runs tap-summary.py on them and checks its verdict: a good run
stays green with the expected counts, per-kernel lines, distinct-case
count and final line; each broken log (a silent program, a short plan, an
unlisted skip, a lost LSM, a missing marker, bad numbering, ...) turns the
run red with a message saying why.  Prints TAP; exits non-zero on any
failure.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SUMMARY = Path(__file__).resolve().with_name('tap-summary.py')
LSM = 'capability,yama,checkpoint'
NO_LSM = 'capability,yama'
SUITES = ['checkpoint_policy', 'checkpoint_hooks']

SKIPS = """\
# the self-test's own table
*/nolsm  lsm_test:t.*                 needs the LSM
*/nolsm  checkpoint_hooks             the suite's init skips without the LSM
*/nolsm  checkpoint_hooks:*           the suite's init skips without the LSM
*/*      "ksft_test:New time NS"      CONFIG_TIME_NS is off
*/main   whole_test                   skips as a whole, by design
# lets the cases of this suite skip in main, but not the whole suite
*/main   checkpoint_hooks:*           see the all-skipped scenario
"""

MAIN_PLAN = """\
# a comment, then programs; VAR=value words are not the program
/tests/lsm_test
FOO=1 /tests/ksft_test
/tests/whole_test
/opt/script.sh
"""
NOLSM_PLAN = "/tests/lsm_test\n/tests/ksft_test\n"


# ---- synthetic console output ---------------------------------------------

def result_line(indent, number, status, name):
    """One TAP result; status is 'ok', 'not ok' or 'skip'."""
    pad = ' ' * indent
    if status == 'skip':
        return f'{pad}ok {number} {name} # SKIP checkpoint LSM not active'
    return f'{pad}{status} {number} {name}'


def kunit(suites, plans=None):
    """KTAP as KUnit prints it: suites of cases, cases of parameters.

    suites: [(name, [(case, status or [(param, status)])])]; plans maps a
    suite to the plan it should claim (default: its number of cases).
    """
    lines = ['KTAP version 1', f'1..{len(suites)}']
    for n, (suite, cases) in enumerate(suites, 1):
        count = (plans or {}).get(suite, len(cases))
        lines += ['    KTAP version 1', f'    # Subtest: {suite}',
                  '    # module: checkpoint', f'    1..{count}']
        for i, (case, status) in enumerate(cases, 1):
            if isinstance(status, list):
                lines += ['        KTAP version 1', f'        # Subtest: {case}']
                lines += [result_line(8, j, s, p)
                          for j, (p, s) in enumerate(status, 1)]
                status = 'ok'
            lines.append(result_line(4, i, status, case))
        lines += [f'# {suite}: pass:{len(cases)} fail:0 skip:0 total:{len(cases)}',
                  f'ok {n} {suite}']
    return lines


def harness(results, plan=None):
    """A kselftest-harness program's TAP: results are [(status, name)]."""
    lines = ['TAP version 13', f'1..{len(results) if plan is None else plan}',
             f'# Starting {len(results)} tests from 1 test cases.']
    for n, (status, name) in enumerate(results, 1):
        lines += [f'#  RUN           {name} ...', result_line(0, n, status, name)]
    lines.append('# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:0 error:0')
    return lines


def good_kunit(hooks='ok'):
    """The two suites, hooks' cases with status HOOKS."""
    return kunit([
        ('checkpoint_policy', [
            ('op_table_test', 'ok'),
            ('decision_case_test', [('map_files off legacy', 'ok'),
                                    ('map_files off cr', 'ok')])]),
        ('checkpoint_hooks', [('vouch_hook_test', hooks),
                              ('capable_untouched_test', hooks)]),
    ])


def lsm_test(status='ok'):
    """A program whose three cases all have STATUS."""
    return harness([(status, 't.a'), (status, 't.b'), (status, 't.c')])


KSFT_TEST = ['TAP version 13', '1..2', 'ok 1 simple clone3()',
             '# Time namespaces are not supported', 'ok 2 # SKIP New time NS',
             '# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:1 error:0']
WHOLE_SKIP = ['TAP version 13', '1..0 # SKIP not for this boot']
SCRIPT = ['TAP version 13', '1..1', '# narration', 'ok 1 - step one']


def main_programs(**changes):
    """The main boot's programs: path -> (output lines, exit status or None)."""
    programs = {
        '/tests/lsm_test': (lsm_test(), 0),
        '/tests/ksft_test': (KSFT_TEST, 0),
        '/tests/whole_test': (WHOLE_SKIP, 4),
        '/opt/script.sh': (SCRIPT, 0),
    }
    for name, value in changes.items():
        programs[f'/tests/{name}'] = value
    return programs


def boot_log(plan, programs, lsm=LSM, kunit_lines=(), done=True, kernel=()):
    """A whole serial log as guest/init and the kernel print it."""
    lines = ['[    0.000000] Linux version 6.12.0 (checkpoint@workbench)',
             *kunit_lines, '[    1.000000] Run /init as init process',
             f'CKPT-GUEST plan={plan} lsm={lsm}']
    for path, (output, rc) in programs.items():
        lines += [f'CKPT-BEGIN {path}', *output]
        if rc is not None:
            lines.append(f'CKPT-END {path} rc={rc}')
    lines += list(kernel)
    if done:
        lines.append('CKPT-DONE')
    return '\r\n'.join(lines) + '\r\n'


def main_log(programs=None, **kw):
    """The main boot's log, with the good KUnit output by default."""
    kw.setdefault('kunit_lines', good_kunit())
    return boot_log('main', programs or main_programs(), **kw)


def nolsm_log():
    """The nolsm boot's log: no LSM, and its tests skip as allowed."""
    programs = {'/tests/lsm_test': (lsm_test('skip'), 0),
                '/tests/ksft_test': (KSFT_TEST, 0)}
    return boot_log('nolsm', programs, lsm=NO_LSM,
                    kunit_lines=good_kunit(hooks='skip'))


# ---- running tap-summary.py ----------------------------------------------

class Boot:
    """One boot to summarise: KERNEL/NAME, its log, plan and suites."""

    def __init__(self, name, log, plan_name='main', plan=MAIN_PLAN,
                 suites=SUITES):
        self.name, self.log, self.suites = name, log, suites
        self.plan_name, self.plan = plan_name, plan

    def spec(self, directory):
        """Write log and plan under DIRECTORY; return the argument."""
        log = directory / (self.name.replace('/', '-') + '.log')
        log.write_text(self.log)
        plans = directory / 'plans'
        plans.mkdir(exist_ok=True)
        (plans / self.plan_name).write_text(self.plan)
        return f'{self.name}:{log}:{plans / self.plan_name}:{",".join(self.suites)}'


def summarise(boots, skips=SKIPS, env=None, skips_by_env=False):
    """Run tap-summary.py on BOOTS; return (exit status, output lines)."""
    with tempfile.TemporaryDirectory(prefix='tap-summary-test.') as tmp:
        directory = Path(tmp)
        table = directory / 'skips'
        table.write_text(skips)
        clean = {k: v for k, v in os.environ.items()
                 if k not in ('KCSAN_SCOPE', 'CKPT_SKIPS')}
        clean.update(env or {})
        args = [sys.executable, str(SUMMARY)]
        if skips_by_env:
            clean['CKPT_SKIPS'] = str(table)
        else:
            args += ['--skips', str(table)]
        args += [b.spec(directory) for b in boots]
        proc = subprocess.run(args, capture_output=True, text=True, env=clean)
    return proc.returncode, (proc.stdout + proc.stderr).splitlines()


# ---- the checks ------------------------------------------------------------

class Tap:
    """The self-test's own TAP output."""

    def __init__(self):
        self.results = []

    def check(self, name, ok, output=()):
        """Record one check; OUTPUT is shown if it failed."""
        self.results.append((name, ok, output))

    def report(self):
        """Print the TAP; return the exit status."""
        print('TAP version 13')
        print(f'1..{len(self.results)}')
        for n, (name, ok, output) in enumerate(self.results, 1):
            print(f'{"ok" if ok else "not ok"} {n} {name}')
            if not ok:
                for line in output:
                    print(f'#   {line}')
        failed = sum(not ok for _, ok, _ in self.results)
        print(f'# {len(self.results) - failed} passed, {failed} failed')
        return 1 if failed else 0


def expect_red(tap, name, boots, message, **kw):
    """The run must fail, and some output line must contain MESSAGE."""
    rc, out = summarise(boots, **kw)
    ok = rc != 0 and any(message in line for line in out) and \
        out[-1].endswith('skipped') and ' 0 failed' not in out[-1]
    tap.check(f'red: {name}', ok, [f'exit {rc}, expected "{message}"', *out])


def good_boots():
    """main and nolsm on two kernels, all as they should be."""
    return [Boot('base/main', main_log()),
            Boot('base/nolsm', nolsm_log(), 'nolsm', NOLSM_PLAN),
            Boot('hardened/main', main_log()),
            Boot('hardened/nolsm', nolsm_log(), 'nolsm', NOLSM_PLAN)]


def check_good(tap):
    """A good run: green, with the counts worked out by hand.

    main:  KUnit 5 passed; lsm_test 3 passed; ksft_test 1 passed, 1 skipped;
           whole_test 1 skipped; script.sh 1 passed: 10 passed, 2 skipped.
    nolsm: KUnit 3 passed, 2 skipped; lsm_test 3 skipped; ksft_test 1
           passed, 1 skipped: 4 passed, 6 skipped.
    Distinct: 5 KUnit + 3 lsm_test + 2 ksft_test + whole_test + 1 script.
    """
    for by_env in (False, True):
        rc, out = summarise(good_boots(), skips_by_env=by_env)
        how = ' (table from $CKPT_SKIPS)' if by_env else ''
        tap.check(f'good run exits 0{how}', rc == 0, out)
    tap.check('good run: final line last, with the totals',
              out[-1] == '28 passed, 0 failed, 16 skipped', out)
    tap.check('good run: no problem lines',
              not any(l.startswith('  - ') for l in out), out)
    for line in ('boot base/main: 10 passed, 0 failed, 2 skipped',
                 'boot base/nolsm: 4 passed, 0 failed, 6 skipped'):
        tap.check(f'good run: "{line}"', any(l.startswith(line) for l in out), out)
    for line in ('kernel base: 14 passed, 0 failed, 8 skipped',
                 'kernel hardened: 14 passed, 0 failed, 8 skipped',
                 'distinct test cases: 12'):
        tap.check(f'good run: "{line}"', line in out, out)
    tap.check('good run: kernel lines and distinct count just above the end',
              out[-4:-1] == ['kernel base: 14 passed, 0 failed, 8 skipped',
                             'kernel hardened: 14 passed, 0 failed, 8 skipped',
                             'distinct test cases: 12'], out)
    rc, out = summarise([Boot('base/main', main_log())])
    tap.check('one boot: distinct count equals its cases',
              rc == 0 and 'distinct test cases: 12' in out, out)


def check_holes(tap):
    """The audit's holes: each must now turn the run red."""
    expect_red(tap, 'a program that prints nothing and exits 0',
               [Boot('base/main', main_log(main_programs(lsm_test=([], 0))))],
               'lsm_test: printed no TAP')
    short = ['TAP version 13', '1..50', 'ok 1 t.a']
    expect_red(tap, '1..50 with one result',
               [Boot('base/main', main_log(main_programs(lsm_test=(short, 0))))],
               'lsm_test: plan 1..50 but 1 result')
    programs = main_programs(other_test=(WHOLE_SKIP, 4))
    plan = MAIN_PLAN + '/tests/other_test\n'
    expect_red(tap, 'exit 4 with 1..0 # SKIP not in the table',
               [Boot('base/main', main_log(programs), plan=plan)],
               'other_test: whole program skipped, not in the skips table')
    expect_red(tap, 'a KUnit suite whose every case skipped',
               [Boot('base/main', main_log(kunit_lines=good_kunit('skip')))],
               'KUnit suite checkpoint_hooks: every case skipped')
    lost = main_log(main_programs(lsm_test=(lsm_test('skip'), 0)), lsm=NO_LSM,
                    kunit_lines=good_kunit('skip'))
    expect_red(tap, 'a lost LSM (lsm= lacks checkpoint, LSM tests skip)',
               [Boot('base/main', lost)], 'lacks checkpoint: the LSM is lost')
    expect_red(tap, 'a missing CKPT-END',
               [Boot('base/main', main_log(main_programs(lsm_test=(lsm_test(), None))))],
               'lsm_test: no CKPT-END marker')
    one_skip = harness([('ok', 't.a'), ('skip', 't.b'), ('ok', 't.c')])
    expect_red(tap, 'a skip not in the table',
               [Boot('base/main', main_log(main_programs(lsm_test=(one_skip, 0))))],
               'lsm_test: skip not in the skips table: t.b')
    dup = ['TAP version 13', '1..3', 'ok 1 t.a', 'ok 2 t.b', 'ok 2 t.c']
    expect_red(tap, 'duplicate result numbers',
               [Boot('base/main', main_log(main_programs(lsm_test=(dup, 0))))],
               'lsm_test: result numbers reported twice: 2')
    far = ['TAP version 13', '1..3', 'ok 1 t.a', 'ok 2 t.b', 'ok 7 t.c']
    expect_red(tap, 'out-of-range result numbers',
               [Boot('base/main', main_log(main_programs(lsm_test=(far, 0))))],
               'lsm_test: result numbers outside 1..3: 7')


def check_more(tap):
    """Other broken logs, and the checks kept from the old script."""
    main = Boot('base/main', main_log())
    expect_red(tap, 'no CKPT-DONE', [Boot('base/main', main_log(done=False))],
               'no CKPT-DONE')
    expect_red(tap, 'a failing case',
               [Boot('base/main', main_log(main_programs(lsm_test=(
                   harness([('ok', 't.a'), ('not ok', 't.b'), ('ok', 't.c')]), 1))))],
               'lsm_test: not ok 2 t.b')
    expect_red(tap, 'a failing exit status without a failing case',
               [Boot('base/main', main_log(main_programs(lsm_test=(lsm_test(), 1))))],
               'lsm_test: exit status 1 without a failing case')
    expect_red(tap, 'exit 4 after a plan with results',
               [Boot('base/main', main_log(main_programs(lsm_test=(lsm_test(), 4))))],
               'lsm_test: exit status 4')
    two = lsm_test() + ['1..3']
    expect_red(tap, 'two TAP plans',
               [Boot('base/main', main_log(main_programs(lsm_test=(two, 0))))],
               'lsm_test: 2 TAP plans')
    expect_red(tap, 'a program of the plan that never ran',
               [Boot('base/main', main.log, plan=MAIN_PLAN + '/tests/gone\n')],
               'gone: did not run')
    expect_red(tap, 'the nolsm boot with checkpoint in lsm=',
               [Boot('base/nolsm', nolsm_log().replace(f'lsm={NO_LSM}', f'lsm={LSM}'),
                     'nolsm', NOLSM_PLAN)], 'holds checkpoint')
    expect_red(tap, 'a missing KUnit suite',
               [Boot('base/main', main.log, suites=SUITES + ['checkpoint_gone'])],
               'KUnit suite checkpoint_gone: no result')
    bad_kunit = kunit([('checkpoint_policy', [('op_table_test', 'ok')]),
                       ('checkpoint_hooks', [('vouch_hook_test', 'ok')])],
                      plans={'checkpoint_policy': 3})
    expect_red(tap, 'a KUnit suite short of its plan',
               [Boot('base/main', main_log(kunit_lines=bad_kunit))],
               'KUnit suite checkpoint_policy: plan 1..3 but 1 result')
    param_skip = kunit([('checkpoint_policy', [('decision_case_test', [
        ('p1', 'ok'), ('p2', 'skip')])]), ('checkpoint_hooks', [('v', 'ok')])])
    expect_red(tap, 'an unlisted skip of a KUnit parameter',
               [Boot('base/main', main_log(kunit_lines=param_skip))],
               'skip not in the skips table: decision_case_test/p2')
    expect_red(tap, 'a kernel WARNING',
               [Boot('base/main', main_log(kernel=['WARNING: CPU: 0 PID: 1 at x']))],
               'kernel: WARNING')
    only_skips = boot_log('main', {'/tests/whole_test': (WHOLE_SKIP, 4)})
    expect_red(tap, 'a boot in which nothing passed, beside a good one',
               [main, Boot('hardened/main', only_skips, 'skipsonly',
                           '/tests/whole_test\n', suites=[])],
               'hardened/main: boot: no case passed')
    expect_red(tap, 'a malformed skips table', [main], 'skips table:',
               skips=SKIPS + 'nolsm lsm_test:* no kernel part in the boot glob\n')
    check_kcsan(tap)


def check_kcsan(tap):
    """KCSAN_SCOPE: reports outside the scope are listed, not counted."""
    def report(where):
        return ['=' * 66, 'BUG: KCSAN: data-race in x / y', '',
                'write to 0x1 of 8 bytes by task 1 on cpu 0:', f' {where}+0x1/0x2',
                '=' * 66]
    scope = {'KCSAN_SCOPE': 'checkpoint|cr_op'}
    rc, out = summarise([Boot('kcsan/main', main_log(kernel=report('ext4_foo')))],
                        env=scope)
    tap.check('KCSAN report outside the scope: listed, not counted',
              rc == 0 and any('outside our code (not counted)' in l for l in out),
              out)
    expect_red(tap, 'KCSAN report inside the scope',
               [Boot('kcsan/main', main_log(kernel=report('checkpoint_vouch')))],
               'BUG: KCSAN: data-race', env=scope)


def main():
    """Run every check; return the exit status."""
    tap = Tap()
    check_good(tap)
    check_holes(tap)
    check_more(tap)
    return tap.report()


if __name__ == '__main__':
    sys.exit(main())
