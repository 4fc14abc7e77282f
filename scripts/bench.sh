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

COMMON="kunit.filter_glob=checkpoint_bench cktest=bench"
A="lsm=yama,checkpoint checkpoint.policy=suspend_seccomp:on,seccomp_dump:on"
B="lsm=yama"
logs=()
for i in $(seq 1 "$PAIRS"); do
	for side in A B; do
		args=$A
		[ $side = A ] || args=$B
		log=$LOGS/bench-$i$side.log
		echo "[bench] boot $i$side: $args"
		"$ROOT/scripts/run-guest.sh" "$BUILD/bzImage-bench" "$BUILD/initramfs.cpio.gz" \
			"$log" 900 "$args $COMMON" ||
			{ echo "[bench] boot $i$side failed: $log" >&2; exit 1; }
		logs+=("$side:$log")
	done
done
python3 "$ROOT/scripts/bench-report.py" "${logs[@]}" | tee "$BUILD/bench.txt"
exit "${PIPESTATUS[0]}"
