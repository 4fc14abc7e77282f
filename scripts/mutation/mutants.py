# SPDX-License-Identifier: GPL-2.0
"""The mutants of the mutation suite, read from scripts/mutation/.

Each AREA.mutants file (seam.mutants, lsm.mutants, ...) holds the mutants of
one part of the tree; the file "order" lists every mutant once, in the order
of the run and of its table.  The format is described at the top of every
.mutants file; in short:

    # a comment (outside a block, or among a block's fields)
    == NAME
    rule TEXT           the invariant or rule attacked (indented lines
         MORE TEXT      continue a field, joined with one space)
    file PATH           the C file, relative to build/linux
    boot SPEC           one per boot: BOOT [kunit=SUITE[,SUITE]] [PROGRAM ...]
    kill GLOB           one per test expected to kill it (UNIT:TEST globs)
    --- old
    the text replaced, line by line, verbatim
    --- new
    the text put instead (no line: empty)
    --- end

Every line of a text is taken with its newline; a text that does not end
with one has the line "\\ no newline at end" after its last line.

Only the standard library: the runner must run wherever python3 does.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ORDER = 'order'
NO_NEWLINE = '\\ no newline at end'
FIELDS = {'rule': 'rule', 'file': 'file', 'boot': 'boots', 'kill': 'expect'}
LISTS = ('boots', 'expect')     # fields given once per line
NAME = re.compile(r'[A-Za-z0-9][A-Za-z0-9._-]*$')


@dataclass
class Mutant:
    name: str
    rule: str           # the invariant (DESIGN.md section 6) or rule attacked
    file: str           # relative to build/linux
    old: str
    new: str
    boots: list         # "BOOT [kunit=SUITES] [PROGRAM ...]"
    expect: list = field(default_factory=list)  # globs on UNIT:TEST


class MutantsError(Exception):
    """A malformed data file; the message starts with FILE:LINE."""


def shown(path):
    path = Path(path).resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def file_lines(path):
    """The lines of PATH, without their newlines (byte-exact otherwise)."""
    try:
        data = Path(path).read_bytes()
        text = data.decode('utf-8')
    except OSError as e:
        raise MutantsError(f'{shown(path)}: {e.strerror}') from None
    except UnicodeDecodeError as e:
        raise MutantsError(f'{shown(path)}:{data[:e.start].count(10) + 1}: '
                           'not UTF-8') from None
    if not text:
        return []
    if not text.endswith('\n'):
        raise MutantsError(f'{shown(path)}:{text.count(chr(10)) + 1}: '
                           'no newline at the end of the file')
    return text[:-1].split('\n')


def parse(path):
    """[(Mutant, line of its "== NAME")] of one .mutants file, in order."""
    where = shown(path)
    out = []
    state = 'outside'       # outside, fields, old, new
    m = texts = last = None

    def fail(n, msg):
        raise MutantsError(f'{where}:{n}: {msg}')

    def text_of(lines, at):
        if lines and lines[-1] == NO_NEWLINE:
            if len(lines) == 1:
                fail(at, f'"{NO_NEWLINE}" ends an empty text')
            return '\n'.join(lines[:-1])
        return ''.join(line + '\n' for line in lines)

    for n, line in enumerate(file_lines(path), 1):
        if state in ('old', 'new'):
            if line.startswith('==') or line.startswith('---'):
                want = '--- new' if state == 'old' else '--- end'
                if line != want:
                    fail(n, f'{line!r} in the {state} text of {m["name"]}: '
                         f'expected {want!r} (a text line may not begin '
                         'with "---" or "==")')
                m[state] = text_of(texts, n - 1)
                if line == '--- new':
                    state, texts = 'new', []
                else:
                    out.append((finish(m, fail), m['line']))
                    state = 'outside'
            else:
                if texts and texts[-1] == NO_NEWLINE:
                    fail(n - 1, f'"{NO_NEWLINE}" must be the last line of a '
                         'text (a missing "--- end"?)')
                texts.append(line)
            continue
        if not line.strip() or line.startswith('#'):
            continue
        if line.startswith('=='):
            if state == 'fields':
                fail(n, f'{line!r}: mutant {m["name"]} has no "--- old" '
                     'section yet')
            name = line[2:].strip()
            if not line.startswith('== ') or not NAME.match(name):
                fail(n, f'{line!r}: expected "== NAME" (letters, digits, '
                     '".", "_", "-")')
            if name == 'baseline':
                fail(n, '"baseline" names the unmutated run, not a mutant')
            m = {'name': name, 'line': n, 'boots': [], 'expect': []}
            state, last = 'fields', None
            continue
        if state == 'outside':
            fail(n, f'{line!r}: expected "== NAME" (or a comment, "#")')
        if line == '--- old':
            state, texts = 'old', []
            continue
        if line.startswith('---'):
            fail(n, f'{line!r}: expected "--- old" after the fields of '
                 f'{m["name"]}')
        if line[0] in ' \t':
            if last is None:
                fail(n, 'an indented line continues a field, but no field '
                     'precedes it')
            if last in LISTS:
                m[last][-1] += ' ' + line.strip()
            else:
                m[last] += ' ' + line.strip()
            continue
        words = line.split(None, 1)
        key = words[0]
        if key not in FIELDS:
            fail(n, f'unknown field {key!r} (rule, file, boot, kill, or '
                 '"--- old")')
        if len(words) < 2:
            fail(n, f'field {key!r} without a value')
        last, value = FIELDS[key], words[1].strip()
        if last in LISTS:
            m[last].append(value)
        elif last in m:
            fail(n, f'a second {key!r} field for {m["name"]}')
        else:
            m[last] = value
    if state != 'outside':
        fail(len(file_lines(path)), f'the file ends inside mutant '
             f'{m["name"]}: expected ' +
             {'fields': '"--- old"', 'old': '"--- new"', 'new': '"--- end"'}[state])
    return out


def finish(m, fail):
    for key in ('rule', 'file'):
        if FIELDS[key] not in m:
            fail(m['line'], f'mutant {m["name"]} has no {key!r} field')
    return Mutant(m['name'], m['rule'], m['file'], m['old'], m['new'],
                  m['boots'], m['expect'])


def load(directory=HERE):
    """Every mutant of DIRECTORY/*.mutants, in the order of DIRECTORY/order."""
    directory = Path(directory)
    defined = {}
    for path in sorted(directory.glob('*.mutants')):
        for mutant, line in parse(path):
            if mutant.name in defined:
                raise MutantsError(f'{shown(path)}:{line}: mutant '
                                   f'{mutant.name} is already defined at '
                                   f'{defined[mutant.name][1]}')
            defined[mutant.name] = (mutant, f'{shown(path)}:{line}')
    order = directory / ORDER
    listed = {}
    for n, line in enumerate(file_lines(order), 1):
        name = line.strip()
        if not name or name.startswith('#'):
            continue
        if name not in defined:
            raise MutantsError(f'{shown(order)}:{n}: no mutant {name!r} in '
                               f'{shown(directory)}/*.mutants')
        if name in listed:
            raise MutantsError(f'{shown(order)}:{n}: {name} is already '
                               f'listed at line {listed[name]}')
        listed[name] = n
    for name, (_, where) in defined.items():
        if name not in listed:
            raise MutantsError(f'{where}: mutant {name} is not listed in '
                               f'{shown(order)} (the order of the run)')
    return [defined[name][0] for name in listed]
