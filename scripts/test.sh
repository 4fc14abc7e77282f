#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test run: build the kernels, the selftests and the initramfs
# images, boot each guest of BOOTS under QEMU (TCG) on each kernel, and
# summarise every KUnit case and selftest.  The last line is
# "N passed, N failed, N skipped"; the exit status is non-zero on any
# failure, timeout, missing result or sanitizer report.
#   TEST_KERNELS="base base-7.2" (default): the plain kernel on Debian's
#   6.12 and on Debian unstable's 7.2 (patches/7.2), every boot on each.
#   "hardened" (KASAN, lockdep, UBSAN: make test-hardened) and "kcsan"
#   (make test-kcsan) run the boots that exercise the most code on the
#   sanitizer kernels.  They are left out of the default run: each is one
#   more cold kernel build (about 14 minutes here) and slow boots, which
#   would take a cold run past its 60-minute budget.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
LOGS=$BUILD/logs
TIMEOUT=${GUEST_TIMEOUT:-1200}
SUITES=checkpoint_policy,checkpoint_hooks
KERNELS=${TEST_KERNELS:-base base-7.2}

# name | plan | kernel command line (the criu plan boots criu.cpio.gz, the
# container story on Debian 12's CRIU 3.17; the user, container and
# rootless plans boot trixie.cpio.gz, the regular-user, the container and
# the rootless story on Debian 13's CRIU 4.1; the zdtm plan boots
# zdtm/trixie-zdtm.cpio.gz, CRIU's own test suite's smoke set as root and
# as alice, default policy and seccomp ops on)
BOOTS=(
	"main|main|kunit.filter=speed>slow lsm=yama,checkpoint"
	"nolsm|nolsm|kunit.filter=speed>slow lsm=yama"
	"mainline-default|mainline|kunit.enable=0 lsm=yama,checkpoint"
	"mainline-allon|mainline|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=suspend_seccomp:on,seccomp_dump:on,set_mm:on,seccomp_restore:on,map_files:userns"
	"allon|allon|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=suspend_seccomp:on,seccomp_dump:on,set_mm:on,seccomp_restore:on"
	"userns|userns|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=map_files:userns,set_tid:off"
	"badparam|badparam|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=set_mm:maybe,suspend_seccomp:on"
	"locked|locked|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=set_mm:on checkpoint.lock=1"
	"lockbad|lockbad|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=set_mm:on checkpoint.lock=2"
	"lockbare|lockbare|kunit.enable=0 lsm=yama,checkpoint checkpoint.policy=set_mm:on checkpoint.lock"
	"notlast|notlast|kunit.enable=0 lsm=yama,checkpoint,safesetid"
	"stress|stress|kunit.enable=0 lsm=yama,checkpoint"
	"fuzz|fuzz|kunit.enable=0 lsm=yama,checkpoint"
	"criu|criu|kunit.enable=0 lsm=yama,checkpoint"
	"user|user|kunit.enable=0 lsm=capability,yama,checkpoint"
	"container|container|kunit.enable=0 lsm=yama,checkpoint"
	"rootless|rootless|kunit.enable=0 lsm=yama,checkpoint"
	"zdtm|zdtm|kunit.enable=0 lsm=yama,checkpoint"
)

start=$(date +%s)
"$ROOT/scripts/deps.sh"
# The summariser first: synthetic logs with every failure kind it must
# catch (a lost LSM, short plans, unlisted skips...) must turn it red.
mkdir -p "$LOGS"
python3 "$ROOT/scripts/tap-summary-test.py" >"$LOGS/tap-summary-test.log" 2>&1 ||
	{ cat "$LOGS/tap-summary-test.log"; echo "[test] the TAP summariser's self-test failed" >&2; exit 1; }
echo "[test] TAP summariser self-test: $(tail -n 1 "$LOGS/tap-summary-test.log")"
for kernel in $KERNELS; do
	t0=$(date +%s)
	"$ROOT/scripts/build-kernel.sh" "$kernel"
	echo "[test] kernel $kernel ready after $(( $(date +%s) - t0 ))s"
done
make -s -C "$ROOT/selftests" OUT="$BUILD/selftests"
"$ROOT/scripts/build-mainline-selftests.sh"
"$ROOT/scripts/build-initramfs.sh" "$BUILD/initramfs.cpio.gz"
# a kernel runs mainline's selftests of its own tree
case " $KERNELS " in *-7.2" "*)
	"$ROOT/scripts/build-mainline-selftests.sh" 7.2
	MAINLINE_DIR=$BUILD/mainline-7.2 "$ROOT/scripts/build-initramfs.sh" \
		"$BUILD/initramfs-7.2.cpio.gz" ;;
esac
"$ROOT/scripts/build-criu-initramfs.sh"
"$ROOT/scripts/build-trixie-rootfs.sh"
# CRIU's own test suite: the smoke set and its Debian 13 image
"$ROOT/scripts/zdtm/build-rootfs.sh" smoke

mkdir -p "$LOGS"
specs=()
for kernel in $KERNELS; do
	image=$BUILD/bzImage
	[ "$kernel" = base ] || image=$BUILD/bzImage-$kernel
	for boot in "${BOOTS[@]}"; do
		IFS='|' read -r name plan args <<<"$boot"
		# The sanitizer kernels run the boots that exercise the most code;
		# the boot-parameter and all-on boots (allon, mainline-allon,
		# userns, badparam, locked) run on the plain kernels only.
		case "$kernel/$name" in
		# Debian 12's CRIU 3.17 cannot run on 7.2: it does not know 7.2's
		# vDSO layout ("Unexpected rt vDSO area bounds", criu/vdso.c:381
		# in 3.17.1); the container story runs there on CRIU 4.1.
		base-7.2/criu) continue ;;
		kcsan/main|kcsan/stress|kcsan/fuzz|base/*|base-7.2/*) ;;
		hardened/main|hardened/nolsm|hardened/mainline-default) ;;
		hardened/stress|hardened/fuzz|hardened/criu|hardened/user) ;;
		hardened/container|hardened/rootless) ;;
		*) continue ;;
		esac
		# KASAN slows the fuzzer tenfold: the sanitizer kernel gets 20,000 writes
		[ "$kernel/$name" != hardened/fuzz ] || plan=fuzz-hardened
		log=$LOGS/$kernel-$name.log
		initrd=$BUILD/initramfs.cpio.gz
		case "$kernel" in *-7.2) initrd=$BUILD/initramfs-7.2.cpio.gz ;; esac
		[ "$plan" != criu ] || initrd=$BUILD/criu.cpio.gz
		case "$plan" in user|container|rootless) initrd=$BUILD/trixie.cpio.gz ;; esac
		case "$plan" in zdtm*) initrd=$BUILD/zdtm/trixie-zdtm.cpio.gz ;; esac
		mem=2G
		case "$plan" in zdtm*) mem=3G ;; esac
		t0=$(date +%s)
		rc=0
		MEM=$mem "$ROOT/scripts/run-guest.sh" "$image" "$initrd" "$log" "$TIMEOUT" \
			"$args cktest=$plan" || rc=$?
		echo "[test] $kernel/$name: $(( $(date +%s) - t0 ))s, qemu exit $rc"
		[ $rc -ne 124 ] || echo "[test] $kernel/$name timed out after ${TIMEOUT}s"
		suites=$SUITES
		case "$args" in *kunit.enable=0*) suites= ;; esac
		specs+=("$kernel/$name:$log:$ROOT/guest/plans/$plan:$suites")
	done
done

echo "[test] wall time $(( $(date +%s) - start ))s"
# KCSAN: only races that involve our code or the seam fail the run
export KCSAN_SCOPE='checkpoint|cr_op|security_cr_op_vouch|capability\.c' 
python3 "$ROOT/scripts/tap-summary.py" "${specs[@]}" | tee "$BUILD/test-summary.txt"
exit "${PIPESTATUS[0]}"
