#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The mutation suite: break the seam and the LSM on purpose, one mutant at
# a time, and show that a named test fails each time.
#
#   mutation-check.sh [--only NAME[,NAME...]] [--no-baseline]
#   mutation-check.sh --dry-run [--only ...]  check that every mutant applies
#                                             (reads only)
#   mutation-check.sh --list                  the mutants' names
#   mutation-check.sh --restore               put back the files an interrupted
#                                             run left mutated
#
# The mutants are data in scripts/mutation/*.mutants (one file per area,
# run in the order of scripts/mutation/order); scripts/mutation/run.py does
# each step on them.  Each is an exact-text replacement in one C file of the
# built tree, build/linux (never a header, never the repo's own sources),
# with the invariant or rule it attacks, the boots that can kill it and the
# tests expected to.  For each mutant: save the file, mutate it, rebuild
# incrementally (SKIP_PREPARE=1 build-kernel.sh base: one object and the
# link), boot only its boots with plans made for it (build/mutation/plans/,
# packed once into build/mutation/initramfs.cpio.gz), then restore the file
# and touch it so that make rebuilds that object again (ccache makes it
# cheap).  A trap restores on any exit; a run refuses to start on a tree
# that is not what scripts/prepare-tree.sh left (a crashed run is caught
# there).
#
# First the unmutated kernel boots the union of those boots (the baseline;
# --no-baseline skips it): a test that fails there is not counted as a kill.
# Verdicts:
#   KILLED     a named test failed (a KUnit case or a selftest result)
#   SURVIVED   every boot finished (CKPT-DONE) and no test failed
#   NO-RESULT  the build failed, or a boot timed out or never reached
#              CKPT-DONE, and no test failed: not a kill
# The table "mutant -> tests that failed" ends with "mutants: N killed of M"
# and is also written to build/mutation/table.txt; logs are in
# build/mutation/logs/.  MUTATION_TIMEOUT sets each boot's timeout (600 s).
# Exit status: 0 only if every mutant was killed; 1 if one was not; 2 if
# the run could not be made (tree not ready, a mutant that no longer
# applies, the unmutated kernel failing to build or finish its boots).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
WORK=$BUILD/mutation
LOGS=$WORK/logs
TIMEOUT=${MUTATION_TIMEOUT:-600}
HELPER=(python3 "$ROOT/scripts/mutation/run.py")

log() { printf '[mutation] %s\n' "$*"; }
die() { printf '[mutation] error: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

only='' mode=run baseline=1
while [ $# -gt 0 ]; do
	case "$1" in
	--only) [ $# -ge 2 ] || die "--only needs NAME[,NAME...]"; only=$2; shift ;;
	--only=*) only=${1#--only=} ;;
	--dry-run) mode=dry-run ;;
	--list) mode=list ;;
	--restore) mode=restore ;;
	--no-baseline) baseline=0 ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
SEL=(--only "$only")

case $mode in
list) exec "${HELPER[@]}" "${SEL[@]}" names ;;
dry-run) exec "${HELPER[@]}" "${SEL[@]}" dry-run ;;
restore)
	restored=$("${HELPER[@]}" restore)
	if [ -z "$restored" ]; then
		log "nothing to restore"
	else
		echo "$restored"
		log "restored: SKIP_PREPARE=1 scripts/build-kernel.sh base rebuilds build/bzImage"
	fi
	exit 0 ;;
esac

# ---- the run ----------------------------------------------------------------

"${HELPER[@]}" "${SEL[@]}" preflight || exit 2
names_text=$("${HELPER[@]}" "${SEL[@]}" names) || exit 2
mapfile -t names <<<"$names_text"

# Long steps run in a session of their own, waited for so that a signal
# reaches this script at once; the traps end that session by its id.
child=
run() {
	setsid -w "$@" &
	child=$!
	local rc=0
	wait "$child" || rc=$?
	child=
	return "$rc"
}

stop_child() {
	local s
	[ -n "$child" ] || return 0
	for s in "$child" $(pgrep -P "$child" || true); do
		pkill -TERM -s "$s" 2>/dev/null || true
	done
	wait "$child" 2>/dev/null || true
	child=
}

mutated_image=0 finished=0
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_child
	"${HELPER[@]}" restore ||
		printf '[mutation] error: restore failed: copies in %s\n' "$WORK/saved" >&2
	if [ $finished = 0 ] && [ $mutated_image = 1 ]; then
		printf '[mutation] interrupted: build/bzImage may be a mutant kernel: %s\n' \
			'rebuild it (SKIP_PREPARE=1 scripts/build-kernel.sh base)' >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

build_kernel() {	# LOG
	run env SKIP_PREPARE=1 "$ROOT/scripts/build-kernel.sh" base >"$1" 2>&1
}

# The boots of WHO (a mutant, or baseline) on the image build/mutation/bzImage.
boot_all() {
	local who=$1 lines plan args rc t0
	lines=$("${HELPER[@]}" "${SEL[@]}" boots "$who")
	while IFS=$'\t' read -r plan args; do
		t0=$(date +%s)
		rc=0
		run "$ROOT/scripts/run-guest.sh" "$WORK/bzImage" "$WORK/initramfs.cpio.gz" \
			"$LOGS/$plan.log" "$TIMEOUT" "$args" || rc=$?
		echo "$rc" >"$LOGS/$plan.rc"
		log "  $plan: qemu exit $rc after $(( $(date +%s) - t0 ))s$([ "$rc" != 124 ] || echo ' (timeout)')"
	done <<<"$lines"
}

start=$(date +%s)
mkdir -p "$LOGS" "$WORK/results"
rm -f "$LOGS"/* "$WORK"/results/*.json "$WORK/table.txt"
log "${#names[@]} mutants; logs in ${LOGS#"$ROOT"/}"

log "building the unmutated kernel"
build_kernel "$LOGS/baseline.build.log" ||
	die "the unmutated kernel does not build: see ${LOGS#"$ROOT"/}/baseline.build.log"
cp "$BUILD/bzImage" "$WORK/bzImage"
run make -s -C "$ROOT/selftests" OUT="$BUILD/selftests" >"$LOGS/selftests.log" 2>&1 ||
	die "the selftests do not build: see ${LOGS#"$ROOT"/}/selftests.log"
plan_args=(plans)
[ $baseline = 0 ] || plan_args+=(--baseline)
extra=$("${HELPER[@]}" "${SEL[@]}" "${plan_args[@]}") || exit 2
run env INITRAMFS_EXTRA="$extra" "$ROOT/scripts/build-initramfs.sh" \
	"$WORK/initramfs.cpio.gz" >"$LOGS/initramfs.log" 2>&1 ||
	die "the initramfs cannot be packed: see ${LOGS#"$ROOT"/}/initramfs.log"

if [ $baseline = 1 ]; then
	log "baseline: the unmutated kernel"
	boot_all baseline
	"${HELPER[@]}" "${SEL[@]}" verdict baseline ||
		die "the unmutated kernel did not finish its boots (see ${LOGS#"$ROOT"/}): no verdict would mean anything"
fi

i=0
for name in "${names[@]}"; do
	i=$((i + 1))
	t0=$(date +%s)
	log "[$i/${#names[@]}] $name"
	"${HELPER[@]}" apply "$name" || exit 2
	mutated_image=1
	if build_kernel "$LOGS/$name.build.log"; then
		cp "$BUILD/bzImage" "$WORK/bzImage"
		boot_all "$name"
		"${HELPER[@]}" "${SEL[@]}" verdict "$name"
	else
		"${HELPER[@]}" "${SEL[@]}" verdict "$name" --build-failed
	fi
	"${HELPER[@]}" restore >/dev/null
	log "  $name took $(( $(date +%s) - t0 ))s"
done

log "rebuilding the unmutated kernel"
if build_kernel "$LOGS/final.build.log"; then
	mutated_image=0
else
	log "warning: the final rebuild failed: see ${LOGS#"$ROOT"/}/final.build.log"
fi
log "wall time $(( $(date +%s) - start ))s"
finished=1
"${HELPER[@]}" "${SEL[@]}" table
