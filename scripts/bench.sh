#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: the hooks' cost in the kernel (KUnit suite checkpoint_bench)
# and userspace loops, on alternating boots of one kernel: A with
# checkpoint in lsm= (seccomp ops on), B without, alternating A B A B ...
# (BENCH_PAIRS pairs, default 7).  Prints a
# table and writes it to build/bench.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
LOGS=$BUILD/logs
PAIRS=${BENCH_PAIRS:-7}

"$ROOT/scripts/deps.sh"
"$ROOT/scripts/build-kernel.sh" bench
make -s -C "$ROOT/selftests" OUT="$BUILD/selftests"
"$ROOT/scripts/build-initramfs.sh" "$BUILD/initramfs.cpio.gz"
mkdir -p "$LOGS"

# tsc=reliable: the timed loops run with interrupts off, and under TCG the
# clocksource watchdog then finds the TSC "unstable" and switches the guest
# to jiffies halfway through the suite (4 ms resolution: every later figure
# is noise).  TCG's TSC follows the host's clock; it is the right clock.
# tsc_early_khz: the guest often fails to calibrate its TSC at all (this
# config has no HPET or PM timer, and the emulated PIT is too slow to
# trust); TCG's TSC counts at the host's rate, so the host's frequency is
# handed to it.
khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
COMMON="tsc=reliable ${khz:+tsc_early_khz=$khz }kunit.filter_glob=checkpoint_bench cktest=bench"
A="lsm=yama,checkpoint checkpoint.policy=suspend_seccomp:on,seccomp_dump:on"
B="lsm=yama"
# The guest's clocksource, as the boot left it: a boot that still ended on
# jiffies is not counted, and booted again.
clocksource() {
	sed -n 's/.*clocksource: Switched to clocksource \([^ ]*\).*/\1/p' "$1" |
		tr -d '\r' | tail -n 1
}

logs=()
for i in $(seq 1 "$PAIRS"); do
	for side in A B; do
		args=$A
		[ $side = A ] || args=$B
		log=$LOGS/bench-$i$side.log
		for try in 1 2 3 4; do
			echo "[bench] boot $i$side: $args"
			"$ROOT/scripts/run-guest.sh" "$BUILD/bzImage-bench" "$BUILD/initramfs.cpio.gz" \
				"$log" 900 "$args $COMMON" ||
				{ echo "[bench] boot $i$side failed: $log" >&2; exit 1; }
			cs=$(clocksource "$log")
			[ "$cs" != tsc ] || break
			echo "[bench] boot $i$side: guest clocksource ${cs:-unknown}, not tsc: not counted"
			[ $try -lt 4 ] || { echo "[bench] no boot with the tsc clocksource" >&2; exit 1; }
		done
		logs+=("$side:$log")
	done
done
python3 "$ROOT/scripts/bench-report.py" "${logs[@]}" | tee "$BUILD/bench.txt"
exit "${PIPESTATUS[0]}"
