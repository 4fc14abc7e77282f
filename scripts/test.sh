#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test run: build the kernel, the selftests and the initramfs,
# boot each guest of BOOTS under QEMU (TCG), and summarise every KUnit case
# and selftest.  The last line is "N passed, N failed, N skipped"; the
# exit status is non-zero on any failure, timeout or missing result.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
LOGS=$BUILD/logs
TIMEOUT=${GUEST_TIMEOUT:-600}
SUITES=checkpoint_policy,checkpoint_hooks

# TEST_KERNEL=hardened runs the same boots on the sanitizer kernel.
KERNEL=${TEST_KERNEL:-base}
IMAGE=$BUILD/bzImage
[ "$KERNEL" = base ] || IMAGE=$BUILD/bzImage-$KERNEL

# name | plan | kernel command line (the criu plan boots criu.cpio.gz)
BOOTS=(
	"main|main|kunit.filter=speed>slow lsm=yama,checkpoint"
	"nolsm|nolsm|kunit.filter=speed>slow lsm=yama"
	"mainline-default|mainline|kunit.enable=0 lsm=yama,checkpoint"
	"mainline-allon|mainline|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=suspend_seccomp:on,seccomp_dump:on,set_mm:on,map_files:userns"
	"allon|allon|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=suspend_seccomp:on,seccomp_dump:on,set_mm:on"
	"userns|userns|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=map_files:userns,set_tid:off"
	"badparam|badparam|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=set_mm:maybe,suspend_seccomp:on"
	"locked|locked|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=set_mm:on checkpoint.lock=1"
	"stress|stress|kunit.enable=0 lsm=yama,checkpoint"
	"fuzz|fuzz|kunit.enable=0 lsm=yama,checkpoint"
	"criu|criu|kunit.enable=0 lsm=yama,checkpoint"
)

start=$(date +%s)
"$ROOT/scripts/deps.sh"
"$ROOT/scripts/build-kernel.sh" "$KERNEL"
make -s -C "$ROOT/selftests" OUT="$BUILD/selftests"
"$ROOT/scripts/build-mainline-selftests.sh"
"$ROOT/scripts/build-initramfs.sh" "$BUILD/initramfs.cpio.gz"
"$ROOT/scripts/build-criu-initramfs.sh"

mkdir -p "$LOGS"
specs=()
for boot in "${BOOTS[@]}"; do
	IFS='|' read -r name plan args <<<"$boot"
	log=$LOGS/$KERNEL-$name.log
	t0=$(date +%s)
	rc=0
	initrd=$BUILD/initramfs.cpio.gz
	[ "$plan" != criu ] || initrd=$BUILD/criu.cpio.gz
	"$ROOT/scripts/run-guest.sh" "$IMAGE" "$initrd" \
		"$log" "$TIMEOUT" "$args cktest=$plan" || rc=$?
	echo "[test] boot $name ($args): $(( $(date +%s) - t0 ))s, qemu exit $rc"
	[ $rc -ne 124 ] || echo "[test] boot $name timed out after ${TIMEOUT}s"
	suites=$SUITES
	case "$args" in *kunit.enable=0*) suites= ;; esac
	specs+=("$name:$log:$ROOT/guest/plans/$plan:$suites")
done

echo "[test] wall time $(( $(date +%s) - start ))s"
python3 "$ROOT/scripts/tap-summary.py" "${specs[@]}" | tee "$BUILD/test-summary-$KERNEL.txt"
exit "${PIPESTATUS[0]}"
