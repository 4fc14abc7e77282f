#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's CRIU (3.17.1 in Debian 12's guest, 4.1 in Debian 13's)
# checkpoints and restores a seccomp-confined workload without
# CAP_SYS_ADMIN: refused with the default policy, at the seccomp step;
# done once the policy turns suspend_seccomp, seccomp_dump and
# seccomp_restore on.  Runs as root in the guest; narrates with "#" lines
# and reports TAP.
P=/sys/kernel/security/checkpoint
# util-linux's setpriv (busybox's lacks --bounding-set) and the workload:
# where the Debian 12 guest puts them, unless the plan says otherwise
SETPRIV=${SETPRIV:-/opt/criu/bin/setpriv}
WORKLOAD=${WORKLOAD:-/opt/criu/workload}
NOADMIN="$SETPRIV --bounding-set -sys_admin --"
IMG=/tmp/criu-img
STATE=/tmp/workload.state
n=0
failed=0

say() { echo "# $*"; }
show() { sed 's/^/#     /' "$@"; }
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
counter() { sed -n 's/^counter=\([0-9]*\) .*/\1/p' "$STATE"; }
stat_of() { sed -n "s/^$1 .* cr=\([0-9]*\) .*/\1/p" "$P/stats"; }

echo "TAP version 13"
echo "1..16"

say "== 0. the kernel"
say "LSMs: $(cat /sys/kernel/security/lsm)"
say "CRIU: $(criu --version 2>&1 | head -n 1)"
check "the checkpoint LSM is active" grep -q checkpoint /sys/kernel/security/lsm
say "policy as booted:"
show "$P/policy"

say "== 1. an administrator primes CRIU's kernel-feature cache (criu check, full root)"
criu check -v4 -o /tmp/criu-check.v4.log >/tmp/criu-check.log 2>&1
say "criu check says: $(tail -n 1 /tmp/criu-check.log)"
# on failure, the errors of the verbose log name the feature CRIU gave up on
grep -q . /run/criu.kdat 2>/dev/null ||
	grep -E "Error|fail" /tmp/criu-check.v4.log | tail -n 8 | show
check "criu check wrote /run/criu.kdat" test -s /run/criu.kdat

say "== 2. a container starts its workload: no CAP_SYS_ADMIN, no_new_privs, a seccomp filter"
$NOADMIN "$WORKLOAD" "$STATE" /tmp/workload.pid
sleep 1
PID=$(cat /tmp/workload.pid)
say "workload pid $PID: $(cat "$STATE")"
grep -E '^(NoNewPrivs|Seccomp|CapBnd)' "/proc/$PID/status" | show
check "the workload runs with its filter in force" grep -q "filter=1" "$STATE"

say "== 3. criu dump, as root without CAP_SYS_ADMIN (setpriv --bounding-set -sys_admin), default policy"
mkdir -p "$IMG"
$NOADMIN criu dump -t "$PID" -D "$IMG" -o dump.log -v4
rc=$?
say "criu dump exit status: $rc"
grep -E "Error|suspending seccomp" "$IMG/dump.log" | head -n 3 | show
check "the dump is refused" test "$rc" -ne 0
check "it is refused at the seccomp step (PTRACE_O_SUSPEND_SECCOMP)" \
	grep -q "suspending seccomp failed: Operation not permitted" "$IMG/dump.log"
check "the workload keeps running" kill -0 "$PID"

say "== 4. the administrator turns the seccomp ops on"
printf 'suspend_seccomp on\nseccomp_dump on\nseccomp_restore on\n' >"$P/policy"
grep -E "^(suspend_seccomp|seccomp_dump|seccomp_restore) " "$P/policy" | show
s0=$(stat_of suspend_seccomp)
d0=$(stat_of seccomp_dump)
rm -rf "$IMG" && mkdir -p "$IMG"
$NOADMIN criu dump -t "$PID" -D "$IMG" -o dump.log -v4
rc=$?
say "criu dump exit status: $rc"
tail -n 1 "$IMG/dump.log" | show
check "the dump succeeds" test "$rc" -eq 0
sleep 0.3
check "the dumped workload is gone" sh -c "! kill -0 $PID 2>/dev/null"
BEFORE=$(counter)
say "counter at dump: $BEFORE"
# what the restored process reports must be its own, not the dumped one's
: >"$STATE"
check "the state file is cleared" test ! -s "$STATE"
say "stats (grants through CAP_CHECKPOINT_RESTORE that CRIU used):"
grep -E "^(suspend_seccomp|seccomp_dump) " "$P/stats" | show
check "stats: suspend_seccomp cr= moved ($s0 -> $(stat_of suspend_seccomp))" \
	test "$(stat_of suspend_seccomp)" -gt "$s0"
check "stats: seccomp_dump cr= moved ($d0 -> $(stat_of seccomp_dump))" \
	test "$(stat_of seccomp_dump)" -gt "$d0"

say "== 5. criu restore, same capabilities (the filter goes in through seccomp_restore)"
$NOADMIN criu restore -D "$IMG" -o restore.log -v4 -d
rc=$?
say "criu restore exit status: $rc"
tail -n 1 "$IMG/restore.log" | show
check "the restore succeeds" test "$rc" -eq 0
sleep 1
AFTER=$(counter)
say "restored workload: $(cat "$STATE")"
grep -E '^(NoNewPrivs|Seccomp):' "/proc/$PID/status" 2>/dev/null | show
check "the counter continues from $BEFORE (now $AFTER)" \
	test -n "$AFTER" -a "$AFTER" -gt "$BEFORE" -a "$AFTER" -lt $((BEFORE + 50))
check "the workload came back with its pid $PID (its own report and /proc)" \
	sh -c "grep -q 'pid=$PID\$' '$STATE' && test -d /proc/$PID"
check "its filter is in force (Seccomp: 2, getppid still fails)" \
	sh -c "grep -q 'filter=1' '$STATE' && grep -q '^Seccomp:[[:space:]]*2' /proc/$PID/status"
check "NoNewPrivs: 1" grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$PID/status"
kill -9 "$PID" 2>/dev/null

say "CRIU scenario: $((n - failed)) of $n steps as described"
[ "$failed" -eq 0 ]
