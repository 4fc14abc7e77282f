#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a guest kernel out of tree with ccache.
#   build-kernel.sh [NAME]   NAME selects configs/NAME.config (default: base);
#                            NAME-7.2 builds it on Linux 7.2 (patches/7.2)
# The image is left at build/bzImage (NAME=base) or build/bzImage-NAME.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=${1:-base}
BUILD=$ROOT/build
case "$NAME" in
*-7.2)	KVER=7.2 CONFIG=${NAME%-7.2} TREE=$BUILD/linux-7.2 ;;
*)	KVER=6.12 CONFIG=$NAME TREE=$BUILD/linux ;;
esac
OBJ=$BUILD/obj-$NAME
FRAGMENTS=("$ROOT/configs/base.config")
[ "$CONFIG" = base ] || FRAGMENTS+=("$ROOT/configs/$CONFIG.config")

log() { printf '[kernel] %s\n' "$*"; }
die() { printf '[kernel] error: %s\n' "$*" >&2; exit 1; }

[ -n "${SKIP_PREPARE:-}" ] || "$ROOT/scripts/prepare-tree.sh" "$KVER"

export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/checkpoint-lsm/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export KBUILD_BUILD_TIMESTAMP="checkpoint-lsm"
export KBUILD_BUILD_USER=checkpoint KBUILD_BUILD_HOST=workbench
KMAKE=(make -s -C "$TREE" O="$OBJ" CC="ccache gcc" HOSTCC="ccache gcc"
       -j"$(nproc)")

configure() {
	local sum
	sum=$(cat "${FRAGMENTS[@]}" | sha256sum | cut -d' ' -f1)
	if [ -f "$OBJ/.config" ] && [ -f "$OBJ/.fragment-sum" ] &&
	   [ "$(cat "$OBJ/.fragment-sum")" = "$sum" ]; then
		return
	fi
	log "configuring $NAME: tinyconfig + ${FRAGMENTS[*]##*/}"
	mkdir -p "$OBJ"
	"${KMAKE[@]}" tinyconfig >/dev/null
	KCONFIG_CONFIG="$OBJ/.config" "$TREE/scripts/kconfig/merge_config.sh" \
		-m -O "$OBJ" "$OBJ/.config" "${FRAGMENTS[@]}" >"$OBJ/merge.log"
	"${KMAKE[@]}" olddefconfig >/dev/null
	check_config
	echo "$sum" >"$OBJ/.fragment-sum"
}

# Every option a fragment asks for must have survived olddefconfig.
check_config() {
	local line opt want got bad=0
	while read -r line; do
		case "$line" in
		CONFIG_*=*) opt=${line%%=*}; want=$line ;;
		"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}; want="" ;;
		*) continue ;;
		esac
		got=$(grep -E "^$opt=" "$OBJ/.config" || true)
		if [ "$got" != "$want" ]; then
			printf '[kernel] config: asked %s, got %s\n' \
				"${want:-$opt unset}" "${got:-unset}" >&2
			bad=1
		fi
	done < <(cat "${FRAGMENTS[@]}")
	[ $bad = 0 ] || die "config fragment not satisfied"
}

configure
log "building $NAME (log: $OBJ/build.log)"
start=$(date +%s)
if ! "${KMAKE[@]}" bzImage >"$OBJ/build.log" 2>&1; then
	tail -40 "$OBJ/build.log" >&2
	die "kernel build failed"
fi
img=$BUILD/bzImage
[ "$NAME" = base ] || img=$BUILD/bzImage-$NAME
cp "$OBJ/arch/x86/boot/bzImage" "$img"
log "built $(cat "$OBJ/include/config/kernel.release") in $(( $(date +%s) - start ))s -> ${img#$ROOT/}"
if grep -E "warning:" "$OBJ/build.log" | grep -q "security/checkpoint"; then
	grep -E "security/checkpoint.*warning:" "$OBJ/build.log" >&2
	die "compiler warnings in security/checkpoint"
fi
