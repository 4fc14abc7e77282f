#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The regular-user story (DESIGN.md section 7): an ordinary user, alice
# (uid 1000), with Debian 13's CRIU 4.1 in --unprivileged mode, the binary
# carrying only cap_checkpoint_restore as a file capability (no setuid, no
# sudo, no CAP_SYS_PTRACE), checkpoints and restores her own
# seccomp-confined process.  Refused with the default policy; done once the
# administrator turns suspend_seccomp, seccomp_dump and seccomp_restore on;
# never able to touch bob's (uid 1001) or root's process.
#
# Runs as root (a child of PID 1) in the Debian 13 guest of
# scripts/build-trixie-rootfs.sh; narrates with "#" lines and reports TAP.
# checke evaluates its EXPR in this shell: quoted on purpose
# shellcheck disable=SC2016,SC2034
P=/sys/kernel/security/checkpoint
WORKLOAD=/opt/ckpt/user-workload
CRIU=$(readlink -f "$(command -v criu)")
SECCOMP_OPS="suspend_seccomp seccomp_dump seccomp_restore"
# CRIU 4.1's log lines at the two refusals: PTRACE_O_SUSPEND_SECCOMP
# (compel/src/lib/ptrace.c:27) and PTRACE_SEIZE (compel/src/lib/infect.c:133)
SUSPEND_REFUSED="suspending seccomp failed: Operation not permitted"
seize_refused() { echo "Unable to interrupt task: $1 (Operation not permitted)"; }
PLAN=30
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
# checke DESC EXPR: EXPR is evaluated by this shell (its functions work)
checke() {
	if eval "$2"; then ok "$1"; else not_ok "$1"; fi
}

# as_user NAME CMD...: run CMD as NAME, from NAME's home, with a login-like
# environment and NAME's groups; root's capabilities go with the uid change.
as_user() {
	_u=$1
	shift
	(cd "/home/$_u" && setpriv --reuid="$_u" --regid="$_u" --init-groups -- \
		env -i HOME="/home/$_u" USER="$_u" LOGNAME="$_u" PATH="$PATH" \
		XDG_RUNTIME_DIR="/run/user/$(id -u "$_u")" "$@")
}
# alive PID: a running (not zombie) process
alive() {
	[ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"
}
field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null; }
state_of() { sed -n "s/.*$2=\([0-9]*\).*/\1/p" "$1" 2>/dev/null; }
cr_of() {
	v=$(sed -n "s/^$1 .*cr=\([0-9]*\).*/\1/p" "$P/stats")
	echo "${v:-0}"
}
# start_workload USER: the confined daemon in USER's home; prints its pid
start_workload() {
	rm -f "/home/$1/state" "/home/$1/pid"
	if [ "$1" = root ]; then
		mkdir -p /home/root
		(cd /home/root && "$WORKLOAD" /home/root/state /home/root/pid)
	else
		as_user "$1" "$WORKLOAD" "/home/$1/state" "/home/$1/pid"
	fi
	cat "/home/$1/pid" 2>/dev/null
}
# criu_as USER LOG ARGS...: criu --unprivileged as USER, log in USER's home
criu_as() {
	_u=$1 _log=$2
	shift 2
	as_user "$_u" timeout 300 criu "$@" --unprivileged -v4 -o "$_log"
}
errors_of() { grep -E 'Error|Unable to interrupt task' "$1" | head -n 4 | show; }
# one write(2) of newline-separated "op mode" lines (printf is a builtin)
# shellcheck disable=SC2059
set_policy() { printf "$1" >"$P/policy"; }

echo "TAP version 13"
echo "1..$PLAN"

say "== 0. the kernel and the client"
say "LSMs: $(cat /sys/kernel/security/lsm)"
check "the checkpoint LSM is active" grep -qw checkpoint /sys/kernel/security/lsm
say "policy as booted:"
show "$P/policy"
checke "default policy: suspend_seccomp and seccomp_dump are off" \
	'grep -qx "suspend_seccomp off" $P/policy && grep -qx "seccomp_dump off" $P/policy'
check "the policy has seccomp_restore, off by default" grep -qx 'seccomp_restore off' "$P/policy"
say "criu: $CRIU, $(criu --version | head -n 1)"

say "== 1. the administrator sets up users and the criu group (no setuid, no sudo)"
cat >>/etc/passwd <<EOF
alice:x:1000:1000:Alice:/home/alice:/bin/sh
bob:x:1001:1001:Bob:/home/bob:/bin/sh
EOF
cat >>/etc/group <<EOF
alice:x:1000:
bob:x:1001:
criu:x:990:alice
EOF
for u in alice bob; do
	mkdir -p "/home/$u" "/run/user/$(id -u $u)"
	chown "$u:$u" "/home/$u" "/run/user/$(id -u $u)"
	chmod 0700 "/home/$u" "/run/user/$(id -u $u)"
done
chgrp criu "$CRIU"
chmod 0750 "$CRIU"
setcap cap_checkpoint_restore+eip "$CRIU"
say "$(ls -l "$CRIU")"
say "getcap: $(getcap "$CRIU")"
checke "criu is root:criu 0750, no setuid, file capability cap_checkpoint_restore=eip only" \
	'[ "$(stat -c "%U:%G %a" $CRIU)" = "root:criu 750" ] &&
	 getcap $CRIU | grep -qE " cap_checkpoint_restore[=+]eip\$"'
if [ -e /proc/sys/kernel/yama/ptrace_scope ]; then
	echo 0 >/proc/sys/kernel/yama/ptrace_scope
	say "Yama ptrace_scope: $(cat /proc/sys/kernel/yama/ptrace_scope)"
	check "Yama ptrace_scope is 0 (classic same-uid ptrace)" \
		grep -qx 0 /proc/sys/kernel/yama/ptrace_scope
else
	ok "Yama is not built in: classic same-uid ptrace"
fi
say "alice: $(as_user alice id)"
say "alice's shell: $(as_user alice grep -E '^Cap(Prm|Eff|Amb)' /proc/self/status | tr '\t\n' '  ')"
check "alice is in group criu and holds no capability" \
	as_user alice sh -c 'id -Gn | grep -qw criu &&
		grep -qE "^CapEff:[[:space:]]*0+\$" /proc/self/status &&
		grep -qE "^CapPrm:[[:space:]]*0+\$" /proc/self/status'
as_user alice timeout 300 criu check --unprivileged >/tmp/alice-check.log 2>&1
rc=$?
say "alice: criu check --unprivileged -> exit $rc, \"$(tail -n 1 /tmp/alice-check.log)\""
grep -iE 'error|warn' /tmp/alice-check.log | head -n 6 | show
# unprivileged criu keeps its kernel-feature cache in $XDG_RUNTIME_DIR
say "alice's kerndat cache: $(ls -l /run/user/1000/criu.kdat 2>&1)"
check "the file capability works: alice's criu check --unprivileged passes" test "$rc" -eq 0
as_user bob criu --version >/tmp/bob-exec.log 2>&1
rc=$?
say "bob: criu --version -> exit $rc, $(head -n 1 /tmp/bob-exec.log)"
check "bob, not in group criu, cannot run criu at all" test "$rc" -eq 126

say "== 2. alice starts her workload: no_new_privs, a seccomp filter (getppid -> EPERM)"
PID=$(start_workload alice)
sleep 1
say "alice's workload pid $PID: $(cat /home/alice/state)"
say "$(grep -E '^(Uid|NoNewPrivs|Seccomp|CapEff)' "/proc/$PID/status" | tr '\t\n' '  ')"
checke "alice's workload runs as uid 1000 with its filter in force" \
	'grep -qs "filter=1 nnp=1" /home/alice/state && [ "$(field $PID Seccomp)" = 2 ] &&
	 field $PID Uid | grep -q "^1000[[:space:]]"'

say "== 3. alice: criu dump --unprivileged, default policy"
as_user alice mkdir -p img-default
criu_as alice dump.log dump -t "$PID" -D img-default
rc=$?
say "criu dump exit status: $rc"
errors_of /home/alice/img-default/dump.log
check "the dump is refused" test "$rc" -ne 0
check "refused at PTRACE_O_SUSPEND_SECCOMP: \"$SUSPEND_REFUSED\"" \
	grep -q "$SUSPEND_REFUSED" /home/alice/img-default/dump.log
check "the workload keeps running" alive "$PID"

say "== 4. the administrator turns the seccomp ops on (one write) and audit on"
s0=$(cr_of suspend_seccomp) d0=$(cr_of seccomp_dump) r0=$(cr_of seccomp_restore)
if set_policy 'suspend_seccomp on\nseccomp_dump on\nseccomp_restore on\n' 2>/tmp/policy.err; then
	ok "policy write \"suspend_seccomp on, seccomp_dump on, seccomp_restore on\" accepted"
else
	not_ok "policy write \"suspend_seccomp on, seccomp_dump on, seccomp_restore on\" accepted"
	say "$(cat /tmp/policy.err); a kernel without seccomp_restore: turning the other two on"
	set_policy 'suspend_seccomp on\nseccomp_dump on\n'
fi
grep -E "^(suspend_seccomp|seccomp_dump|seccomp_restore) " "$P/policy" | show
checke "audit switched on" 'echo 1 >$P/audit && grep -qx 1 $P/audit'
dmesg -c >/dev/null

say "== 5. alice dumps her workload"
as_user alice mkdir -p img
criu_as alice dump.log dump -t "$PID" -D img
rc=$?
say "criu dump exit status: $rc; $(tail -n 1 /home/alice/img/dump.log)"
[ "$rc" -eq 0 ] || errors_of /home/alice/img/dump.log
check "the dump succeeds" test "$rc" -eq 0
sleep 0.5
checke "the dumped workload is gone" '! alive $PID'
BEFORE=$(state_of /home/alice/state counter)
say "counter at dump: $BEFORE; state file cleared"
rm -f /home/alice/state

say "== 6. alice restores it"
criu_as alice restore.log restore -D img -d
rc=$?
say "criu restore exit status: $rc; $(tail -n 1 /home/alice/img/restore.log)"
[ "$rc" -eq 0 ] || errors_of /home/alice/img/restore.log
check "the restore succeeds" test "$rc" -eq 0
sleep 1.5
AFTER=$(state_of /home/alice/state counter)
say "restored workload: $(cat /home/alice/state 2>/dev/null)"
say "$(grep -E '^(Uid|NoNewPrivs|Seccomp|CapEff)' "/proc/$PID/status" 2>/dev/null | tr '\t\n' '  ')"
checke "it is back with its pid $PID, as uid 1000" \
	'grep -qs "pid=$PID\$" /home/alice/state && field $PID Uid | grep -q "^1000[[:space:]]"'
check "its counter continues from $BEFORE (now ${AFTER:-none})" \
	test -n "$AFTER" -a -n "$BEFORE" -a "${AFTER:-0}" -gt "${BEFORE:-0}"
checke "its filter is in force (Seccomp: 2, getppid still fails with EPERM)" \
	'[ "$(field $PID Seccomp)" = 2 ] && grep -qs "filter=1" /home/alice/state'
checke "NoNewPrivs: 1" \
	'[ "$(field $PID NoNewPrivs)" = 1 ] && grep -qs "nnp=1" /home/alice/state'

say "== 7. what the LSM saw"
grep -E "^(suspend_seccomp|seccomp_dump|seccomp_restore) " "$P/stats" | show
check "stats: suspend_seccomp cr= moved ($s0 -> $(cr_of suspend_seccomp))" \
	test "$(cr_of suspend_seccomp)" -gt "$s0"
check "stats: seccomp_dump cr= moved ($d0 -> $(cr_of seccomp_dump))" \
	test "$(cr_of seccomp_dump)" -gt "$d0"
check "stats: seccomp_restore cr= moved ($r0 -> $(cr_of seccomp_restore))" \
	test "$(cr_of seccomp_restore)" -gt "$r0"
dmesg | grep -E 'lsm=checkpoint|checkpoint:' | grep -E 'op=' >/tmp/grants.log
say "grant records: $(wc -l </tmp/grants.log); the first of each op:"
for op in $SECCOMP_OPS; do grep -m1 "op=$op " /tmp/grants.log; done | show
checke "an audit record names alice's criu, op=suspend_seccomp, target opid=$PID" \
	'grep "op=suspend_seccomp " /tmp/grants.log | grep -E "comm=\"?criu\"?" |
	 grep -qE " opid=$PID( |\$)"'
echo 0 >"$P/audit"

say "== 8. every op on: alice still cannot touch bob's or root's process"
BOB=$(start_workload bob)
ROOTP=$(start_workload root)
sleep 1
say "bob's workload $BOB: $(cat /home/bob/state); root's workload $ROOTP: $(cat /home/root/state)"
as_user alice mkdir -p img-bob img-root
criu_as alice dump.log dump -t "$BOB" -D img-bob
rc=$?
say "alice dumps bob's $BOB: exit $rc"
errors_of /home/alice/img-bob/dump.log
checke "alice cannot dump bob's process: \"$(seize_refused "$BOB")\"" \
	'[ $rc -ne 0 ] && grep -qF "$(seize_refused "$BOB")" /home/alice/img-bob/dump.log'
criu_as alice dump.log dump -t "$ROOTP" -D img-root
rc=$?
say "alice dumps root's $ROOTP: exit $rc"
errors_of /home/alice/img-root/dump.log
checke "alice cannot dump root's process: \"$(seize_refused "$ROOTP")\"" \
	'[ $rc -ne 0 ] && grep -qF "$(seize_refused "$ROOTP")" /home/alice/img-root/dump.log'
c1=$(state_of /home/bob/state counter)
sleep 0.5
checke "bob's and root's workloads run on untouched" \
	'alive $BOB && alive $ROOTP && [ "$(state_of /home/bob/state counter)" -gt "$c1" ]'

say "== 9. the ops back off: alice is refused again"
set_policy 'suspend_seccomp off\nseccomp_dump off\nseccomp_restore off\n' 2>/dev/null ||
	set_policy 'suspend_seccomp off\nseccomp_dump off\n'
grep -E "^(suspend_seccomp|seccomp_dump|seccomp_restore) " "$P/policy" | show
checke "the seccomp ops are off again" \
	'! grep -qE "^(suspend_seccomp|seccomp_dump|seccomp_restore) on" $P/policy'
alive "$PID" || { PID=$(start_workload alice); sleep 1; say "(a new workload, $PID: the restored one is not there)"; }
as_user alice mkdir -p img-off
criu_as alice dump.log dump -t "$PID" -D img-off
rc=$?
say "criu dump exit status: $rc"
errors_of /home/alice/img-off/dump.log
checke "with the ops off, alice's dump is refused at \"$SUSPEND_REFUSED\"" \
	'[ $rc -ne 0 ] && grep -q "$SUSPEND_REFUSED" /home/alice/img-off/dump.log'

kill -9 "$PID" "$BOB" "$ROOTP" 2>/dev/null
[ "$n" -eq "$PLAN" ] || say "BUG: $n results for a plan of $PLAN"
say "regular-user story: $((n - failed)) of $n steps as described"
[ "$failed" -eq 0 ]
