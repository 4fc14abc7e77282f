#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks an upstream reviewer runs: checkpatch --strict on the LSM
# sources, the KUnit suites and every patch; sparse (C=2) on
# security/checkpoint/ and on the files the seam touches.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# spdxcheck.py needs Debian's python3 with python3-ply.
export PATH=/usr/bin:$PATH
TREE=$ROOT/build/linux
OBJ=$ROOT/build/obj-base
fail=0

# docutils, for the admin guide's reST check below
"$ROOT/scripts/deps.sh" python3-docutils
cd "$TREE"
# On single files checkpatch cannot see kernel-parameters.txt change with
# them (it only looks inside the same patch): patch 0013 documents both
# __setup parameters, so UNDOCUMENTED_SETUP is checked on the patches.
CP=(./scripts/checkpatch.pl --strict --quiet --show-types
    --ignore UNDOCUMENTED_SETUP)
for f in "$ROOT"/security/checkpoint/*.[ch] "$ROOT"/kunit/*.c; do
	out=$("${CP[@]}" -f "$f" 2>&1) || true
	if [ -n "$out" ]; then
		echo "$out"
		fail=1
	fi
done
# patches/ carry no Signed-off-by: the submitter's is added when a series
# is generated from them, from the submitter's own git identity.
for p in "$ROOT"/patches/*/*.patch; do
	out=$(./scripts/checkpatch.pl --strict --quiet --show-types \
		--ignore MISSING_SIGN_OFF,NO_AUTHOR_SIGN_OFF "$p" 2>&1) || true
	if [ -n "$out" ]; then
		echo "== ${p#"$ROOT"/}"
		echo "$out"
		fail=1
	fi
done
echo "[check] checkpatch --strict: $([ $fail = 0 ] && echo clean || echo FINDINGS)"

[ -f "$OBJ/.config" ] || "$ROOT/scripts/build-kernel.sh" base
sparse_log=$OBJ/sparse.log
make -s -C "$TREE" O="$OBJ" C=2 CHECK="sparse" \
	security/checkpoint/ kernel/capability.o kernel/ptrace.o kernel/seccomp.o \
	kernel/sys.o kernel/pid.o kernel/pid_namespace.o fs/proc/base.o \
	ipc/ipc_sysctl.o drivers/tty/tty_ioctl.o security/security.o >"$sparse_log" 2>&1 || true
# Our files must be sparse-clean; the seam's files carry mainline's own
# findings, so only those on lines the series added count.
if grep -E "(warning|error):" "$sparse_log" | grep -q "security/checkpoint"; then
	grep -E "security/checkpoint.*(warning|error):" "$sparse_log"
	fail=1
fi
echo "[check] sparse on security/checkpoint: $(grep -cE 'security/checkpoint.*(warning|error):' "$sparse_log" || true) findings"
echo "[check] sparse on the seam's files: $(grep -cE '(warning|error):' "$sparse_log" || true) findings in all, mainline's own (log: ${sparse_log#$ROOT/})"
"$ROOT/scripts/sparse-on-diff.py" "$TREE" "$sparse_log" || fail=1
# kernel-doc on every non-static function, and the admin guide as reST
# (kernel-doc-check.sh: mainline's own functions in the seam's files are
# not ours to judge)
kd=$("$ROOT/scripts/kernel-doc-check.sh" "$TREE" "$ROOT/security/checkpoint")
[ -z "$kd" ] || { echo "$kd"; fail=1; }
echo "[check] kernel-doc: $([ -z "$kd" ] && echo clean || echo FINDINGS)"
if /usr/bin/python3 -m docutils --halt=2 \
	"$ROOT/Documentation/admin-guide/LSM/checkpoint.rst" /dev/null; then
	echo "[check] admin guide: valid reST"
else
	fail=1
fi
# the one tagged call site no guest can run
SKIP_PREPARE=1 "$ROOT/scripts/compile-test-sites.sh" || fail=1
exit $fail
