#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: boot the guest kernel with CRIU in its initramfs and run
# the scenario of criu/scenario.sh, printing its narrative.  Exit 0 only if
# every step went as described.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
LOG=$BUILD/logs/demo.log

"$ROOT/scripts/deps.sh"
"$ROOT/scripts/build-kernel.sh" base
"$ROOT/scripts/build-criu-initramfs.sh"
mkdir -p "$BUILD/logs"
echo "[demo] booting build/bzImage under QEMU (TCG) with lsm=yama,checkpoint"
rc=0
"$ROOT/scripts/run-guest.sh" "$BUILD/bzImage" "$BUILD/criu.cpio.gz" "$LOG" 300 \
	"kunit.enable=0 lsm=yama,checkpoint cktest=criu" || rc=$?
echo
# the scenario's own lines, without the kernel's
tr -d '\r' <"$LOG" | sed -n '/^CKPT-BEGIN/,/^CKPT-END/p' |
	grep -E '^(#|ok |not ok |TAP|1\.\.)' || true
echo
if [ $rc -ne 0 ] ||
   ! tr -d '\r' <"$LOG" | grep -q '^CKPT-END /opt/criu/scenario.sh rc=0$'; then
	echo "[demo] FAILED (qemu exit $rc; full console log: ${LOG#$ROOT/})"
	exit 1
fi
echo "[demo] every step went as described (console log: ${LOG#$ROOT/})"
