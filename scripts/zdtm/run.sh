#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make zdtm: CRIU's own test suite (zdtm, Debian 13's criu 4.1.1) as root,
# as alice with the default policy and as alice with the seccomp ops on, in
# one guest on one kernel (criu/zdtm-run.sh), then the table
# (scripts/zdtm/report.py: build/reports/zdtm.md; zdtm-KERNEL.md for
# another kernel).
#   ZDTM_KERNEL   base (default, the 6.12 kernel) or base-7.2
#   ZDTM_IMAGE    boot this kernel image as it is (no build-kernel.sh: for
#                 a machine where make test may be building build/obj-*);
#                 ZDTM_KERNEL still names the report
#   ZDTM_TESTS    test names, comma-separated (default: every h-flavour
#                 zdtm/static test that builds, scripts/zdtm/build-tests.sh all)
#   ZDTM_GUEST_TIMEOUT  seconds for the guest (default 6 h: about 300 tests,
#                 three runs, under TCG)
# Exit status: report.py's (non-zero when a test passes as root, not as
# alice under the policy, and has no verdict in criu/zdtm-verdicts).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build
KERNEL=${ZDTM_KERNEL:-base}
TIMEOUT=${ZDTM_GUEST_TIMEOUT:-21600}
start=$(date +%s)

if [ -n "${ZDTM_IMAGE:-}" ]; then
	image=$ZDTM_IMAGE
else
	"$ROOT/scripts/build-kernel.sh" "$KERNEL"
	image=$BUILD/bzImage
	[ "$KERNEL" = base ] || image=$BUILD/bzImage-$KERNEL
fi
"$ROOT/scripts/zdtm/build-rootfs.sh" all
initrd=$BUILD/zdtm/trixie-zdtm-all.cpio.gz

# The plan zdtm-all runs every built test; a ZDTM_TESTS list goes to the
# plan zdtm through the kernel command line (init's environment).
plan=zdtm-all
extra=
if [ -n "${ZDTM_TESTS:-}" ]; then
	plan=zdtm
	extra="ZDTM_TESTS=$(echo "$ZDTM_TESTS" | tr ' ' ',') ZDTM_TIMEOUT=$(( TIMEOUT / 3 ))"
fi
mkdir -p "$BUILD/logs" "$BUILD/reports"
log=$BUILD/logs/zdtm-$KERNEL.log
echo "[zdtm] booting $KERNEL with plan $plan ${extra:+($extra)}, log ${log#"$ROOT"/}"
rc=0
MEM=${MEM:-3G} "$ROOT/scripts/run-guest.sh" "$image" "$initrd" "$log" "$TIMEOUT" \
	"kunit.enable=0 lsm=yama,checkpoint cktest=$plan $extra" || rc=$?
echo "[zdtm] guest: $(( $(date +%s) - start ))s, qemu exit $rc"
report=$BUILD/reports/zdtm.md
kname=6.12
case "$KERNEL" in
base) ;;
*-7.2) report=$BUILD/reports/zdtm-7.2.md kname=7.2 ;;
*) report=$BUILD/reports/zdtm-$KERNEL.md kname=$KERNEL ;;
esac
python3 "$ROOT/scripts/zdtm/report.py" --kernel "$kname" --out "$report" "$log"
