#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The rootless story (issue 20, DESIGN.md section 4b): an ordinary user,
# alice (uid 1000), with Debian 13's CRIU 4.1.1 carrying no file capability
# at all, checkpoints and restores her seccomp-confined workload (two
# threads, two stacked filters, one of them installed with TSYNC) inside her
# own user, pid, mount, ipc and net namespaces (unshare -Urpfin
# --mount-proc), as root there.  Refused with the default policy; done once
# the administrator sets map_files, suspend_seccomp and seccomp_dump to
# userns; still refused for a filter installed before the unshare, a filter
# with a user-notification listener, and a tracer under seccomp itself (at
# PTRACE_O_SUSPEND_SECCOMP, EPERM), and for bob's namespace and a task of
# hers outside the namespace (at the attach already: commoncap asks for
# CAP_SYS_PTRACE in the tracee's namespace).  Never a filter dropped.
# The only environment step: loopback up in her new net namespace, as
# container engines do (CRIU's kernel probes connect over it).
#
# Runs as root (a child of PID 1) in the Debian 13 guest of
# scripts/build-trixie-rootfs.sh; narrates with "#" lines and reports TAP.
# checke evaluates its EXPR in this shell: quoted on purpose
# shellcheck disable=SC2016,SC2034
P=/sys/kernel/security/checkpoint
W=/opt/ckpt/rootless-workload
CRIU=$(readlink -f "$(command -v criu)")
# CRIU 4.1.1's log lines at the refusals: PTRACE_O_SUSPEND_SECCOMP
# (compel/src/lib/ptrace.c:27) and PTRACE_SEIZE (compel/src/lib/infect.c:133)
SUSPEND_REFUSED="suspending seccomp failed: Operation not permitted"
seize_refused() { echo "Unable to interrupt task: $1 (Operation not permitted)"; }
# the one error CRIU logs as root of a user namespace: it cannot raise its
# own hard RLIMIT_NOFILE to nr_open (criu/util.c:1533), and goes on
RLIMIT_ERROR="rlimit: Can't setup RLIMIT_NOFILE for self"
PLAN=40
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
# its pid in the innermost pid namespace it belongs to
nspid_of() { sed -n 's/^NSpid:.*[[:space:]]\([0-9]*\)$/\1/p' "/proc/$1/status" 2>/dev/null; }
# threads_field PID FIELD: FIELD of every thread of PID, space-separated
threads_field() {
	for _t in /proc/"$1"/task/*; do
		sed -n "s/^$2:[[:space:]]*//p" "$_t/status" 2>/dev/null
	done | tr '\n' ' ' | sed 's/ $//'
}
# state_of FILE KEY: the value of " KEY=" in a state line (not counter)
state_of() { sed -n "s/.*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" "$1" 2>/dev/null; }
num_of() { sed -n "s/.*$2=\([0-9]*\).*/\1/p" "$1" 2>/dev/null; }
cr_of() {
	v=$(sed -n "s/^$1 .*cr=\([0-9]*\).*/\1/p" "$P/stats")
	echo "${v:-0}"
}
legacy_of() {
	v=$(sed -n "s/^$1 .*legacy=\([0-9]*\).*/\1/p" "$P/stats")
	echo "${v:-0}"
}
# deltas: "suspend_seccomp cr= +N, seccomp_dump cr= +M" since s0 and d0
deltas() {
	echo "suspend_seccomp cr= +$(($(cr_of suspend_seccomp) - s0)), seccomp_dump cr= +$(($(cr_of seccomp_dump) - d0))"
}
# one write(2) of newline-separated "op mode" lines (printf is a builtin)
# shellcheck disable=SC2059
set_policy() { printf "$1" >"$P/policy"; }

# open_container USER DIR [confine] [--listener]: USER's rootless container,
# "unshare -Urpfin --mount-proc", whose PID 1 (rootless-workload init)
# starts the workload (STATE and PID files in DIR); "confine" runs it all
# under a wrapper's filter installed before the unshare.  Sets HOLDER (the
# container's PID 1) and WL (the workload), as pids of the initial namespace.
open_container() {
	_u=$1 _d=$2
	shift 2
	_wrap=
	if [ "${1:-}" = confine ]; then
		_wrap="$W confine --"
		shift
	fi
	as_user "$_u" mkdir -p "$_d"
	rm -f "$_d/state" "$_d/pid"
	# shellcheck disable=SC2086  # the wrapper's words
	as_user "$_u" $_wrap unshare -Urpfin --mount-proc \
		"$W" init -- "$W" run "$@" "$_d/state" "$_d/pid" </dev/null >/dev/null 2>&1 &
	HOLDER='' WL=''
	for _i in $(seq 1 100); do
		[ -s "$_d/pid" ] && [ -s "$_d/state" ] && break
		sleep 0.1
	done
	for _p in $(pgrep -f "$W init -- $W run .*$_d/state"); do
		[ "$(nspid_of "$_p")" = 1 ] && HOLDER=$_p && break
	done
	[ -n "$HOLDER" ] || return
	WL=$(gpid_of "$HOLDER" "$(cat "$_d/pid" 2>/dev/null)")
	# a new net namespace has its loopback down, and CRIU's kernel probes
	# connect over it (criu/kerndat.c:727): up, as container engines do
	in_container "$HOLDER" "$_u" ip link set lo up
}
# gpid_of HOLDER NSPID: the pid, in the initial namespace, of NSPID in
# HOLDER's pid namespace
gpid_of() {
	_ns=$(readlink "/proc/$1/ns/pid")
	for _d in /proc/[0-9]*; do
		[ "$(readlink "$_d/ns/pid" 2>/dev/null)" = "$_ns" ] || continue
		[ "$(nspid_of "${_d#/proc/}")" = "$2" ] && echo "${_d#/proc/}" && return
	done
}
# in_container HOLDER USER CMD...: CMD as root of USER's container, joined
# as "podman exec" does: user namespace first, then pid, mount, ipc, net;
# her uid 1000 is root there (the map unshare -r wrote), so her credentials
# stay (trixie's nsenter would otherwise setgroups(2), which -r denies)
in_container() {
	_h=$1 _u=$2
	shift 2
	as_user "$_u" nsenter -t "$_h" -U -p -m -i -n --preserve-credentials -- "$@"
}
# in_userns HOLDER USER CMD...: CMD as root of the container's user
# namespace only (its pid namespace is the initial one: it sees every task)
in_userns() {
	_h=$1 _u=$2
	shift 2
	as_user "$_u" nsenter -t "$_h" -U --preserve-credentials -- "$@"
}
# criu_in HOW HOLDER USER DIR LOG ARGS...: criu as root of USER's namespace
# (HOW: in_container or in_userns), images and LOG in DIR
criu_in() {
	_how=$1 _h=$2 _u=$3 _dir=$4 _log=$5
	shift 5
	as_user "$_u" mkdir -p "$_dir"
	"$_how" "$_h" "$_u" timeout 300 criu "$@" -D "$_dir" --unprivileged -v4 -o "$_log"
}
errors_of() {
	grep -E 'Error|Unable to interrupt task|Warn.*seccomp' "$1" | head -n 5 | show
}
# the error lines of a log other than the RLIMIT_NOFILE one
other_errors() { grep -E '^\([0-9.]+\) Error|^Error' "$1" | grep -vF "$RLIMIT_ERROR"; }
# a workload line for the narration
describe() {
	say "  pid $1 (in its namespace: $(nspid_of "$1")), uid $(field "$1" Uid | cut -f1)," \
		"threads $(field "$1" Threads), Seccomp $(field "$1" Seccomp)," \
		"filters per thread: $(threads_field "$1" Seccomp_filters)," \
		"NoNewPrivs per thread: $(threads_field "$1" NoNewPrivs)"
	say "  state: $(cat "$2" 2>/dev/null)"
}
# in_her_namespaces PID HOLDER: PID is in HOLDER's user, pid, mount, ipc
# and net namespaces, none of them the initial one
in_her_namespaces() {
	for _ns in user pid mnt ipc net; do
		_l=$(readlink "/proc/$1/ns/$_ns" 2>/dev/null)
		[ -n "$_l" ] && [ "$_l" = "$(readlink "/proc/$2/ns/$_ns")" ] &&
			[ "$_l" != "$(readlink "/proc/1/ns/$_ns")" ] || return 1
	done
}
# confined STATE: both threads' probes fail as the two filters say
confined() {
	[ "$(state_of "$1" getppid)" = EPERM ] &&
		[ "$(state_of "$1" getpriority)" = EACCES ] &&
		[ "$(state_of "$1" t2getppid)" = EPERM ] &&
		[ "$(state_of "$1" t2getpriority)" = EACCES ]
}
# moving STATE: its counter moves
moving() {
	_c=$(num_of "$1" counter)
	sleep 0.5
	[ -n "$_c" ] && [ "$(num_of "$1" counter)" -gt "$_c" ] 2>/dev/null
}

echo "TAP version 13"
echo "1..$PLAN"

say "== 0. the kernel and the client"
say "LSMs: $(cat /sys/kernel/security/lsm)"
check "the checkpoint LSM is active" grep -qw checkpoint /sys/kernel/security/lsm
say "policy as booted:"
show "$P/policy"
checke "default policy: map_files on, suspend_seccomp and seccomp_dump off (mainline)" \
	'grep -qx "map_files on" $P/policy && grep -qx "suspend_seccomp off" $P/policy &&
	 grep -qx "seccomp_dump off" $P/policy'
say "criu: $CRIU, $(criu --version | head -n 1)"
say "$(ls -l "$CRIU"); getcap: \"$(getcap "$CRIU")\""
checke "criu is Debian's, root:root 0755, no setuid, no file capability at all" \
	'[ "$(stat -c "%U:%G %a" $CRIU)" = "root:root 755" ] && [ -z "$(getcap $CRIU)" ]'

say "== 1. the administrator adds alice and bob (nothing else for criu)"
cat >>/etc/passwd <<EOF
alice:x:1000:1000:Alice:/home/alice:/bin/sh
bob:x:1001:1001:Bob:/home/bob:/bin/sh
EOF
cat >>/etc/group <<EOF
alice:x:1000:
bob:x:1001:
EOF
for u in alice bob; do
	mkdir -p "/home/$u" "/run/user/$(id -u $u)"
	chown "$u:$u" "/home/$u" "/run/user/$(id -u $u)"
	chmod 0700 "/home/$u" "/run/user/$(id -u $u)"
done
# Inside her namespaces alice's criu holds CAP_SYS_PTRACE over her tasks,
# which Yama's scope 1 accepts; the refusals of section 8 that cross the
# namespace's edge are meant to come from the checkpoint rules, not Yama.
if [ -e /proc/sys/kernel/yama/ptrace_scope ]; then
	echo 0 >/proc/sys/kernel/yama/ptrace_scope
	say "Yama ptrace_scope: $(cat /proc/sys/kernel/yama/ptrace_scope) (classic same-uid ptrace)"
fi
say "alice: $(as_user alice id); $(as_user alice grep -E '^CapEff' /proc/self/status | tr '\t' ' ')"
check "alice holds no capability" \
	as_user alice sh -c 'grep -qE "^CapEff:[[:space:]]*0+\$" /proc/self/status &&
		grep -qE "^CapPrm:[[:space:]]*0+\$" /proc/self/status'

say "== 2. alice opens her container and starts her workload in it"
say "  \$ unshare -Urpfin --mount-proc rootless-workload init -- rootless-workload run ~/c/state ~/c/pid"
open_container alice /home/alice/c
H=$HOLDER PID=$WL NSPID=$(cat /home/alice/c/pid 2>/dev/null)
say "container PID 1: $H; workload: $PID"
[ -n "$PID" ] && describe "$PID" /home/alice/c/state
say "  user ns $(readlink "/proc/$H/ns/user"), pid ns $(readlink "/proc/$H/ns/pid")"
say "root in it: $(in_container "$H" alice sh -c 'id; grep -E "^CapEff" /proc/self/status' | tr '\t\n' '  ')"
checke "the workload runs in alice's namespaces (user, pid, mount, ipc, net) as her uid 1000" \
	'[ -n "$PID" ] && in_her_namespaces $PID $H && field $PID Uid | grep -q "^1000[[:space:]]"'
checke "two threads, each under both filters, NoNewPrivs on each" \
	'[ "$(field $PID Threads)" = 2 ] && [ "$(threads_field $PID Seccomp_filters)" = "2 2" ] &&
	 [ "$(threads_field $PID NoNewPrivs)" = "1 1" ] && [ "$(field $PID Seccomp)" = 2 ]'
checke "its filters are in force in both threads: getppid EPERM, getpriority EACCES" \
	'confined /home/alice/c/state && grep -qs "nnp=1" /home/alice/c/state'

say "== 3. alice: criu dump in her container, default policy"
s0=$(cr_of suspend_seccomp) d0=$(cr_of seccomp_dump)
criu_in in_container "$H" alice /home/alice/c/img-default dump.log dump -t "$NSPID"
rc=$?
say "criu dump -t $NSPID exit status: $rc"
errors_of /home/alice/c/img-default/dump.log
checke "the dump is refused at PTRACE_O_SUSPEND_SECCOMP, EPERM: \"$SUSPEND_REFUSED\" (mainline's)" \
	'[ $rc -ne 0 ] && grep -q "$SUSPEND_REFUSED" /home/alice/c/img-default/dump.log'
checke "the workload runs on, confined as before" \
	'alive $PID && moving /home/alice/c/state && confined /home/alice/c/state'
say "stats: suspend_seccomp cr= $s0 -> $(cr_of suspend_seccomp), seccomp_dump cr= $d0 -> $(cr_of seccomp_dump)"
checke "stats: with the default policy, cr= of suspend_seccomp and seccomp_dump did not move" \
	'[ "$(cr_of suspend_seccomp)" = "$s0" ] && [ "$(cr_of seccomp_dump)" = "$d0" ]'

say "== 4. the administrator sets the rootless modes (one write)"
if set_policy 'map_files userns\nsuspend_seccomp userns\nseccomp_dump userns\n' 2>/tmp/policy.err; then
	ok "policy write \"map_files userns, suspend_seccomp userns, seccomp_dump userns\" accepted"
else
	not_ok "policy write \"map_files userns, suspend_seccomp userns, seccomp_dump userns\" accepted"
	show /tmp/policy.err
fi
grep -E "^(map_files|suspend_seccomp|seccomp_dump|seccomp_restore) " "$P/policy" | show
in_container "$H" alice timeout 300 criu check --unprivileged >/home/alice/c/check.log 2>&1
rc=$?
say "alice, in her container: criu check --unprivileged -> exit $rc, \"$(tail -n 1 /home/alice/c/check.log)\""
grep -iE 'error|warn' /home/alice/c/check.log | head -n 6 | show
checke "criu check --unprivileged as root of her namespace: \"Looks good.\"" \
	'[ $rc -eq 0 ] && tail -n 1 /home/alice/c/check.log | grep -q "Looks good"'

say "== 5. alice dumps her workload"
s0=$(cr_of suspend_seccomp) d0=$(cr_of seccomp_dump)
criu_in in_container "$H" alice /home/alice/c/img dump.log dump -t "$NSPID"
rc=$?
say "criu dump -t $NSPID exit status: $rc; $(tail -n 1 /home/alice/c/img/dump.log)"
errors_of /home/alice/c/img/dump.log
check "the dump succeeds" test "$rc" -eq 0
checke "the only error CRIU logs is its harmless \"$RLIMIT_ERROR\"" \
	'[ -s /home/alice/c/img/dump.log ] && [ -z "$(other_errors /home/alice/c/img/dump.log)" ]'
sleep 0.5
checke "the dumped workload is gone" '! alive $PID'
checke "the images hold its seccomp filters (seccomp.img)" '[ -s /home/alice/c/img/seccomp.img ]'
BEFORE=$(num_of /home/alice/c/state counter) BEAT=$(num_of /home/alice/c/state beat2)
say "counter at dump: $BEFORE, second thread's beat: $BEAT; state file cleared"
rm -f /home/alice/c/state

say "== 6. alice restores it, in her container"
l0=$(legacy_of seccomp_restore) r0=$(cr_of seccomp_restore)
criu_in in_container "$H" alice /home/alice/c/img restore.log restore -d
rc=$?
say "criu restore exit status: $rc; $(tail -n 1 /home/alice/c/img/restore.log)"
errors_of /home/alice/c/img/restore.log
check "the restore succeeds" test "$rc" -eq 0
sleep 1.5
PID=$(gpid_of "$H" "$NSPID")
say "restored workload:"
[ -n "$PID" ] && describe "$PID" /home/alice/c/state
AFTER=$(num_of /home/alice/c/state counter)
checke "it is back in her namespaces with its pid $NSPID there, as uid 1000" \
	'[ -n "$PID" ] && grep -qs "pid=$NSPID\$" /home/alice/c/state && in_her_namespaces $PID $H &&
	 field $PID Uid | grep -q "^1000[[:space:]]"'
check "its counter continues from $BEFORE (now ${AFTER:-none})" \
	test -n "$AFTER" -a -n "$BEFORE" -a "${AFTER:-0}" -gt "${BEFORE:-0}"
checke "both threads are back: the second one's beat continues from $BEAT" \
	'[ "$(field $PID Threads)" = 2 ] &&
	 [ "$(num_of /home/alice/c/state beat2)" -gt "${BEAT:-0}" ] 2>/dev/null'
checke "its filters are in force: both on each thread, getppid EPERM and getpriority EACCES in both" \
	'[ "$(threads_field $PID Seccomp_filters)" = "2 2" ] && [ "$(field $PID Seccomp)" = 2 ] &&
	 confined /home/alice/c/state'
checke "NoNewPrivs: 1 on each thread, as before" \
	'[ "$(threads_field $PID NoNewPrivs)" = "1 1" ] && grep -qs "nnp=1" /home/alice/c/state'
checke "the only error CRIU logs is its harmless \"$RLIMIT_ERROR\"" \
	'[ -s /home/alice/c/img/restore.log ] && [ -z "$(other_errors /home/alice/c/img/restore.log)" ]'

say "== 7. what the LSM counted (dump and restore: $(deltas))"
grep -E "^(map_files|suspend_seccomp|seccomp_dump|seccomp_restore) " "$P/stats" | show
check "stats: suspend_seccomp cr= moved ($s0 -> $(cr_of suspend_seccomp))" \
	test "$(cr_of suspend_seccomp)" -gt "$s0"
check "stats: seccomp_dump cr= moved ($d0 -> $(cr_of seccomp_dump))" \
	test "$(cr_of seccomp_dump)" -gt "$d0"
# CRIU's restorer installs the filters before it restores no_new_privs:
# root of the namespace may, with CAP_SYS_ADMIN there (mainline's rule)
checke "restore needed no new op: seccomp_restore stayed off, its filters went in on CAP_SYS_ADMIN in her namespace (legacy= $l0 -> $(legacy_of seccomp_restore), cr= $r0 -> $(cr_of seccomp_restore))" \
	'grep -qx "seccomp_restore off" $P/policy && [ "$(legacy_of seccomp_restore)" -gt "$l0" ] &&
	 [ "$(cr_of seccomp_restore)" = "$r0" ]'

say "== 8. with the rootless modes on, what stays refused"
say "(where CRIU's criu reaches PTRACE_O_SUSPEND_SECCOMP, the capability is decided"
say " and counted once, cr=, before the filter rule or mainline's own refuses)"
say "-- a. a filter installed before the unshare (a wrapper's): getcpu EPERM"
say "  \$ rootless-workload confine -- unshare -Urpfin --mount-proc rootless-workload init -- ..."
open_container alice /home/alice/o confine
HO=$HOLDER PO=$WL
[ -n "$PO" ] && describe "$PO" /home/alice/o/state
checke "the workload runs under three filters: the wrapper's (getcpu EPERM), then its own two" \
	'[ -n "$PO" ] && [ "$(threads_field $PO Seccomp_filters)" = "3 3" ] &&
	 [ "$(state_of /home/alice/o/state getcpu)" = EPERM ] && confined /home/alice/o/state'
say "  criu, root of this container (joined from alice's unconfined shell: Seccomp $(in_container "$HO" alice sh -c 'grep "^Seccomp:" /proc/self/status' | tr '\t' ' '))"
s0=$(cr_of suspend_seccomp) d0=$(cr_of seccomp_dump)
criu_in in_container "$HO" alice /home/alice/o/img dump.log dump -t "$(cat /home/alice/o/pid)"
rc=$?
say "criu dump exit status: $rc; stats: $(deltas)"
errors_of /home/alice/o/img/dump.log
checke "the dump is refused, EPERM: \"$SUSPEND_REFUSED\"; no filter read (seccomp_dump cr= unchanged)" \
	'[ $rc -ne 0 ] && grep -q "$SUSPEND_REFUSED" /home/alice/o/img/dump.log &&
	 [ "$(cr_of seccomp_dump)" = "$d0" ]'
checke "the workload runs on, under all three filters" \
	'alive $PO && moving /home/alice/o/state && confined /home/alice/o/state &&
	 [ "$(state_of /home/alice/o/state getcpu)" = EPERM ] &&
	 [ "$(threads_field $PO Seccomp_filters)" = "3 3" ]'

say "-- b. a filter with a user-notification listener (the workload holds it)"
as_user alice mkdir -p /home/alice/c/l
rm -f /home/alice/c/l/state /home/alice/c/l/pid
in_container "$H" alice "$W" run --listener /home/alice/c/l/state /home/alice/c/l/pid
PL=$(gpid_of "$H" "$(cat /home/alice/c/l/pid 2>/dev/null)")
[ -n "$PL" ] && describe "$PL" /home/alice/c/l/state
say "  its fds:$(for f in /proc/"$PL"/fd/*; do printf ' %s->%s' "${f##*/}" "$(readlink "$f")"; done)"
checke "it runs in alice's container: three filters on its main thread, a seccomp notify fd" \
	'[ -n "$PL" ] && [ "$(threads_field $PL Seccomp_filters)" = "3 2" ] &&
	 for f in /proc/$PL/fd/*; do readlink $f; done | grep -q "seccomp notify"'
s0=$(cr_of suspend_seccomp) d0=$(cr_of seccomp_dump)
criu_in in_container "$H" alice /home/alice/c/l/img dump.log dump -t "$(cat /home/alice/c/l/pid)"
rc=$?
say "criu dump exit status: $rc; stats: $(deltas)"
errors_of /home/alice/c/l/img/dump.log
checke "the dump is refused, EPERM: \"$SUSPEND_REFUSED\"; no filter read (seccomp_dump cr= unchanged)" \
	'[ $rc -ne 0 ] && grep -q "$SUSPEND_REFUSED" /home/alice/c/l/img/dump.log &&
	 [ "$(cr_of seccomp_dump)" = "$d0" ]'
checke "the workload runs on, its filters in force" \
	'alive $PL && moving /home/alice/c/l/state && confined /home/alice/c/l/state'

say "-- c. bob's namespace: bob (uid 1001) opens his own container"
open_container bob /home/bob/c
HB=$HOLDER PB=$WL
[ -n "$PB" ] && describe "$PB" /home/bob/c/state
in_container "$HB" alice true >/tmp/alice-bob.err 2>&1
rc=$?
say "alice: nsenter -t $HB -U -p -m -i -n -> exit $rc: $(cat /tmp/alice-bob.err)"
checke "alice cannot enter bob's namespace: setns(2) EPERM" \
	'[ $rc -ne 0 ] && grep -q "Operation not permitted" /tmp/alice-bob.err'
say "  alice's criu, root of her own user namespace, where bob's task is visible (pid $PB)"
s0=$(cr_of suspend_seccomp) d0=$(cr_of seccomp_dump)
criu_in in_userns "$H" alice /home/alice/c/img-bob dump.log dump -t "$PB"
rc=$?
say "criu dump -t $PB exit status: $rc; stats: $(deltas)"
errors_of /home/alice/c/img-bob/dump.log
checke "alice cannot dump bob's process, EPERM: \"$(seize_refused "$PB")\"" \
	'[ $rc -ne 0 ] && grep -qF "$(seize_refused "$PB")" /home/alice/c/img-bob/dump.log'
checke "bob's workload runs on, its filters in force" \
	'alive $PB && moving /home/bob/c/state && confined /home/bob/c/state'

say "-- d. a task of alice's outside her namespace (uid 1000 in the initial one)"
as_user alice mkdir -p /home/alice/out
rm -f /home/alice/out/state /home/alice/out/pid
as_user alice "$W" run /home/alice/out/state /home/alice/out/pid
PX=$(cat /home/alice/out/pid 2>/dev/null)
[ -n "$PX" ] && describe "$PX" /home/alice/out/state
s0=$(cr_of suspend_seccomp) d0=$(cr_of seccomp_dump)
criu_in in_userns "$H" alice /home/alice/c/img-out dump.log dump -t "$PX"
rc=$?
say "criu dump -t $PX (root of alice's namespace) exit status: $rc; stats: $(deltas)"
errors_of /home/alice/c/img-out/dump.log
# From a child user namespace, attaching to a task of its parent needs
# CAP_SYS_PTRACE there (cap_ptrace_access_check, security/commoncap.c): the
# attach is refused before any seccomp step is asked.
checke "the dump is refused at PTRACE_SEIZE, EPERM: \"$(seize_refused "$PX")\"; suspend_seccomp never asked (cr= $s0 -> $(cr_of suspend_seccomp))" \
	'[ $rc -ne 0 ] && grep -qF "$(seize_refused "$PX")" /home/alice/c/img-out/dump.log &&
	 [ "$(cr_of suspend_seccomp)" = "$s0" ]'
checke "the workload runs on, its filters in force" \
	'alive $PX && moving /home/alice/out/state && confined /home/alice/out/state'

say "-- e. a confined tracer: criu under a filter itself, in alice's container"
as_user alice mkdir -p /home/alice/c/img-confined
in_container "$H" alice "$W" confine -- sh -c 'grep "^Seccomp:" /proc/self/status' |
	tr '\t' ' ' | show
s0=$(cr_of suspend_seccomp) d0=$(cr_of seccomp_dump)
in_container "$H" alice "$W" confine -- timeout 300 criu dump -t "$NSPID" \
	-D /home/alice/c/img-confined --unprivileged -v4 -o dump.log
rc=$?
say "confined criu dump -t $NSPID exit status: $rc; stats: $(deltas)"
errors_of /home/alice/c/img-confined/dump.log
checke "the dump is refused, EPERM: \"$SUSPEND_REFUSED\"; no filter read (seccomp_dump cr= unchanged)" \
	'[ $rc -ne 0 ] && grep -q "$SUSPEND_REFUSED" /home/alice/c/img-confined/dump.log &&
	 [ "$(cr_of seccomp_dump)" = "$d0" ]'
checke "alice's restored workload runs on, confined as before" \
	'alive $PID && moving /home/alice/c/state && confined /home/alice/c/state &&
	 [ "$(threads_field $PID Seccomp_filters)" = "2 2" ]'

say "== 9. the defaults back: alice is refused again"
set_policy 'map_files on\nsuspend_seccomp off\nseccomp_dump off\n'
grep -E "^(map_files|suspend_seccomp|seccomp_dump) " "$P/policy" | show
s0=$(cr_of suspend_seccomp) d0=$(cr_of seccomp_dump)
criu_in in_container "$H" alice /home/alice/c/img-off dump.log dump -t "$NSPID"
rc=$?
say "criu dump exit status: $rc"
errors_of /home/alice/c/img-off/dump.log
checke "the dump is refused at \"$SUSPEND_REFUSED\"; cr= did not move" \
	'[ $rc -ne 0 ] && grep -q "$SUSPEND_REFUSED" /home/alice/c/img-off/dump.log &&
	 [ "$(cr_of suspend_seccomp)" = "$s0" ] && [ "$(cr_of seccomp_dump)" = "$d0" ]'

# PID 1 of a pid namespace takes every task of it along
kill -9 "$H" "$HO" "$HB" "$PX" 2>/dev/null
[ "$n" -eq "$PLAN" ] || say "BUG: $n results for a plan of $PLAN"
say "rootless story: $((n - failed)) of $n steps as described"
[ "$failed" -eq 0 ]
