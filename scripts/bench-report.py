#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the bench boots' logs into the table of make bench.

Usage: bench-report.py SIDE:LOG...  (SIDE is A, checkpoint in lsm=, or B)
Boots come in the order A B A B ...; userspace ratios are taken per A/B
pair and their median reported.
"""
import platform
import re
import statistics
import subprocess
import sys

KBENCH = re.compile(r'BENCH (\S+) (\d+)\s*$')
UBENCH = re.compile(r'^BENCH-US (\S+) (\d+)\s*$')


CLOCK = re.compile(r'clocksource: Switched to clocksource (\S+)')


def parse(log):
    k, u, failed, clock = {}, {}, False, None
    with open(log, errors='replace') as f:
        for line in f:
            line = line.rstrip('\r\n')
            m = CLOCK.search(line)
            if m:
                clock = m.group(1)
            m = UBENCH.match(line)
            if m:
                u[m.group(1)] = int(m.group(2))
                continue
            m = KBENCH.search(line)
            if m:
                k[m.group(1)] = int(m.group(2))
            if re.match(r'^\s*not ok', line):
                failed = True
    return k, u, failed, clock


def med(values):
    return statistics.median(values) if values else float('nan')


def main(argv):
    boots = [(s.split(':', 1)[0], parse(s.split(':', 1)[1])) for s in argv]
    # figures timed on any clock but the TSC (jiffies: 4 ms steps) are noise
    jiffies = [s.split(':', 1)[1] for s, b in zip(argv, boots) if b[1][3] != "tsc"]
    if jiffies:
        print('bench-report: the guest clocksource was not tsc in: '
              + ' '.join(jiffies), file=sys.stderr)
        return 1
    failed = any(b[1][2] for b in boots)
    a = [b[1] for b in boots if b[0] == 'A']
    bb = [b[1] for b in boots if b[0] == 'B']

    def kmed(side, key, scale=10.0):
        return med([k[key] / scale for k, _, _, _ in side if key in k])

    out = []
    cpu = 'unknown cpu'
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    out.append(f'Machine: {cpu}, {subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()} cores; '
               f'guest: QEMU TCG (no KVM), 2 vCPUs; {len(a)} A boots, {len(bb)} B boots')
    out.append('')
    out.append('In-kernel, ns per call (median of 15 rounds x 20000 calls, irqs off; median over boots)')
    out.append(f'| {"measure":44} | {"A: checkpoint":>14} | {"B: without":>11} |')
    out.append(f'|{"-" * 46}|{"-" * 16}|{"-" * 13}|')
    rows = [
        ('untagged_cap_capable', 'cap_capable() alone, CAP_SYS_ADMIN held'),
        ('untagged_security_capable', 'security_capable(), same untagged check'),
        ('mainline_cr_check_cr_caller', "mainline's CR-or-SYS_ADMIN check, CR caller"),
        ('mainline_cr_check_admin_caller', "mainline's CR-or-SYS_ADMIN check, admin"),
        ('cap_capable_once', 'one cap_capable() call'),
        ('part_capable_hook_untagged', 'security_capable(), untagged, CR caller'),
        ('part_capable_hook_tagged', 'security_capable(), tagged, CR caller'),
        ('part_widen_hook', 'lsm_cr_op_widen(), one LSM'),
        ('tagged_mainline_op_cr_grant', 'tagged mainline op: CR grant (row 3)'),
        ('tagged_mainline_op_admin_grant', 'tagged mainline op: admin grant (row 1)'),
        ('tagged_legacy_grant', 'tagged set_tid: legacy grant (row 1)'),
        ('tagged_cr_grant', 'tagged suspend_seccomp on: CR grant (row 3)'),
        ('tagged_userns_path', 'tagged: userns path, ptrace check (row 4)'),
        ('tagged_denial', 'tagged: denial (rows 2/5)'),
    ]
    for key, label in rows:
        va, vb = kmed(a, key), kmed(bb, key)
        sb = f'{vb:11.1f}' if vb == vb else f'{"-":>11}'
        out.append(f'| {label:44} | {va:14.1f} | {sb} |')
    out.append('')
    sa, sb = kmed(a, 'untagged_security_capable'), kmed(bb, 'untagged_security_capable')
    ca, cb = kmed(a, 'untagged_cap_capable'), kmed(bb, 'untagged_cap_capable')
    # per boot, security_capable() in units of the same boot's cap_capable()
    ra = med([k['untagged_security_capable'] / k['untagged_cap_capable'] for k, _, _, _ in a
              if k.get('untagged_cap_capable')])
    rb = med([k['untagged_security_capable'] / k['untagged_cap_capable'] for k, _, _, _ in bb
              if k.get('untagged_cap_capable')])
    out.append(f'Untagged check: security_capable() {sa:.1f} ns with checkpoint in lsm=, {sb:.1f} ns without; '
               f'in units of the same boot\'s cap_capable(): {ra:.3f} vs {rb:.3f}, '
               f'so checkpoint\'s capable hook adds {100 * (ra / rb - 1):+.1f}%.')
    out.append(f'Noise floor: cap_capable() alone, the same code in both, measured {ca:.1f} ns in A and '
               f'{cb:.1f} ns in B ({100 * (ca / cb - 1):+.1f}%).')
    tag = kmed(a, 'tagged_mainline_op_cr_grant') - kmed(a, 'mainline_cr_check_cr_caller')
    adm = kmed(a, 'tagged_mainline_op_admin_grant') - kmed(a, 'mainline_cr_check_admin_caller')
    one = kmed(a, 'cap_capable_once')
    out.append(f'Tagged CR grant at a mainline op (set_tid) over mainline\'s check for the same caller, '
               f'same boot: {tag:+.1f} ns; admin caller: {adm:+.1f} ns; '
               f'one cap_capable() is {one:.1f} ns (goal: at most one cap_capable())')
    ri = med([k.get('readers_idle_max_ns', 0) for k, _, _, _ in a])
    rw = med([k.get('readers_during_writes_max_ns', 0) for k, _, _, _ in a])
    out.append(f'Policy readers (widen hook), worst single call: {ri:.0f} ns idle, '
               f'{rw:.0f} ns during 2000 policy writes (readers take no lock)')
    out.append('')
    out.append(f'Userspace, operations per second (median over boots) and A/B ratio (median of {min(len(a), len(bb))} pairs; goal >= 0.98)')
    out.append(f'| {"loop":32} | {"A ops/s":>10} | {"B ops/s":>10} | {"A/B":>6} | {"A/B range":>13} |')
    out.append(f'|{"-" * 34}|{"-" * 12}|{"-" * 12}|{"-" * 8}|{"-" * 15}|')
    names = []
    for _, u, _, _ in a:
        for n in u:
            if n not in names:
                names.append(n)
    for n in names:
        ratios = [ua[n] / ub[n] for (_, ua, _, _), (_, ub, _, _) in zip(a, bb)
                  if n in ua and n in ub and ub[n]]
        oa = med([u[n] for _, u, _, _ in a if n in u])
        ob = med([u[n] for _, u, _, _ in bb if n in u])
        rng = f'{min(ratios):.3f}-{max(ratios):.3f}' if ratios else '-'
        out.append(f'| {n:32} | {oa:10.0f} | {ob:10.0f} | {med(ratios):6.3f} | {rng:>13} |')
    out.append('getppid_control checks no capability at all: its spread is the noise floor.')
    print('\n'.join(out))
    if failed:
        print('\nA bench case reported "not ok": see the logs.')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
