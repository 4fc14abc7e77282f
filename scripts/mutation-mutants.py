#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The mutants of scripts/mutation-check.sh, and the steps it runs on them.

Usage: mutation-mutants.py COMMAND [--only NAME[,NAME...]] [ARGS]
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

A mutant is an exact-text replacement in a C file of the built tree
(build/linux): the old text must occur exactly once, or the mutant is an
error, never a survivor.  Headers are never mutated (a header change
rebuilds the whole kernel).  Each mutant names the boots that can kill it
("BOOT [kunit=SUITE[,SUITE]] [PROGRAM ...]": BOOT from BOOTS in
scripts/test.sh, PROGRAMs from that boot's guest/plans/ file) and the tests
expected to kill it (fnmatch globs on UNIT:TEST, as tap-summary.py names
them).  A kill is a failing result line of a named test: never a timeout,
a crash without results or a structural problem alone.
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


@dataclass
class Mutant:
    name: str
    rule: str           # the invariant (DESIGN.md section 6) or rule attacked
    file: str           # relative to build/linux
    old: str
    new: str
    boots: list         # "BOOT [kunit=SUITES] [PROGRAM ...]"
    expect: list = field(default_factory=list)  # globs on UNIT:TEST


# ---- the mutants ------------------------------------------------------------
# Strings are Python literals: \t is a tab, \n a newline.  Adjacent literals
# are concatenated, one source line of the kernel file per literal.

SEC = 'security/checkpoint/'
MUTANTS = [
    Mutant('widen-negative-answers',
           'I6, finding 1: an error answer of cr_op_widen never widens',
           'security/security.c',
           'widen |= cr_op_widen_bits(scall->hl->hook.cr_op_widen(cred, op,',
           'widen |= (scall->hl->hook.cr_op_widen(cred, op,',
           ['main kunit=checkpoint_hooks'],
           ['checkpoint_hooks:widen_negative_answer_test']),
    Mutant('widen-scope',
           'I6/I3, finding 2 of v1 and 1 of v2: the seam widens no further '
           'than the op\'s row, masked where the grant is decided',
           'kernel/capability.c',
           '\twiden = lsm_cr_op_widen(current_cred(), op, ns, target) &\n'
           '\t\tcr_op_widen_allowed(op);\n',
           '\twiden = lsm_cr_op_widen(current_cred(), op, ns, target);\n',
           ['main kunit=checkpoint_hooks'],
           ['checkpoint_hooks:widen_bounded_at_caller_test']),
    Mutant('legacy-first-order',
           'I1, finding 4, seam order of checks: legacy cap first only where '
           'the row says legacy_first',
           'kernel/capability.c',
           '\tif (info->legacy_first && ns_capable_common(ns, info->legacy_cap, opts))\n',
           '\tif (ns_capable_common(ns, info->legacy_cap, opts))\n',
           ['main kunit=checkpoint_hooks order_test'],
           ['order_test:order.*', 'checkpoint_hooks:op_grant_matrix_test']),
    Mutant('plain-op-legacy-first',
           'I1, finding 4, the seam\'s short path: an op no LSM may widen asks '
           'CAP_CHECKPOINT_RESTORE first, as mainline does',
           'kernel/capability.c',
           '\treturn ns_capable_common(ns, CAP_CHECKPOINT_RESTORE, opts) ||\n'
           '\t       cr_op_plain_legacy_capable(op, ns);\n',
           '\treturn cr_op_plain_legacy_capable(op, ns) ||\n'
           '\t       ns_capable_common(ns, CAP_CHECKPOINT_RESTORE, opts);\n',
           ['main kunit=checkpoint_hooks order_test'],
           ['order_test:order.*', 'checkpoint_hooks:op_grant_matrix_test']),
    Mutant('plain-op-legacy-first-grant',
           'I1, the short path of checkpoint_restore_op_grant(), which names '
           'the capability that passed: CAP_CHECKPOINT_RESTORE first',
           'kernel/capability.c',
           '\tif (ns_capable_common(ns, CAP_CHECKPOINT_RESTORE, opts))\n'
           '\t\treturn CR_GRANT_CR;\n'
           '\treturn cr_op_plain_legacy_capable(op, ns) ? CR_GRANT_LEGACY : CR_GRANT_NONE;\n',
           '\tif (cr_op_plain_legacy_capable(op, ns))\n'
           '\t\treturn CR_GRANT_LEGACY;\n'
           '\treturn ns_capable_common(ns, CAP_CHECKPOINT_RESTORE, opts) ? CR_GRANT_CR : CR_GRANT_NONE;\n',
           ['main kunit=checkpoint_hooks'],
           ['checkpoint_hooks:op_grant_matrix_test']),
    Mutant('plain-path-scope',
           'I3, the seam\'s short path: an op whose row lets an LSM widen to '
           'the target\'s user namespace (map_files) never skips the widen hook',
           'kernel/capability.c',
           '\treturn !info->cr_in_mainline || info->target_userns || info->legacy_first;\n',
           '\treturn !info->cr_in_mainline || info->legacy_first;\n',
           ['main userns_test'],
           ['userns_test:*']),
    Mutant('seccomp-restore-cr-first',
           'seam order of checks, seccomp_restore: CAP_SYS_ADMIN holders keep '
           'mainline\'s path (legacy_first in the row)',
           'kernel/capability.c',
           'CAP_SYS_ADMIN, true,\n'
           '\t\t\t\t    false, false, true },\n',
           'CAP_SYS_ADMIN, true,\n'
           '\t\t\t\t    false, false, false },\n',
           ['main kunit=checkpoint_hooks order_test seccomp_restore_test'],
           ['seccomp_restore_test:install.on_cr_and_admin.outcome',
            'order_test:order.SECCOMP_RESTORE_*',
            'checkpoint_hooks:op_grant_matrix_test']),
    Mutant('exe-file-composition',
           'finding 6: PR_SET_MM_EXE_FILE through CAP_CHECKPOINT_RESTORE also '
           'needs exe_file',
           'kernel/sys.c',
           '\t\tif (grant == CR_GRANT_CR &&\n'
           '\t\t    !checkpoint_restore_op_capable(CR_OP_EXE_FILE,\n',
           '\t\tif (0 && grant == CR_GRANT_CR &&\n'
           '\t\t    !checkpoint_restore_op_capable(CR_OP_EXE_FILE,\n',
           ['main exe_file_test order_test'],
           ['exe_file_test:exe.cr_exe_file_off.*',
            'order_test:order.SET_MM_EXE_FILE_*']),
    Mutant('userns-no-attach-check',
           'I3, target-userns scope: no CAP_CHECKPOINT_RESTORE in the target\'s '
           'namespace without ptrace-attach rights',
           'kernel/capability.c',
           '\tif (!ptrace_may_access(target,\n'
           '\t\t\t       PTRACE_MODE_ATTACH_FSCREDS | PTRACE_MODE_NOAUDIT))\n'
           '\t\treturn false;\n',
           '',
           ['main userns_test order_test'],
           ['userns_test:rootless.userns_sibling_not_attachable.*',
            'order_test:global.map_files_userns_one_attach_check']),
    Mutant('target-userns-for-any-op',
           'I3, target-userns scope: the target path only on CR_WIDEN_TARGET_USERNS '
           '(map_files)',
           'kernel/capability.c',
           'if (target && (widen & CR_WIDEN_TARGET_USERNS) &&',
           'if (target && (widen & (CR_WIDEN_NS | CR_WIDEN_TARGET_USERNS)) &&',
           ['main crossns_test'],
           ['crossns_test:crossns.*']),
    Mutant('seccomp-restore-no-nnp',
           'seccomp_restore: a CAP_CHECKPOINT_RESTORE install sets no_new_privs',
           'kernel/seccomp.c',
           '\t\tif (grant == CR_GRANT_CR)\n'
           '\t\t\ttask_set_no_new_privs(current);\n',
           '\t\tif (0 && grant == CR_GRANT_CR)\n'
           '\t\t\ttask_set_no_new_privs(current);\n',
           ['main seccomp_restore_test'],
           ['seccomp_restore_test:install.on_cr.outcome']),
    Mutant('capable-never-refuses',
           'I6, row 2: the capable hook refuses CAP_CHECKPOINT_RESTORE at an off op',
           SEC + 'lsm.c',
           '\tif (gate & BIT(0)) {\n',
           '\tif (0 && (gate & BIT(0))) {\n',
           ['main kunit=checkpoint_hooks ops_test'],
           ['ops_test:ops.*_OFF_CR.verdict',
            'checkpoint_hooks:capable_hook_refuses_off_test',
            'checkpoint_hooks:op_grant_matrix_test']),
    Mutant('legacy-refused-when-off',
           'I1, row 1: the legacy capability always passes, whatever the mode',
           SEC + 'lsm.c',
           '\t\tthis_cpu_inc(checkpoint_counts[op][CHECKPOINT_TALLY_LEGACY]);\n'
           '\t\treturn 0;\n',
           '\t\tthis_cpu_inc(checkpoint_counts[op][CHECKPOINT_TALLY_LEGACY]);\n'
           '\t\treturn (READ_ONCE(checkpoint_gate) >> op) & 1 ? -EPERM : 0;\n',
           ['main kunit=checkpoint_hooks ops_test'],
           ['ops_test:ops.*_LEGACY.verdict',
            'checkpoint_hooks:op_grant_matrix_test',
            'checkpoint_hooks:capable_hook_refuses_off_test']),
    Mutant('untagged-checks-filtered',
           'I2: untagged CAP_CHECKPOINT_RESTORE checks pass through untouched',
           SEC + 'lsm.c',
           '\tif (likely(!(opts & CAP_OPT_CR_OP_MASK)))\n'
           '\t\treturn 0;\n',
           '\tif (likely(!(opts & CAP_OPT_CR_OP_MASK)))\n'
           '\t\treturn (cap == CAP_CHECKPOINT_RESTORE &&\n'
           '\t\t\t(READ_ONCE(checkpoint_gate) & BIT(CR_OP_SET_TID))) ? -EPERM : 0;\n',
           ['main kunit=checkpoint_hooks i2_test'],
           ['checkpoint_hooks:untagged_checks_untouched_test', 'i2_test:*']),
    Mutant('fast-path-wrong-bits',
           'I5/I2: the capable hook\'s one fast-path branch tests exactly the '
           'op tag',
           SEC + 'lsm.c',
           '\tif (likely(!(opts & CAP_OPT_CR_OP_MASK)))\n',
           '\tif (likely(!(opts & CAP_OPT_NOAUDIT)))\n',
           ['main kunit=checkpoint_hooks ops_test'],
           ['ops_test:ops.*_OFF_CR.verdict',
            'checkpoint_hooks:capable_hook_refuses_off_test',
            'checkpoint_hooks:op_grant_matrix_test']),
    Mutant('stats-refused-as-cr',
           'stats, finding 7: a refusal moves refused=, not cr=',
           SEC + 'lsm.c',
           'this_cpu_inc(checkpoint_counts[op][CHECKPOINT_TALLY_REFUSED]);',
           'this_cpu_inc(checkpoint_counts[op][CHECKPOINT_TALLY_CR]);',
           ['main kunit=checkpoint_hooks stats_test'],
           ['stats_test:stats.*_off_CR.moves',
            'checkpoint_hooks:op_grant_matrix_test']),
    Mutant('stats-legacy-as-cr',
           'stats: a legacy grant moves legacy=, not cr=',
           SEC + 'lsm.c',
           'this_cpu_inc(checkpoint_counts[op][CHECKPOINT_TALLY_LEGACY]);',
           'this_cpu_inc(checkpoint_counts[op][CHECKPOINT_TALLY_CR]);',
           ['main kunit=checkpoint_hooks stats_test'],
           ['stats_test:stats.*_LEGACY.moves',
            'checkpoint_hooks:op_grant_matrix_test']),
    Mutant('audit-target-is-caller',
           'audit: a grant record names the task acted on (opid=)',
           SEC + 'lsm.c',
           '\treturn ct->op == op ? ct->target : 0;\n',
           '\treturn ct->op == op ? task_tgid_nr(current) : 0;\n',
           ['main stats_test'],
           ['stats_test:audit.suspend_seccomp_cr.records',
            'stats_test:audit.seccomp_dump_cr.records']),
    Mutant('audit-ignores-noaudit',
           'audit: no grant record at a check its call site keeps unaudited '
           'when mainline makes that grant',
           SEC + 'lsm.c',
           '\tif ((opts & CAP_OPT_NOAUDIT) && checkpoint_op_cr_in_mainline(op))\n'
           '\t\treturn 0;\n',
           '\tif (0 && (opts & CAP_OPT_NOAUDIT))\n'
           '\t\treturn 0;\n',
           ['main stats_test'],
           ['stats_test:audit.*_noaudit.records']),
    Mutant('audit-noaudit-hides-widened',
           'review finding 4: a widened grant at a noaudit site '
           '(seccomp_restore) is logged when audit is on',
           SEC + 'lsm.c',
           '\tif ((opts & CAP_OPT_NOAUDIT) && checkpoint_op_cr_in_mainline(op))\n',
           '\tif (opts & CAP_OPT_NOAUDIT)\n',
           ['main stats_test'],
           ['stats_test:audit.seccomp_restore_cr.records']),
    Mutant('config-relock-audited',
           'review finding 6: locking a locked policy changes nothing and '
           'leaves no record',
           SEC + 'lsm.c',
           '\tif (!was)\n'
           '\t\tcheckpoint_audit_config("lock", NULL, "0", "1", 0);\n',
           '\tcheckpoint_audit_config("lock", NULL, "0", "1", 0);\n',
           ['main lock_test'],
           ['lock_test:global.lock_is_one_way']),
    Mutant('config-refusal-unaudited',
           'review finding 6: a write refused before the configuration '
           '(bad input, no CAP_MAC_ADMIN) leaves a res=0 record',
           SEC + 'lsm.c',
           '\tcheckpoint_audit_config(file, NULL, NULL, NULL, err);\n',
           '\t(void)file;\n',
           ['main stats_test'],
           ['stats_test:global.config_changes_audited']),
    Mutant('config-locked-write-unaudited',
           'review finding 6: a policy write refused by the lock leaves a '
           'res=0 record',
           SEC + 'lsm.c',
           '\tif (checkpoint_locked) {\n'
           '\t\tret = -EPERM;\n'
           '\t} else {\n'
           '\t\tprev = rcu_dereference_protected(checkpoint_active,\n'
           '\t\t\t\t\t\t lockdep_is_held(&checkpoint_mutex))->policy;\n'
           '\t\tnext = prev;\n',
           '\tif (checkpoint_locked) {\n'
           '\t\tmutex_unlock(&checkpoint_mutex);\n'
           '\t\tkfree(new);\n'
           '\t\treturn -EPERM;\n'
           '\t} else {\n'
           '\t\tprev = rcu_dereference_protected(checkpoint_active,\n'
           '\t\t\t\t\t\t lockdep_is_held(&checkpoint_mutex))->policy;\n'
           '\t\tnext = prev;\n',
           ['main lock_test'],
           ['lock_test:global.lock_is_one_way']),
    Mutant('config-res-always-success',
           'review finding 6: res= says whether the write took effect',
           SEC + 'lsm.c',
           '\taudit_log_format(ab, " res=%d", !err);\n',
           '\taudit_log_format(ab, " res=%d", 1);\n',
           ['main stats_test'],
           ['stats_test:global.config_changes_audited']),
    Mutant('gate-stale-after-write',
           'I6: a policy write reaches the capable hook (the gate follows '
           'every swap)',
           SEC + 'lsm.c',
           '\t\t\t\t  lockdep_is_held(&checkpoint_mutex));\n'
           '\tcheckpoint_gate_update();\n',
           '\t\t\t\t  lockdep_is_held(&checkpoint_mutex));\n',
           ['main kunit=checkpoint_hooks ops_test'],
           ['ops_test:ops.*_OFF_CR.verdict',
            'checkpoint_hooks:capable_hook_refuses_off_test',
            'checkpoint_hooks:op_grant_matrix_test']),
    Mutant('gate-stale-after-audit',
           'audit: switching audit on reaches the capable hook',
           SEC + 'lsm.c',
           '\t\tWRITE_ONCE(checkpoint_audit, on);\n'
           '\t\tcheckpoint_gate_update();\n',
           '\t\tWRITE_ONCE(checkpoint_audit, on);\n',
           ['main stats_test'],
           ['stats_test:audit.*_cr.records']),
    Mutant('config-change-not-audited',
           'audit, I4: every policy change is audited',
           SEC + 'lsm.c',
           '\t\tif (changed & BIT(op))\n'
           '\t\t\tcheckpoint_audit_config("policy", checkpoint_op_name(op),\n',
           '\t\tif (0 && (changed & BIT(op)))\n'
           '\t\t\tcheckpoint_audit_config("policy", checkpoint_op_name(op),\n',
           ['main stats_test'],
           ['stats_test:global.config_changes_audited']),
    Mutant('lock-ignored',
           'I4, lock: a locked policy never changes',
           SEC + 'lsm.c',
           '\tif (checkpoint_locked) {\n'
           '\t\tret = -EPERM;\n'
           '\t} else {\n'
           '\t\tprev = rcu_dereference_protected(checkpoint_active,\n'
           '\t\t\t\t\t\t lockdep_is_held(&checkpoint_mutex))->policy;\n'
           '\t\tnext = prev;\n',
           '\tif (0 && checkpoint_locked) {\n'
           '\t\tret = -EPERM;\n'
           '\t} else {\n'
           '\t\tprev = rcu_dereference_protected(checkpoint_active,\n'
           '\t\t\t\t\t\t lockdep_is_held(&checkpoint_mutex))->policy;\n'
           '\t\tnext = prev;\n',
           ['main lock_test', 'locked bootparam_test'],
           ['lock_test:global.lock_is_one_way',
            'bootparam_test:global.locked_at_boot']),
    Mutant('boot-policy-ignored',
           'boot parameters: checkpoint.policy= is the policy in force',
           SEC + 'lsm.c',
           '\t*policy = parsed;\n',
           '',
           ['allon bootparam_test'],
           ['bootparam_test:global.policy_from_boot',
            'bootparam_test:global.policy_in_force']),
    Mutant('boot-lock-ignored',
           'boot parameters, lock: checkpoint.lock=1 locks before init runs',
           SEC + 'lsm.c',
           '\tcheckpoint_locked = checkpoint_boot_lock;\n',
           '',
           ['locked bootparam_test'],
           ['bootparam_test:global.policy_from_boot',
            'bootparam_test:global.locked_at_boot']),
    Mutant('defaults-not-mainline',
           'I1: the default policy is mainline (the six mainline ops on)',
           SEC + 'policy.c',
           '\t\tpolicy->mode[op] = checkpoint_op_cr_in_mainline(op) ?\n'
           '\t\t\tCHECKPOINT_MODE_ON : CHECKPOINT_MODE_OFF;\n',
           '\t\tpolicy->mode[op] = CHECKPOINT_MODE_ON;\n',
           ['main kunit=checkpoint_policy policy_test ops_test'],
           ['policy_test:policy.defaults', 'ops_test:ops.*_DEFAULT_*.verdict',
            'checkpoint_policy:defaults_test']),
    Mutant('parser-partial-write',
           'parser, I4: a write is all or nothing',
           SEC + 'policy.c',
           '\t\t\treturn ret;\n'
           '\t\tpos += line_len + (nl ? 1 : 0);\n',
           '\t\t\tbreak;\n'
           '\t\tpos += line_len + (nl ? 1 : 0);\n',
           ['main kunit=checkpoint_policy policy_test'],
           ['policy_test:policy.bad_writes_change_nothing',
            'checkpoint_policy:parse_*']),
    Mutant('parser-accepts-unknown-op',
           'parser: an unknown op rejects the write',
           SEC + 'policy.c',
           '\tif (op == CR_OP_NONE || mode < 0 || !checkpoint_op_accepts_mode(op, mode))\n'
           '\t\treturn -EINVAL;\n',
           '\tif (op == CR_OP_NONE)\n'
           '\t\treturn 0;\n'
           '\tif (mode < 0 || !checkpoint_op_accepts_mode(op, mode))\n'
           '\t\treturn -EINVAL;\n',
           ['main kunit=checkpoint_policy policy_test'],
           ['policy_test:policy.bad_writes_change_nothing',
            'checkpoint_policy:parse_*']),
    Mutant('opener-check-dropped',
           'I4, securityfs opener rule: the opener needs CAP_MAC_ADMIN too',
           SEC + 'securityfs.c',
           '\treturn file_ns_capable(file, &init_user_ns, CAP_MAC_ADMIN) &&\n'
           '\t       ns_capable(&init_user_ns, CAP_MAC_ADMIN);\n',
           '\treturn ns_capable(&init_user_ns, CAP_MAC_ADMIN);\n',
           ['main policy_test'],
           ['policy_test:global.opened_without_mac_admin']),
    Mutant('writer-check-dropped',
           'I4, securityfs writer rule: the writer needs CAP_MAC_ADMIN too',
           SEC + 'securityfs.c',
           '\treturn file_ns_capable(file, &init_user_ns, CAP_MAC_ADMIN) &&\n'
           '\t       ns_capable(&init_user_ns, CAP_MAC_ADMIN);\n',
           '\treturn file_ns_capable(file, &init_user_ns, CAP_MAC_ADMIN);\n',
           ['main policy_test', 'stress escape_test'],
           ['policy_test:policy.who_may_write',
            'escape_test:global.cr_holder_cannot_administer']),
    Mutant('userns-suspend-chain-unchecked',
           'I3, DESIGN 4b: suspending through CAP_CHECKPOINT_RESTORE in the '
           'tracee\'s namespace needs every filter installed where the '
           'tracer holds it',
           'kernel/ptrace.c',
           '\t\tif (grant == CR_GRANT_NONE ||\n'
           '\t\t    (grant == CR_GRANT_TARGET_USERNS &&\n'
           '\t\t     !seccomp_filters_checkpointable(child)))\n',
           '\t\tif (grant == CR_GRANT_NONE)\n',
           ['main rootless_test'],
           ['rootless_test:rootless.outer_filter_userns.*',
            'rootless_test:rootless.listener_userns.*']),
    Mutant('userns-dump-filter-unchecked',
           'I3, DESIGN 4b: dumping through CAP_CHECKPOINT_RESTORE in the '
           'tracee\'s namespace reaches only filters installed where the '
           'tracer holds it',
           'kernel/seccomp.c',
           '\tif (grant == CR_GRANT_TARGET_USERNS &&\n'
           '\t    !seccomp_filter_checkpointable(filter)) {\n'
           '\t\tret = -EACCES;\n'
           '\t\tgoto out;\n'
           '\t}\n'
           '\n'
           '\tfprog = filter->prog->orig_prog;\n',
           '\tfprog = filter->prog->orig_prog;\n',
           ['main rootless_test'],
           ['rootless_test:rootless.outer_filter_userns.*',
            'rootless_test:rootless.listener_userns.*']),
    Mutant('userns-metadata-filter-unchecked',
           'I3, DESIGN 4b: the metadata of a filter out of reach stays out '
           'of reach',
           'kernel/seccomp.c',
           '\t\tgoto out;\n'
           '\t}\n'
           '\n'
           '\tif (filter->log)\n',
           '\t}\n'
           '\n'
           '\tif (filter->log)\n',
           ['main rootless_test'],
           ['rootless_test:rootless.outer_filter_userns.*']),
    Mutant('userns-listener-ignored',
           'DESIGN 4b: a filter with a listener is never suspended or dumped '
           'through the tracee\'s namespace',
           'kernel/seccomp.c',
           '\treturn !listener &&\n',
           '\treturn (listener || !listener) &&\n',
           ['main rootless_test'],
           ['rootless_test:rootless.listener_userns.*']),
    Mutant('userns-filter-namespace-ignored',
           'I3, DESIGN 4b: the namespace asked is the one the filter was '
           'installed in, not the tracer\'s',
           'kernel/seccomp.c',
           '\t       ns_capable_noaudit(filter->user_ns, CAP_CHECKPOINT_RESTORE);\n',
           '\t       ns_capable_noaudit(current_user_ns(), CAP_CHECKPOINT_RESTORE);\n',
           ['main rootless_test'],
           ['rootless_test:rootless.outer_filter_userns.*']),
    Mutant('target-userns-cr-unchecked',
           'I3: the target-userns path asks CAP_CHECKPOINT_RESTORE in the '
           'target\'s namespace; attach rights alone never pass',
           'kernel/capability.c',
           '\tret = ns_capable_common(ns, CAP_CHECKPOINT_RESTORE, opts);\n'
           '\tput_user_ns(ns);\n',
           '\tret = true;\n'
           '\tput_user_ns(ns);\n',
           ['stress escape_test', 'main rootless_test'],
           ['escape_test:nested.targeted_ops_against_ancestors',
            'rootless_test:rootless.outside_task_userns.*']),
    Mutant('unlock-allowed',
           'I4, lock is one way: writing 0 to a locked lock is EPERM',
           SEC + 'securityfs.c',
           '\telse if (!ret && checkpoint_policy_locked())\n'
           '\t\tret = -EPERM;\n',
           '',
           ['main lock_test', 'locked bootparam_test'],
           ['lock_test:global.lock_is_one_way',
            'bootparam_test:global.locked_at_boot']),
]


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
        return commands[args.command](args) or 0
    except Failure as e:
        print(f'[mutation] error: {e}', file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
