#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile test of the one tagged call site the guests cannot run: amdkfd's
# checkpoint/restore ioctl check (drivers/gpu/drm/amd/amdkfd/kfd_chardev.c).
# x86_64 defconfig plus DRM_AMDGPU and HSA_AMD, out of tree in
# build/obj-amdkfd, building that one object (and what it needs).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TREE=$ROOT/build/linux
OBJ=$ROOT/build/obj-amdkfd
# amdkfd is built as part of amdgpu, with amdgpu's include paths
OBJECT=drivers/gpu/drm/amd/amdgpu/../amdkfd/kfd_chardev.o

[ -n "${SKIP_PREPARE:-}" ] || "$ROOT/scripts/prepare-tree.sh"
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/checkpoint-lsm/ccache}
KMAKE=(make -s -C "$TREE" O="$OBJ" CC="ccache gcc" HOSTCC="ccache gcc" -j"$(nproc)")
start=$(date +%s)
if [ ! -f "$OBJ/.config" ]; then
	mkdir -p "$OBJ"
	"${KMAKE[@]}" defconfig >/dev/null
	"$TREE/scripts/config" --file "$OBJ/.config" -e DRM -e DRM_AMDGPU -e HSA_AMD \
		-e SECURITY_CHECKPOINT
	"${KMAKE[@]}" olddefconfig >/dev/null
fi
for opt in CONFIG_DRM_AMDGPU CONFIG_HSA_AMD; do
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
echo "[amdkfd] $OBJECT built without warnings and calls checkpoint_restore_op_capable() ($(( $(date +%s) - start ))s)"
