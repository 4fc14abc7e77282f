#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build mainline's own selftests that exercise the seam's call sites,
# unchanged and static, from the patched 6.12 tree: clone3 (with
# clone3_cap_checkpoint_restore), seccomp_bpf and ptrace.  Output in
# build/mainline/<suite>/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TREE=$ROOT/build/linux
OBJ=$ROOT/build/obj-base
OUT=$ROOT/build/mainline

make -s -C "$TREE" O="$OBJ" headers
for suite in clone3 seccomp ptrace; do
	mkdir -p "$OUT/$suite"
	make -s -C "$TREE/tools/testing/selftests/$suite" OUTPUT="$OUT/$suite" \
		CC="gcc -static" KHDR_INCLUDES="-isystem $OBJ/usr/include" \
		>"$OUT/$suite.log" 2>&1 || { cat "$OUT/$suite.log" >&2; exit 1; }
done
# seccomp_benchmark measures, it does not test: leave it out of the guest
rm -f "$OUT/seccomp/seccomp_benchmark"
echo "[mainline] $(find "$OUT" -type f -executable | wc -l) programs -> ${OUT#$ROOT/}"
