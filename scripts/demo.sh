#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job, in two acts, each in a QEMU (TCG) guest on build/bzImage:
#  1. an ordinary user, alice, checkpoints and restores her own
#     seccomp-confined process with Debian 13's CRIU 4.1 (--unprivileged),
#     the binary carrying only cap_checkpoint_restore
#     (criu/user-story.sh, on build/trixie.cpio.gz);
#  2. a container's root without CAP_SYS_ADMIN does the same, with the
#     same CRIU (criu/scenario.sh; make test also runs it on Debian 12's
#     CRIU 3.17);
#  3. rootless: alice, with no file capability at all, as root of her own
#     user namespace (unshare -Urpfin), checkpoints and restores her
#     seccomp'd container workload (criu/rootless-story.sh).
# Each act prints its narrative; exit 0 only if every step of every act
# went as described.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
start=$(date +%s)

"$ROOT/scripts/deps.sh"
"$ROOT/scripts/build-kernel.sh" base
"$ROOT/scripts/build-trixie-rootfs.sh"
mkdir -p "$BUILD/logs"

# act TITLE INITRD PLAN PROGRAM LSMS
act() {
	local title=$1 initrd=$2 plan=$3 prog=$4 lsms=$5
	local log=$BUILD/logs/demo-$plan.log rc=0

	echo
	echo "==== $title"
	echo "[demo] booting build/bzImage under QEMU (TCG) with lsm=$lsms"
	MEM=2G "$ROOT/scripts/run-guest.sh" "$BUILD/bzImage" "$initrd" "$log" 600 \
		"kunit.enable=0 lsm=$lsms cktest=$plan" || rc=$?
	# the story's own lines, without the kernel's
	tr -d '\r' <"$log" | sed -n '/^CKPT-BEGIN/,/^CKPT-END/p' |
		grep -E '^(#|ok |not ok |TAP|1\.\.)' || true
	if [ $rc -ne 0 ] ||
	   ! tr -d '\r' <"$log" | grep -q "^CKPT-END $prog rc=0$"; then
		echo "[demo] $plan: FAILED (qemu exit $rc; console log: ${log#$ROOT/})"
		return 1
	fi
	echo "[demo] $plan: every step went as described (console log: ${log#$ROOT/})"
}

fail=0
act "Act 1: alice, an ordinary user, with Debian 13's CRIU 4.1 --unprivileged" \
	"$BUILD/trixie.cpio.gz" user /opt/ckpt/user-story.sh capability,yama,checkpoint ||
	fail=1
act "Act 2: a container's root without CAP_SYS_ADMIN, with Debian 13's CRIU 4.1" \
	"$BUILD/trixie.cpio.gz" container /opt/ckpt/scenario.sh yama,checkpoint || fail=1
act "Act 3: rootless, alice as root of her own user namespace, no file capability" \
	"$BUILD/trixie.cpio.gz" rootless /opt/ckpt/rootless-story.sh yama,checkpoint || fail=1
echo
echo "[demo] $([ $fail = 0 ] && echo "every act went as described" || echo FAILED) in $(( $(date +%s) - start ))s"
exit $fail
