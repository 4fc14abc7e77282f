#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The steps scripts/mutation-check.sh runs on the mutants of scripts/mutation/.

Usage: run.py COMMAND [--only NAME[,NAME...]] [ARGS]
  names               the selected mutants, one a line, in table order
  dry-run             check, reading only, that every mutant still applies
  preflight           refuse a tree that is not what prepare-tree.sh left
  plans [--baseline]  write the per-boot plans; print INITRAMFS_EXTRA pairs
  boots NAME          "PLAN<TAB>KERNEL ARGS" of each boot of NAME (or baseline)
  apply NAME          save the file of NAME, mutate it in build/linux, touch it
  restore             put back (and touch) every file a mutant changed
  verdict NAME [--build-failed]   decide KILLED / SURVIVED / NO-RESULT
  table               the table, also written to build/mutation/table.txt;
                      exit status 0 only if every selected mutant was killed

The mutants are data: scripts/mutation/*.mutants, one file per area of the
tree (the format is described at the top of each), run in the order of
scripts/mutation/order; mutants.py reads them.  A mutant is an exact-text
replacement in a C file of the built tree (build/linux): the old text must
occur exactly once, or the mutant is an error, never a survivor.  Headers
are never mutated (a header change rebuilds the whole kernel).  Each mutant
names the boots that can kill it ("BOOT [kunit=SUITE[,SUITE]] [PROGRAM
...]": BOOT from BOOTS in scripts/test.sh, PROGRAMs from that boot's
guest/plans/ file) and the tests expected to kill it (fnmatch globs on
UNIT:TEST, as tap-summary.py names them).  A kill is a failing result line
of a named test: never a timeout, a crash without results or a structural
problem alone.
"""
import argparse
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the repo for mutants.py
from mutants import MutantsError, load as load_mutants  # noqa: E402 (beside this file)

ROOT = Path(__file__).resolve().parent.parent.parent
BUILD = ROOT / 'build'
TREE = BUILD / 'linux'
WORK = BUILD / 'mutation'
SAVED = WORK / 'saved'
PLANS = WORK / 'plans'
LOGS = WORK / 'logs'
RESULTS = WORK / 'results'
KERNEL = 'base'
KUNIT_SUITES = ('checkpoint_policy', 'checkpoint_hooks')
SHOWN_TESTS = 3
MUTANTS = []    # every mutant, in order: filled by main() from the data files


# ---- boots and plans --------------------------------------------------------

@dataclass
class Boot:
    boot: str           # a boot of BOOTS in scripts/test.sh
    suites: list        # KUnit suites to run (none: kunit.enable=0)
    programs: list      # basenames of programs of the boot's plan


def parse_boot(text):
    """A mutant's "BOOT [kunit=SUITE,...] [PROGRAM ...]"."""
    words = text.split()
    suites, programs = [], []
    for w in words[1:]:
        if w.startswith('kunit='):
            suites += [s for s in w[len('kunit='):].split(',') if s]
        else:
            programs.append(w)
    return Boot(words[0], suites, programs)


def test_boots():
    """BOOTS of scripts/test.sh: name -> (plan, kernel arguments)."""
    boots = {}
    text = (ROOT / 'scripts' / 'test.sh').read_text()
    for m in re.finditer(r'^\s*"([\w.-]+)\|([\w.-]+)\|([^"|]*)"\s*$', text, re.M):
        boots[m.group(1)] = (m.group(2), m.group(3))
    if not boots:
        raise Failure('no BOOTS found in scripts/test.sh')
    return boots


def plan_lines(plan):
    """(program basename, line) of guest/plans/PLAN, in order."""
    lines = []
    for line in (ROOT / 'guest' / 'plans' / plan).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        prog = next((w for w in line.split() if '=' not in w), None)
        if prog:
            lines.append((os.path.basename(prog), line))
    return lines


def plan_name(who, boot):
    return f'mut-{who}-{boot}'


def kernel_args(boot_args, suites, plan):
    """The boot's arguments, with KUnit limited to SUITES, and the plan."""
    words = [w for w in boot_args.split() if not w.startswith('kunit.')]
    if not suites:
        kunit = ['kunit.enable=0']
    else:
        glob = suites[0] if len(suites) == 1 else os.path.commonprefix(suites) + '*'
        kunit = ['kunit.filter=speed>slow', f'kunit.filter_glob={glob}']
    return ' '.join(kunit + words + [f'cktest={plan}'])


def boot_problems(mutant, boots):
    """Reasons why a mutant's boots cannot be run."""
    problems = []
    if not mutant.boots:
        problems.append('no boots')
    for text in mutant.boots:
        b = parse_boot(text)
        if b.boot not in boots:
            problems.append(f'boot {b.boot!r} is not in BOOTS of scripts/test.sh')
            continue
        plan = boots[b.boot][0]
        try:
            progs = [p for p, _ in plan_lines(plan)]
        except OSError as e:
            problems.append(f'boot {b.boot}: {e}')
            continue
        for p in b.programs:
            if p not in progs:
                problems.append(f'boot {b.boot}: {p} is not in guest/plans/{plan}')
        for s in b.suites:
            if s not in KUNIT_SUITES:
                problems.append(f'boot {b.boot}: unknown KUnit suite {s}')
        if not b.programs and not b.suites:
            problems.append(f'boot {b.boot}: nothing to run')
    return problems


def runs_of(name, only):
    """The boots of mutant NAME (or "baseline": every boot a selected mutant
    uses, with the union of their programs and suites)."""
    if name == 'baseline':
        return baseline_boots(selected(only))
    return [parse_boot(t) for t in find(name).boots]


def baseline_boots(mutants):
    merged = {}
    for m in mutants:
        for text in m.boots:
            b = parse_boot(text)
            into = merged.setdefault(b.boot, Boot(b.boot, [], []))
            into.suites += [s for s in b.suites if s not in into.suites]
            into.programs += [p for p in b.programs if p not in into.programs]
    return list(merged.values())


def write_plan(who, run, boots):
    """Write build/mutation/plans/mut-WHO-BOOT; return its path."""
    plan = boots[run.boot][0]
    lines = [line for prog, line in plan_lines(plan) if prog in run.programs]
    path = PLANS / plan_name(who, run.boot)
    path.write_text(f'# mutation-check.sh: {who}, boot {run.boot} '
                    f'(from guest/plans/{plan})\n' +
                    ''.join(line + '\n' for line in lines))
    return path


# ---- the tree ---------------------------------------------------------------

class Failure(Exception):
    pass


def overlay_sources():
    """Repo file -> its overlaid copy in build/linux (as prepare-tree.sh)."""
    pairs = {}
    for src in sorted((ROOT / 'security' / 'checkpoint').iterdir()):
        if src.is_file():
            pairs[src] = TREE / 'security' / 'checkpoint' / src.name
    for src in sorted((ROOT / 'kunit').glob('*.c')) + [ROOT / 'kunit' / '.kunitconfig']:
        if src.is_file():
            pairs[src] = TREE / 'security' / 'checkpoint' / src.name
    return pairs


def repo_copy(rel):
    """The repo file that prepare-tree.sh overlays onto REL, or None."""
    for src, dst in overlay_sources().items():
        if dst == TREE / rel:
            return src
    return None


def git(*args, check=True):
    env = dict(os.environ, GIT_OPTIONAL_LOCKS='0')
    return subprocess.run(['git', '-C', str(TREE), *args], env=env, check=check,
                          capture_output=True)


def patches_touching(rel):
    out = []
    for p in sorted((ROOT / 'patches' / '6.12').glob('*.patch')):
        if re.search(r'^diff --git a/' + re.escape(rel) + ' ', p.read_text(errors='replace'), re.M):
            out.append(p)
    return out


def patched_text(rel, tmp):
    """REL as prepare-tree.sh would make it: the pristine file of the "base"
    tag with patches/ applied, rebuilt in TMP (build/linux only read)."""
    pristine = git('show', f'base:{rel}', check=False)
    if pristine.returncode:
        return None
    dest = Path(tmp) / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(pristine.stdout)
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=str(Path(tmp).parent))
    for p in patches_touching(rel):
        r = subprocess.run(['git', 'apply', f'--include={rel}', str(p)], cwd=tmp,
                           env=env, capture_output=True, text=True)
        if r.returncode:
            raise Failure(f'{p.name} does not apply to {rel}: {r.stderr.strip()}')
    return dest.read_text()


def hunk_texts(rel):
    """Fallback without build/linux: the new side of every hunk for REL."""
    texts = []
    for p in patches_touching(rel):
        current, inside, hunk = None, False, []
        for line in p.read_text(errors='replace').splitlines():
            if line.startswith('diff --git '):
                current = line.split()[2][2:]
                inside = False
            elif line.startswith('@@'):
                if hunk:
                    texts.append(''.join(hunk))
                hunk, inside = [], current == rel
            elif inside and line[:1] in (' ', '+') and not line.startswith('+++'):
                hunk.append(line[1:] + '\n')
            elif inside and line == '':
                hunk.append('\n')
        if hunk:
            texts.append(''.join(hunk))
    return texts


def mutant_problems(m):
    """Reasons why mutant M is malformed, whatever the tree."""
    problems = []
    if m.file.endswith('.h') or not m.file.endswith('.c'):
        problems.append('only C files are mutated (a header rebuilds the kernel)')
    if not m.old:
        problems.append('empty old text')
    if m.old == m.new:
        problems.append('old and new text are the same')
    return problems


# ---- commands ---------------------------------------------------------------

def find(name):
    for m in MUTANTS:
        if m.name == name:
            return m
    raise Failure(f'no mutant named {name!r}')


def selected(only):
    if not only:
        return list(MUTANTS)
    names = [n for n in only.split(',') if n]
    for n in names:
        find(n)
    return [m for m in MUTANTS if m.name in names]


def cmd_names(args):
    for m in selected(args.only):
        print(m.name)


def cmd_dry_run(args):
    """Check every mutant, reading only (the rebuilt seam files go to /tmp)."""
    mutants = selected(args.only)
    boots = test_boots()
    errors, notes = 0, []
    have_tree = (TREE / '.git').is_dir() and git('rev-parse', '-q', '--verify',
                                                 'base', check=False).returncode == 0
    print(f'dry run: {len(mutants)} mutants; old text must occur exactly once')
    width = max(len(m.name) for m in mutants)
    with tempfile.TemporaryDirectory(prefix='mutation-dry-run.') as tmp:
        cache = {}
        for m in mutants:
            problems = mutant_problems(m) + boot_problems(m, boots)
            where = []
            if m.file not in cache:
                cache[m.file] = source_texts(m.file, have_tree, tmp, notes)
            for label, text, decisive in cache[m.file]:
                n = text.count(m.old) if label != 'patch hunks' else \
                    sum(t.count(m.old) for t in text)
                where.append(f'{label}: {n}')
                if decisive and n != 1:
                    problems.append(f'old text found {n} times in {m.file} ({label})')
            if not cache[m.file]:
                problems.append(f'{m.file}: found nowhere (not in the repo, '
                                'build/linux or patches/)')
            status = 'ok ' if not problems else 'ERR'
            errors += bool(problems)
            print(f'  {status} {m.name:<{width}}  {m.file:<32} {", ".join(where)}')
            print(f'  {"":3} {"":<{width}}  boots: {"; ".join(m.boots)}')
            for p in problems:
                print(f'        error: {p}')
    print('kernel command lines (KUnit limited to the suites a boot lists):')
    for b in baseline_boots(mutants):
        plan, bargs = boots[b.boot]
        print(f'  {b.boot}: {kernel_args(bargs, b.suites, plan_name("NAME", b.boot))}')
    for n in dict.fromkeys(notes):
        print(f'note: {n}')
    for p in preflight_problems(args.only):
        print(f'note: a real run would refuse to start now: {p}')
    print(f'dry run: {len(mutants) - errors} of {len(mutants)} mutants apply'
          + ('' if not errors else f', {errors} broken'))
    return 1 if errors else 0


def source_texts(rel, have_tree, tmp, notes):
    """[(label, text, decisive)] of the places REL's old text is checked."""
    out = []
    built = TREE / rel
    src = repo_copy(rel)
    if src is not None:
        out.append(('repo', src.read_text(), True))
        if built.exists() and built.read_bytes() != src.read_bytes():
            notes.append(f'build/linux/{rel} differs from {src.relative_to(ROOT)}: '
                         'run scripts/prepare-tree.sh (or --restore after an '
                         'interrupted run) before a real run')
        if built.exists():
            out.append(('build/linux', built.read_text(), False))
        return out
    if have_tree:
        text = patched_text(rel, tmp)
        if text is not None:
            out.append(('base+patches', text, True))
            if built.exists() and built.read_text() != text:
                notes.append(f'build/linux/{rel} differs from base+patches/: '
                             'patches changed since prepare-tree.sh, or an '
                             'interrupted run left a mutant (--restore)')
            if built.exists():
                out.append(('build/linux', built.read_text(), False))
            return out
    texts = hunk_texts(rel)
    if texts:
        notes.append(f'{rel}: no build/linux: checked against the new side of '
                     'the hunks of patches/ only')
        out.append(('patch hunks', texts, True))
    return out


def patches_sum():
    h = hashlib.sha256()
    for p in sorted((ROOT / 'patches' / '6.12').glob('*.patch')):
        h.update(p.read_bytes())
    return h.hexdigest()


def saved_files():
    if not SAVED.is_dir():
        return []
    return sorted(p for p in SAVED.rglob('*') if p.is_file())


def preflight_problems(only):
    """Why a real run must not start on the tree as it is (reads only)."""
    problems = []
    if saved_files():
        problems.append('an interrupted run left mutated files: '
                        'scripts/mutation-check.sh --restore')
    if not (TREE / '.git').is_dir():
        problems.append('no build/linux: run scripts/prepare-tree.sh')
    else:
        status = git('status', '--porcelain', '--untracked-files=no').stdout.decode()
        if status.strip():
            lines = status.strip().splitlines()
            problems.append('build/linux has uncommitted changes (a crashed '
                            'run? scripts/mutation-check.sh --restore, or '
                            'scripts/prepare-tree.sh): ' + ', '.join(lines[:5]) +
                            (f' (+{len(lines) - 5} more)' if len(lines) > 5 else ''))
        applied = BUILD / 'linux.patches-applied'
        if not applied.exists() or applied.read_text().strip() != patches_sum():
            problems.append('patches/ changed since the last '
                            'scripts/prepare-tree.sh: run it first')
        for src, dst in overlay_sources().items():
            if not dst.exists() or dst.read_bytes() != src.read_bytes():
                problems.append(f'build/linux/{dst.relative_to(TREE)} is not '
                                f'{src.relative_to(ROOT)}: run '
                                'scripts/prepare-tree.sh first')
    boots = test_boots()
    for m in selected(only):
        for p in mutant_problems(m) + boot_problems(m, boots):
            problems.append(f'mutant {m.name}: {p}')
        path = TREE / m.file
        if path.exists():
            n = path.read_text().count(m.old)
            if n != 1:
                problems.append(f'mutant {m.name}: old text found {n} times in '
                                f'build/linux/{m.file}')
    return problems


def cmd_preflight(args):
    """The tree must be exactly what prepare-tree.sh left."""
    problems = preflight_problems(args.only)
    for p in problems:
        print(f'[mutation] refusing: {p}', file=sys.stderr)
    return 1 if problems else 0


def cmd_plans(args):
    """Plans of the selected mutants (and of the baseline)."""
    boots = test_boots()
    shutil.rmtree(PLANS, ignore_errors=True)
    PLANS.mkdir(parents=True)
    mutants = selected(args.only)
    jobs = [(m.name, [parse_boot(t) for t in m.boots]) for m in mutants]
    if args.baseline:
        jobs.append(('baseline', baseline_boots(mutants)))
    pairs = []
    for who, runs in jobs:
        for run in runs:
            path = write_plan(who, run, boots)
            pairs.append(f'{path}:plans/{path.name}')
    print(' '.join(pairs))


def cmd_boots(args):
    boots = test_boots()
    for run in runs_of(args.name, args.only):
        plan, bargs = boots[run.boot]
        name = plan_name(args.name, run.boot)
        print(f'{name}\t{kernel_args(bargs, run.suites, name)}')


def cmd_apply(args):
    m = find(args.name)
    if saved_files():
        raise Failure('a mutated file is still saved: restore first')
    path = TREE / m.file
    text = path.read_bytes()
    n = text.count(m.old.encode())
    if n != 1:
        raise Failure(f'mutant {m.name}: old text found {n} times in '
                      f'build/linux/{m.file}: the mutant no longer applies')
    copy = SAVED / m.file
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(text)
    path.write_bytes(text.replace(m.old.encode(), m.new.encode()))
    os.utime(path)
    print(f'[mutation] {m.name}: mutated build/linux/{m.file}')


def cmd_restore(args):
    for copy in saved_files():
        rel = copy.relative_to(SAVED)
        dest = TREE / rel
        dest.write_bytes(copy.read_bytes())
        os.utime(dest)      # newer than the mutant's object: make rebuilds it
        copy.unlink()
        print(f'[mutation] restored build/linux/{rel}')
    if SAVED.is_dir():
        for d in sorted(SAVED.rglob('*'), reverse=True):
            if d.is_dir():
                d.rmdir()


FAILED = re.compile(r'^\s*- (\S+): (.+?): not ok \d+ (.*?)\s*$')
TRUNCATED = re.compile(r'^\s*- \.\.\. and \d+ more')
DONE = re.compile(r'^(?:\[\s*\d+\.\d+\] ?)?CKPT-DONE', re.M)


def boot_state(plan):
    """'' if the boot finished, else why not."""
    log, rc = LOGS / f'{plan}.log', LOGS / f'{plan}.rc'
    code = rc.read_text().strip() if rc.exists() else ''
    if code == '124':
        return 'timed out'
    if not log.exists():
        return 'no log'
    if not DONE.search(log.read_text(errors='replace')):
        return f'no CKPT-DONE (qemu exit {code or "?"})'
    return ''


def cmd_verdict(args):
    name = args.name
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {'name': name, 'verdict': 'NO-RESULT', 'killers': [], 'ignored': [],
              'unfinished': [], 'reason': ''}
    if args.build_failed:
        result['reason'] = f'build failed (build/mutation/logs/{name}.build.log)'
        return finish(result)
    if name != 'baseline':
        # a mutant that make did not compile would survive for nothing
        src = TREE / find(name).file
        obj = BUILD / f'obj-{KERNEL}' / (find(name).file[:-2] + '.o')
        if obj.exists() and obj.stat().st_mtime_ns < src.stat().st_mtime_ns:
            result['reason'] = f'{obj.relative_to(BUILD)} was not rebuilt from the mutant'
            return finish(result)
    specs, states = [], {}
    for run in runs_of(name, args.only):
        plan = plan_name(name, run.boot)
        specs.append(f'{KERNEL}/{run.boot}:{LOGS / (plan + ".log")}:'
                     f'{PLANS / plan}:{",".join(run.suites)}')
        states[run.boot] = boot_state(plan)
    out = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'tap-summary.py'),
                          '--skips', str(ROOT / 'guest' / 'skips'), *specs],
                         capture_output=True, text=True)
    (LOGS / f'{name}.summary').write_text(out.stdout + out.stderr)
    ignore = set()
    if name != 'baseline' and (RESULTS / 'baseline.json').exists():
        ignore = set(json.loads((RESULTS / 'baseline.json').read_text())['killers'])
    truncated = False
    for line in out.stdout.splitlines():
        truncated |= bool(TRUNCATED.match(line))
        m = FAILED.match(line)
        if not m:
            continue
        boot = m.group(1).split('/', 1)[-1]
        key = f'{boot}|{m.group(2)}:{m.group(3)}'
        bucket = 'ignored' if key in ignore else 'killers'
        if key not in result[bucket]:
            result[bucket].append(key)
    result['unfinished'] = [f'{b}: {s}' for b, s in states.items() if s]
    if result['killers']:
        result['verdict'] = 'KILLED'
    elif result['unfinished']:
        result['reason'] = '; '.join(result['unfinished'])
    elif truncated:
        result['reason'] = ('tap-summary cut its list of failures short: '
                            f'see build/mutation/logs/{name}.summary')
    elif out.returncode == 2 or 'passed' not in out.stdout:
        result['reason'] = f'tap-summary failed: {out.stderr.strip()[:200]}'
    else:
        result['verdict'] = 'SURVIVED'
    return finish(result)


def finish(result):
    (RESULTS / f'{result["name"]}.json').write_text(json.dumps(result, indent=1) + '\n')
    print(f'[mutation] {result["name"]}: {describe(result)}')
    if result['name'] == 'baseline':
        # the mutants' results mean nothing if the unmutated kernel does
        # not finish its boots
        return 1 if result['unfinished'] or result['verdict'] == 'NO-RESULT' else 0
    return 0


def test_name(key):
    return key.split('|', 1)[-1]


def describe(result, mutant=None):
    """The verdict and the first few failing tests (or the reason)."""
    v = result['verdict']
    killers = [test_name(k) for k in result['killers']]
    if result['name'] == 'baseline':
        if killers:
            return (f'{len(killers)} tests fail unmutated (not counted as '
                    f'kills): {", ".join(killers[:SHOWN_TESTS])}'
                    + (f' (+{len(killers) - SHOWN_TESTS} more)'
                       if len(killers) > SHOWN_TESTS else ''))
        return 'every test passes unmutated' if not result['reason'] else result['reason']
    ignored = len(result.get('ignored', []))
    also = f' [{ignored} failing unmutated too: not counted]' if ignored else ''
    if v == 'KILLED':
        text = ', '.join(dict.fromkeys(killers[:SHOWN_TESTS]))
        if len(killers) > SHOWN_TESTS:
            text += f' (+{len(killers) - SHOWN_TESTS} more)'
        if mutant and mutant.expect and not any(
                fnmatch.fnmatchcase(k, g) for k in killers for g in mutant.expect):
            text += f' [none of the expected: {", ".join(mutant.expect)}]'
        return text + also
    if v == 'SURVIVED':
        text = 'no test failed'
        if mutant and mutant.expect:
            text += f' (expected: {", ".join(mutant.expect)})'
        return text + also
    return (result.get('reason') or 'no result') + also


def cmd_table(args):
    mutants = selected(args.only)
    lines = ['mutant -> tests that failed']
    width = max(len(m.name) for m in mutants)
    killed = 0
    base = RESULTS / 'baseline.json'
    if base.exists():
        lines.append(f'  {"(unmutated)":<{width}}  {"BASELINE":<9}  '
                     f'{describe(json.loads(base.read_text()))}')
    for m in mutants:
        path = RESULTS / f'{m.name}.json'
        if path.exists():
            result = json.loads(path.read_text())
        else:
            result = {'name': m.name, 'verdict': 'NO-RESULT', 'killers': [],
                      'reason': 'not run'}
        killed += result['verdict'] == 'KILLED'
        lines.append(f'  {m.name:<{width}}  {result["verdict"]:<9}  '
                     f'{describe(result, m)}')
    lines.append(f'mutants: {killed} killed of {len(mutants)}')
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / 'table.txt').write_text('\n'.join(lines) + '\n')
    print('\n'.join(lines))
    return 0 if killed == len(mutants) else 1


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--only', default='',
                        help='comma-separated mutant names (default: all)')
    sub = parser.add_subparsers(dest='command', required=True)
    for name in ('names', 'dry-run', 'preflight', 'restore', 'table'):
        sub.add_parser(name)
    sub.add_parser('plans').add_argument('--baseline', action='store_true')
    for name in ('boots', 'apply'):
        sub.add_parser(name).add_argument('name')
    v = sub.add_parser('verdict')
    v.add_argument('name')
    v.add_argument('--build-failed', action='store_true')
    args = parser.parse_args(argv)
    commands = {
        'names': cmd_names, 'dry-run': cmd_dry_run, 'preflight': cmd_preflight,
        'plans': cmd_plans, 'boots': cmd_boots, 'apply': cmd_apply,
        'restore': cmd_restore, 'verdict': cmd_verdict, 'table': cmd_table,
    }
    try:
        MUTANTS[:] = load_mutants()
        return commands[args.command](args) or 0
    except MutantsError as e:
        print(f'[mutation] error: {e}', file=sys.stderr)
        return 2
    except Failure as e:
        print(f'[mutation] error: {e}', file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
