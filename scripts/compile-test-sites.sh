#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile test of the two files the seam changes that no guest config
# builds: amdkfd's checkpoint/restore ioctl check (kfd_chardev.c, the one
# tagged call site the guests cannot run) and the BPF LSM's list of hooks
# BPF may not attach to (kernel/bpf/bpf_lsm.c, where cr_op_widen is).
# x86_64 defconfig plus DRM_AMDGPU, HSA_AMD and BPF_LSM, out of tree in
# build/obj-amdkfd (build/obj-amdkfd-7.2), building those two objects.
#   compile-test-sites.sh [KVER]     6.12 (default) or 7.2
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KVER=${1:-6.12}
case "$KVER" in
6.12) TREE=$ROOT/build/linux OBJ=$ROOT/build/obj-amdkfd ;;
*) TREE=$ROOT/build/linux-$KVER OBJ=$ROOT/build/obj-amdkfd-$KVER ;;
esac
# amdkfd is built as part of amdgpu, with amdgpu's include paths
OBJECT=drivers/gpu/drm/amd/amdgpu/../amdkfd/kfd_chardev.o
BPF_OBJECT=kernel/bpf/bpf_lsm.o

[ -n "${SKIP_PREPARE:-}" ] || "$ROOT/scripts/prepare-tree.sh" "$KVER"
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/checkpoint-lsm/ccache}
KMAKE=(make -s -C "$TREE" O="$OBJ" CC="ccache gcc" HOSTCC="ccache gcc" -j"$(nproc)")
start=$(date +%s)
if ! grep -q "^CONFIG_BPF_LSM=y" "$OBJ/.config" 2>/dev/null; then
	mkdir -p "$OBJ"
	"${KMAKE[@]}" defconfig >/dev/null
	"$TREE/scripts/config" --file "$OBJ/.config" -e DRM -e DRM_AMDGPU -e HSA_AMD \
		-e SECURITY_CHECKPOINT -e BPF_SYSCALL -e BPF_JIT -e PERF_EVENTS \
		-e KPROBE_EVENTS -e BPF_EVENTS -e BPF_LSM
	"${KMAKE[@]}" olddefconfig >/dev/null
fi
for opt in CONFIG_DRM_AMDGPU CONFIG_HSA_AMD CONFIG_BPF_LSM; do
	grep -q "^$opt=y" "$OBJ/.config" || { echo "[amdkfd] $opt did not survive olddefconfig" >&2; exit 1; }
done
grep -q "checkpoint_restore_op_capable(CR_OP_AMDKFD_CRIU" \
	"$TREE/drivers/gpu/drm/amd/amdkfd/kfd_chardev.c" ||
	{ echo "[amdkfd] the call site is not tagged" >&2; exit 1; }
"${KMAKE[@]}" "$OBJECT" 2>&1 | tee "$OBJ/compile.log" | grep -E "error|warning" && {
	echo "[amdkfd] errors or warnings (log: ${OBJ#$ROOT/}/compile.log)" >&2; exit 1; } || true
[ -f "$OBJ/$OBJECT" ] || { echo "[amdkfd] $OBJECT not built" >&2; exit 1; }
syms=$(nm "$OBJ/$OBJECT")
grep -q " U checkpoint_restore_op_capable$" <<<"$syms" ||
	{ echo "[amdkfd] $OBJECT does not call checkpoint_restore_op_capable()" >&2; exit 1; }
echo "[amdkfd] $OBJECT built without warnings and calls checkpoint_restore_op_capable()"
grep -q "BTF_ID(func, bpf_lsm_cr_op_widen)" "$TREE/${BPF_OBJECT%.o}.c" ||
	{ echo "[bpf] cr_op_widen is not in bpf_lsm_disabled_hooks" >&2; exit 1; }
"${KMAKE[@]}" "$BPF_OBJECT" 2>&1 | tee "$OBJ/compile-bpf.log" | grep -E "error|warning" && {
	echo "[bpf] errors or warnings (log: ${OBJ#$ROOT/}/compile-bpf.log)" >&2; exit 1; } || true
[ -f "$OBJ/$BPF_OBJECT" ] || { echo "[bpf] $BPF_OBJECT not built" >&2; exit 1; }
echo "[bpf] $BPF_OBJECT built without warnings, cr_op_widen in its disabled hooks ($(( $(date +%s) - start ))s in all)"
