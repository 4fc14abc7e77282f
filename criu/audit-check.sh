#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The LSM's audit records read with the administrator's own tools (security
# review, finding 6): Debian 13's auditd receives them and ausearch must
# find and parse every one, without a complaint.  Type 1428 records every
# attempt to change the configuration; type 1427 every grant through
# CAP_CHECKPOINT_RESTORE while audit is 1, here those of alice's criu dump
# and restore of her seccomp'd workload (seccomp_restore's included: the
# filter install is checked without audit, yet a widened grant is logged).
#
# Runs as root in the Debian 13 guest after criu/user-story.sh, which set
# up alice, the criu group and criu's file capability; reports TAP.
# shellcheck disable=SC2016  # checke evaluates its EXPR in this shell
P=/sys/kernel/security/checkpoint
LOG=/var/log/audit/audit.log
WORKLOAD=/opt/ckpt/user-workload
PLAN=10
n=0
failed=0

say() { echo "# $*"; }
show() { sed 's/^/#     /' "$@"; }
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
checke() {
	if eval "$2"; then ok "$1"; else not_ok "$1"; fi
}
as_alice() {
	(cd /home/alice && setpriv --reuid=alice --regid=alice --init-groups -- \
		env -i HOME=/home/alice USER=alice PATH="$PATH" \
		XDG_RUNTIME_DIR=/run/user/1000 "$@")
}
# one write(2) of newline-separated "op mode" lines (printf is a builtin)
# shellcheck disable=SC2059
set_policy() { printf "$1" >"$P/policy"; }
# RAW_COUNT WHAT: the records auditd wrote that carry WHAT, by grep
raw_count() { grep -c "$1" "$LOG"; }

echo "TAP version 13"
echo "1..$PLAN"

say "== auditd takes the kernel's records"
mkdir -p /var/log/audit
rm -f "$LOG"
auditd -n >/tmp/auditd.out 2>&1 &
AUDITD=$!
i=0
while [ $i -lt 30 ] && ! auditctl -s 2>/dev/null | grep -qE "^pid $AUDITD\$"; do
	sleep 1
	i=$((i + 1))
done
auditctl -s 2>&1 | show
checke "auditd (pid $AUDITD) is the kernel's audit daemon" \
	'auditctl -s 2>/dev/null | grep -qE "^pid $AUDITD\$"'

say "== configuration records (1428): 3 changes, a refused write, audit on"
set_policy 'suspend_seccomp on\nseccomp_dump on\nseccomp_restore on\n'
set_policy 'suspend_seccomp on\nbogus on\n' 2>/dev/null
echo 1 >"$P/audit"

say "== grant records (1427): alice dumps and restores her workload"
rm -rf /home/alice/audit-img /home/alice/state /home/alice/pid
as_alice "$WORKLOAD" /home/alice/state /home/alice/pid
PID=$(cat /home/alice/pid)
sleep 1
as_alice mkdir -p audit-img
as_alice timeout 300 criu dump --unprivileged -t "$PID" -D audit-img -o dump.log
rc_dump=$?
as_alice timeout 300 criu restore --unprivileged -D audit-img -d -o restore.log
rc_restore=$?
say "criu dump: exit $rc_dump, criu restore: exit $rc_restore"
echo 0 >"$P/audit"
set_policy 'suspend_seccomp off\nseccomp_dump off\nseccomp_restore off\n'
kill -9 "$PID" 2>/dev/null
# auditd writes asynchronously: wait for the last change to land
i=0
while [ $i -lt 20 ] && ! grep -q 'file=policy op=seccomp_restore old=on new=off' "$LOG"; do
	sleep 1
	i=$((i + 1))
done
checke "alice's dump and restore succeeded" '[ $rc_dump -eq 0 ] && [ $rc_restore -eq 0 ]'

say "== what ausearch makes of them"
ausearch --input "$LOG" -m 1428 --raw >/tmp/raw-1428 2>/tmp/err-1428
ausearch --input "$LOG" -m 1427 --raw >/tmp/raw-1427 2>/tmp/err-1427
ausearch --input "$LOG" -i -m 1428 >/tmp/i-1428 2>>/tmp/err-1428
ausearch --input "$LOG" -i -m 1427 >/tmp/i-1427 2>>/tmp/err-1427
say "interpreted, first of each type:"
grep -m1 'lsm=checkpoint' /tmp/i-1428 | show
grep -m1 'lsm=checkpoint' /tmp/i-1427 | show
cat /tmp/err-1428 /tmp/err-1427 | show
r28=$(raw_count 'lsm=checkpoint file=')
r27=$(raw_count 'lsm=checkpoint op=')
a28=$(grep -c 'lsm=checkpoint file=' /tmp/raw-1428)
a27=$(grep -c 'lsm=checkpoint op=' /tmp/raw-1427)
say "audit.log: $r28 configuration and $r27 grant records; ausearch: $a28 and $a27"
checke "ausearch complains about nothing" '[ ! -s /tmp/err-1428 ] && [ ! -s /tmp/err-1427 ]'
checke "ausearch finds every configuration record auditd wrote ($r28)" \
	'[ "$a28" -eq "$r28" ]'
checke "9 configuration records: 6 changes, audit on and off, 1 refused write" \
	'[ "$a28" -eq 9 ] && [ "$(grep -c " res=1" /tmp/raw-1428)" -eq 8 ] &&
	 [ "$(grep -c " res=0 errno=-22" /tmp/raw-1428)" -eq 1 ]'
checke "ausearch finds every grant record auditd wrote ($r27)" \
	'[ "$r27" -gt 0 ] && [ "$a27" -eq "$r27" ]'
checke "grant records for suspend_seccomp, seccomp_dump and seccomp_restore" \
	'grep -q "op=suspend_seccomp " /tmp/raw-1427 && grep -q "op=seccomp_dump " /tmp/raw-1427 &&
	 grep -q "op=seccomp_restore " /tmp/raw-1427'
checke "the suspend_seccomp grant names the tracee: opid=$PID" \
	'grep "op=suspend_seccomp " /tmp/raw-1427 | grep -qE " opid=$PID([^0-9]|\$)"'
checke "ausearch -i reads the writer's uid and loginuid (uid=root auid=unset)" \
	'grep "lsm=checkpoint file=policy op=suspend_seccomp old=off new=on" /tmp/i-1428 |
	 grep -q " uid=root auid=unset "'
checke "ausearch -i reads the grant's capability field (capability=40)" \
	'grep -q "capability=40 capname=checkpoint_restore" /tmp/i-1427 ||
	 grep -q "capability=checkpoint_restore" /tmp/i-1427'

kill "$AUDITD" 2>/dev/null
wait "$AUDITD" 2>/dev/null
[ "$n" -eq "$PLAN" ] || say "BUG: $n results for a plan of $PLAN"
say "audit records under auditd: $((n - failed)) of $n checks"
[ "$failed" -eq 0 ]
