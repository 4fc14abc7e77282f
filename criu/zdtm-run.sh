#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# CRIU's own test suite, zdtm (Debian 13's criu 4.1.1: the test tree of
# scripts/zdtm/build-tests.sh, unpacked in /opt), in three runs on the
# same tests:
#   root           as root, criu with every capability (the reference);
#   alice-default  as alice (uid 1000), zdtm.py run --rootless, criu
#                  carrying only cap_checkpoint_restore (file capability),
#                  the checkpoint LSM's default policy (= mainline);
#   alice-policy   the same, with suspend_seccomp, seccomp_dump and
#                  seccomp_restore on.
# Each result is held to DESIGN.md's decision table (section 5), not to what
# happened: root passes every test; alice-policy passes every test; with the
# default policy alice passes every test except those that need the seccomp
# ops, which zdtm skips as on mainline: the feature probe of criu check
# (seccomp_suspend: PTRACE_O_SUSPEND_SECCOMP, seccomp_filters:
# PTRACE_SECCOMP_GET_FILTER) is refused, so zdtm says "no FEATURE feature".
# The stats deltas of each run: the four non-mainline ops (suspend_seccomp,
# seccomp_dump, seccomp_restore, set_mm) never count a cr= grant as root (root
# passes on the legacy capability) nor for alice with the default policy
# (they are off); with the policy, the three seccomp ops do when a seccomp
# test runs, set_mm (still off) does not; alice's checkpoints go through
# CAP_CHECKPOINT_RESTORE at mainline's ops (map_files, set_tid, exe_file,
# locked_termios for the tty tests).
#
# Runs as root, a child of PID 1 (guest/init-trixie), in the Debian 13 guest
# of scripts/zdtm/build-rootfs.sh.  Environment:
#   ZDTM_TESTS    smoke (default), all (every built h test), or test names
#                 (env00 or zdtm/static/env00), separated by spaces or commas
#   ZDTM_TIMEOUT  seconds for each zdtm.py run (default 600)
#   ZDTM_PARALLEL N    zdtm.py -p N (default 1; with more, zdtm prints each
#                      test's lines when it ends: no dump/restore times)
#   ZDTM_SHOW_STATS=1  zdtm.py --show-stats (crit prints criu's own times)
#   ZDTM_VERBOSE=1     every zdtm.py log on the console, between markers
# Prints TAP (one plan, 3 * tests + 12 results) and, as "# " comments, a
# table row per test and "# ZDTM-REC {json}" records that
# scripts/zdtm/report.py reads.  Exit 0 only if every result is ok.
P=/sys/kernel/security/checkpoint
SRC=/opt/criu-4.1.1
CRIU=$(readlink -f "$(command -v criu)")
CRIT=$(command -v crit)
W=/tmp/zdtm
TIMEOUT=${ZDTM_TIMEOUT:-600}

say() { echo "# $*"; }
# the TAP summariser fails a boot whose console shows a kernel problem: the
# harness' logs quoted here must not look like one
tame() { sed -e 's/\(BUG\|WARNING\|Call Trace\)\(:\)/\1;/g' \
	-e 's/Oops/Oop-s/g; s/Kernel panic/Kernel-panic/g; s/Bail out!/Bail out./g'; }

as_alice() {
	setpriv --reuid=alice --regid=alice --init-groups -- \
		env -i HOME=/home/alice USER=alice LOGNAME=alice PATH="$PATH" \
		XDG_RUNTIME_DIR=/run/user/1000 PYTHONUNBUFFERED=1 "$@"
}
now() { date +%s.%N; }

rm -rf "$W"
mkdir -p "$W"
chmod 0755 "$W"

# ---- the tests ------------------------------------------------------------
case "${ZDTM_TESTS:-smoke}" in
smoke|all) cp "$SRC/test/zdtm-tests.${ZDTM_TESTS:-smoke}" "$W/tests" ;;
*) for t in $(echo "$ZDTM_TESTS" | tr ',' ' '); do
	case "$t" in */*) echo "$t" ;; *) echo "zdtm/static/$t" ;; esac
   done >"$W/tests" ;;
esac
NT=$(wc -l <"$W/tests")
say "zdtm: $NT tests (ZDTM_TESTS=${ZDTM_TESTS:-smoke}), $TIMEOUT s for each run"

# ---- 1. the administrator's set-up, as in criu/user-story.sh --------------
grep -q '^alice:' /etc/passwd ||
	echo 'alice:x:1000:1000:Alice:/home/alice:/bin/sh' >>/etc/passwd
grep -q '^alice:' /etc/group || echo 'alice:x:1000:' >>/etc/group
grep -q '^criu:' /etc/group || echo 'criu:x:990:alice' >>/etc/group
mkdir -p /home/alice /run/user/1000
chown alice:alice /home/alice /run/user/1000
chmod 0700 /home/alice /run/user/1000
chgrp criu "$CRIU"
chmod 0750 "$CRIU"
setcap cap_checkpoint_restore+eip "$CRIU"
[ -e /proc/sys/kernel/yama/ptrace_scope ] && echo 0 >/proc/sys/kernel/yama/ptrace_scope
# lo up (guest/init-trixie does it with ip; criu's kerndat needs it)
ip link set lo up 2>/dev/null
say "LSMs: $(cat /sys/kernel/security/lsm)"
say "criu: $(ls -l "$CRIU"), $(getcap "$CRIU"), $(criu --version | head -n 1)"
say "alice: $(as_alice id); $(as_alice grep -E '^Cap(Prm|Eff)' /proc/self/status | tr '\t\n' '  ')"
say "policy as booted: $(tr '\n' ',' <"$P/policy")"
# the three checks of the set-up
{
	grep -qw checkpoint /sys/kernel/security/lsm && echo lsm
	[ "$(stat -c '%U:%G %a' "$CRIU")" = "root:criu 750" ] &&
		getcap "$CRIU" | grep -qE ' cap_checkpoint_restore[=+]eip$' && echo criu
	as_alice sh -c 'id -Gn | grep -qw criu &&
		grep -qE "^CapEff:[[:space:]]*0+\$" /proc/self/status' &&
		{ [ ! -e /proc/sys/kernel/yama/ptrace_scope ] ||
		  grep -qx 0 /proc/sys/kernel/yama/ptrace_scope; } && echo alice
} >"$W/setup"

# Each run has its own copy of the tree (root's leaves root-owned files).
cp -a "$SRC" "$W/root"
for run in alice-default alice-policy; do
	mkdir -p "/home/alice/$run"
	cp -a "$SRC" "/home/alice/$run/"
	chown -R alice:alice "/home/alice/$run"
done

# zdtm.py starts each test as a new zdtm.py: unbuffered, its lines get their
# time stamps when they are printed
export PYTHONUNBUFFERED=1
ARGS="run -f h -p ${ZDTM_PARALLEL:-1} --keep-going --ignore-taint --criu-bin $CRIU --crit-bin $CRIT"
[ "${ZDTM_SHOW_STATS:-0}" = 1 ] && ARGS="$ARGS --show-stats"
TARGS=$(sed 's/^/-t /' "$W/tests" | tr '\n' ' ')
# a line filter that puts seconds since its start before every line
STAMP='import sys, time
t0 = time.monotonic()
for line in sys.stdin:
    sys.stdout.write("%.3f %s" % (time.monotonic() - t0, line))
    sys.stdout.flush()'

# run_zdtm RUN: one zdtm.py run; its log, exit status, wall time and the
# stats before and after go to $W/RUN.*
run_zdtm() {
	run=$1
	case "$run" in
	root) dir=$W/root/test ;;
	*) dir=/home/alice/$run/criu-4.1.1/test ;;
	esac
	say "== $run: zdtm.py $ARGS ($NT tests) in $dir"
	cat "$P/stats" >"$W/$run.stats0"
	t0=$(now)
	# shellcheck disable=SC2086  # ARGS and TARGS are word lists
	{
		if [ "$run" = root ]; then
			(cd "$dir" && timeout -k 10 "$TIMEOUT" python3 -u ./zdtm.py $ARGS $TARGS)
		else
			(cd "$dir" && as_alice timeout -k 10 "$TIMEOUT" \
				python3 -u ./zdtm.py $ARGS --rootless $TARGS)
		fi
		echo $? >"$W/$run.rc"
	} </dev/null 2>&1 | python3 -u -c "$STAMP" >"$W/$run.log"
	t1=$(now)
	cat "$P/stats" >"$W/$run.stats1"
	echo "$t0 $t1" | awk '{ printf "%.1f\n", $2 - $1 }' >"$W/$run.wall"
	# what the tests left behind: alice's processes (by pid), root's
	# tests died with their pid namespaces
	for d in /proc/[0-9]*; do
		[ "$(stat -c %u "$d" 2>/dev/null)" = 1000 ] && kill -9 "${d#/proc/}" 2>/dev/null
	done
	say "$run: zdtm.py exit $(cat "$W/$run.rc"), $(cat "$W/$run.wall") s;" \
		"$(grep -aE 'TEST\(S\) (PASSED|FAILED)' "$W/$run.log" | tail -n 1 | cut -d' ' -f2- | tr -d '#')"
	if [ "${ZDTM_VERBOSE:-0}" = 1 ]; then
		echo "# ZDTM-LOG-BEGIN $run"
		tame <"$W/$run.log" | sed 's/^/#| /'
		echo "# ZDTM-LOG-END $run"
	fi
}

run_zdtm root
run_zdtm alice-default
printf 'suspend_seccomp on\nseccomp_dump on\nseccomp_restore on\n' >"$P/policy"
say "policy: $(tr '\n' ',' <"$P/policy")"
run_zdtm alice-policy

# ---- the verdicts ---------------------------------------------------------
python3 - "$W" "$SRC/test" >"$W/tap" 2>&1 <<'EOF'
import json, os, re, sys

W, TREE = sys.argv[1], sys.argv[2]
RUNS = ['root', 'alice-default', 'alice-policy']
NON_MAINLINE = ['suspend_seccomp', 'seccomp_dump', 'seccomp_restore', 'set_mm']
SECCOMP_OPS = ['suspend_seccomp', 'seccomp_dump', 'seccomp_restore']
# criu check features that stand on the seccomp ops: mainline (and the
# default policy) refuses their probes to a CAP_CHECKPOINT_RESTORE holder
SECCOMP_FEATURES = ['seccomp_suspend', 'seccomp_filters']

tests = [l.strip() for l in open(os.path.join(W, 'tests')) if l.strip()]
# one test at a time: the time stamps of a test's lines are when they
# happened, so dump and restore can be timed
SERIAL = os.environ.get('ZDTM_PARALLEL', '1') == '1'


def desc(t):
    p = os.path.join(TREE, t + '.desc')
    if os.path.exists(p) and os.path.getsize(p) > 0:
        return eval(open(p).read())
    return {}


def features(t):
    return desc(t).get('feature', '').split()


def stats(path):
    out = {}
    for line in open(path):
        f = line.split()
        if f:
            out[f[0]] = {k: int(v) for k, v in (x.split('=') for x in f[1:])}
    return out


# a test's block: zdtm.py prints it as the test runs (-p 1) or, from the
# test's own log, when it ends (-p 2)
RUN_LINE = re.compile(r'^=* ?Run (zdtm/\S+) in \S+ ?=*$')
SKIP_LINE = re.compile(r'^Skipping (zdtm/\S+) \((.*)\)\s*$')
PASS_LINE = re.compile(r'^=* ?Test (zdtm/\S+) PASS\b')
FAIL_LINE = re.compile(r'^#* ?Test (zdtm/\S+) FAIL at (.*?) ?#*$')
ERROR = re.compile(r'(ERR: .*|Error \(.*|\(\d+\.\d+\) Error.*)')
SUMMARY = re.compile(r'(ALL TEST\(S\) PASSED|\d+ TEST\(S\) FAILED)')


def parse(run):
    """Per test: result, reason, times, the lines of its block."""
    res = {}
    cur = None
    t_dump = t_rst = None
    done = False
    for raw in open(os.path.join(W, run + '.log'), errors='replace'):
        ts, _, line = raw.rstrip('\n').partition(' ')
        try:
            ts = float(ts)
        except ValueError:
            continue
        if SUMMARY.search(line):
            done = True
        m = RUN_LINE.match(line)
        if m:
            cur = m.group(1)
            res[cur] = {'result': 'none', 'reason': 'no result in the log',
                        'start': ts, 'lines': []}
            t_dump = t_rst = None
            continue
        m = SKIP_LINE.match(line)
        if m:
            res[m.group(1)] = {'result': 'skip', 'reason': m.group(2),
                               'lines': [line]}
            continue
        if cur is None:
            continue
        r = res[cur]
        r['lines'].append(line)
        if not SERIAL:
            pass
        elif line.startswith('Run criu dump'):
            t_dump = ts
        elif line.startswith('Run criu restore') and t_dump is not None:
            r['dump'] = round(ts - t_dump, 3)
            t_rst = ts
        elif line.startswith('Send the ') and t_rst is not None:
            r['restore'] = round(ts - t_rst, 3)
            t_rst = None
        elif re.match(r'\s*"(frozen_time|restore_time)": \d+', line):
            k, v = line.strip().rstrip(',').split(': ')
            r['criu_' + k.strip('"')] = int(v) / 1e6
        m = PASS_LINE.match(line)
        if m and m.group(1) == cur:
            r.update(result='pass', reason='')
            if SERIAL:
                r['time'] = round(ts - r['start'], 3)
            cur = None
            continue
        m = FAIL_LINE.match(line)
        if m and m.group(1) == cur:
            r.update(result='fail', reason='at ' + m.group(2))
            if SERIAL:
                r['time'] = round(ts - r['start'], 3)
        elif 'error' not in r and ERROR.search(line):
            # the first error the test or criu reported: why it failed
            r['error'] = ERROR.search(line).group(0)[:160]
    return res, done


def expect(run, t):
    """(result, reason) the decision table gives for test t in run."""
    if run == 'alice-default':
        for f in features(t):
            if f in SECCOMP_FEATURES:
                return 'skip', 'no %s feature' % f
    return 'pass', ''


results = []


def check(ok, name, *comments):
    results.append((ok, name, comments))


setup = open(os.path.join(W, 'setup')).read().split()
check('lsm' in setup, 'setup: the checkpoint LSM is active')
check('criu' in setup, 'setup: criu is root:criu 0750 with cap_checkpoint_restore=eip only')
check('alice' in setup,
      'setup: alice is in group criu, holds no capability, Yama ptrace_scope 0')

data = {}
for run in RUNS:
    res, done = parse(run)
    rc = open(os.path.join(W, run + '.rc')).read().strip()
    wall = float(open(os.path.join(W, run + '.wall')).read())
    s0 = stats(os.path.join(W, run + '.stats0'))
    s1 = stats(os.path.join(W, run + '.stats1'))
    delta = {op: {k: s1[op][k] - s0.get(op, {}).get(k, 0) for k in s1[op]}
             for op in s1}
    data[run] = dict(res=res, done=done, rc=rc, wall=wall, delta=delta)
    check(done and rc not in ('124', '137'),
          '%s: zdtm.py ran to its end within %s s' % (run, os.environ.get('ZDTM_TIMEOUT', '600')),
          'exit %s, %.1f s wall' % (rc, wall))
    for t in tests:
        r = res.get(t, {'result': 'none', 'reason': 'not run', 'lines': []})
        want, why = expect(run, t)
        ok = r['result'] == want and (want != 'skip' or r['reason'] == why)
        short = t.split('/')[-1]
        if want == 'skip':
            name = '%s %s: skipped, "%s" (refused as on mainline)' % (run, short, why)
        else:
            name = '%s %s: passes' % (run, short)
        com = ['got %s%s%s' % (r['result'], ', ' + r['reason'] if r['reason'] else '',
                               ': ' + r['error'] if r.get('error') else '')]
        if 'dump' in r or 'restore' in r:
            com.append('dump %.2f s, restore %.2f s, test %.2f s' %
                       (r.get('dump', 0), r.get('restore', 0), r.get('time', 0)))
        if not ok:
            com += ['| ' + l for l in r['lines'][-60:]]
        check(ok, name, *com)

    def cr(op):
        return delta.get(op, {}).get('cr', 0)

    moved = 'stats delta: ' + (', '.join('%s %s' % (op, ' '.join(
        '%s+%d' % (k, v) for k, v in delta[op].items() if v))
        for op in delta if any(delta[op].values())) or 'none')
    ran = [t for t in tests if expect(run, t)[0] == 'pass']
    if run in ('root', 'alice-default'):
        check(all(cr(op) == 0 for op in NON_MAINLINE),
              '%s: stats: no cr= grant at %s' % (run, ', '.join(NON_MAINLINE)), moved)
    if run != 'root':
        want = ['map_files', 'set_tid', 'exe_file'] if ran else []
        if any(re.search(r'(pty|tty)', t.split('/')[-1]) for t in ran):
            want.append('locked_termios')
        check(all(cr(op) > 0 for op in want),
              '%s: stats: cr= grants at mainline ops %s' % (run, ', '.join(want) or '(none ran)'),
              moved)
    if run == 'alice-policy':
        feats = {f for t in tests for f in features(t)}
        if 'seccomp_filters' in feats:
            want = SECCOMP_OPS
        elif 'seccomp_suspend' in feats:
            want = ['suspend_seccomp']
        else:
            want = []
        rest = [op for op in SECCOMP_OPS if op not in want]
        check(all(cr(op) > 0 for op in want) and all(cr(op) == 0 for op in rest),
              '%s: stats: cr= grants at %s' % (run, ', '.join(want) or 'no seccomp op (no seccomp test)'),
              moved)
        check(cr('set_mm') == 0, '%s: stats: set_mm (off) has no cr= grant' % run, moved)

# the table and the records for scripts/zdtm/report.py
def cell(r):
    if r is None:
        return 'none'
    why = r['reason'] + (': ' + r['error'] if r.get('error') else '')
    return r['result'] + (' (%s)' % why if r['result'] != 'pass' and why else '')


print('# ZDTM-TABLE-BEGIN')
print('# | test | root | alice-default | alice-policy | dump s (root/default/policy) | restore s |')
for t in tests:
    rs = [data[run]['res'].get(t) for run in RUNS]
    tm = lambda k: '/'.join('%.2f' % r[k] if r and k in r else '-' for r in rs)
    print('# | %s | %s | %s | %s | %s | %s |' % (t.split('/')[-1], *(cell(r) for r in rs),
                                             tm('dump'), tm('restore')))
for run in RUNS:
    d = data[run]
    print('# | wall %s | %.1f s | zdtm.py exit %s |' % (run, d['wall'], d['rc']))
print('# ZDTM-TABLE-END')
for run in RUNS:
    d = data[run]
    for t in tests:
        r = dict(d['res'].get(t) or {'result': 'none', 'reason': 'not run'})
        r.pop('lines', None)
        r.pop('start', None)
        print('# ZDTM-REC ' + json.dumps(dict(kind='test', run=run, test=t, **r)))
    print('# ZDTM-REC ' + json.dumps(dict(kind='run', run=run, wall=d['wall'], rc=d['rc'],
                                          done=d['done'], delta=d['delta'])))

print('TAP version 13')
print('1..%d' % len(results))
failed = 0
for i, (ok, name, comments) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name.replace('#', '')))
    for c in comments:
        print('#   ' + c)
    failed += not ok
print('# zdtm: %d of %d as the decision table says' % (len(results) - failed, len(results)))
sys.exit(1 if failed else 0)
EOF
rc=$?
tame <"$W/tap"
exit $rc
