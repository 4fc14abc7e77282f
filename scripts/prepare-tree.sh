#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lay out a kernel tree: Debian's linux-source-KVER unpacked once and
# committed as the "base" tag, patches/KVER applied with git am (again only
# when they changed), then the repo's LSM, KUnit suites and documentation
# overlaid.  Unchanged files keep their mtimes, so the out-of-tree build
# that follows is incremental.
#   prepare-tree.sh [KVER]    6.12 (default; build/linux, from the host's
#                             linux-source-6.12) or 7.2 (build/linux-7.2,
#                             Debian unstable's linux-source-7.2)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
KVER=${1:-6.12}
case "$KVER" in
6.12)	TREE=$BUILD/linux
	TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz} ;;
7.2)	TREE=$BUILD/linux-7.2
	TARBALL=$("$ROOT/scripts/fetch-linux-source.sh" 7.2 unstable) ;;
*)	echo "[tree] error: no series for Linux $KVER" >&2; exit 1 ;;
esac
PATCHES=$ROOT/patches/$KVER
APPLIED=$TREE.patches-applied

log() { printf '[tree] %s\n' "$*"; }
die() { printf '[tree] error: %s\n' "$*" >&2; exit 1; }

unpack_pristine() {
	[ -f "$TARBALL" ] || die "$TARBALL missing (apt-get install linux-source-$KVER)"
	log "unpacking $TARBALL"
	rm -rf "$TREE" "$BUILD/linux-source-$KVER"
	mkdir -p "$BUILD"
	tar -C "$BUILD" -xf "$TARBALL"
	mv "$BUILD/linux-source-$KVER" "$TREE"
	git -C "$TREE" init -q
	git -C "$TREE" config user.name "checkpoint LSM workbench"
	git -C "$TREE" config user.email "workbench@checkpoint-lsm.invalid"
	# Debian's .gitignore ignores the whole top level: add by force.
	git -C "$TREE" add -A -f .
	git -C "$TREE" commit -q -m "Linux $(kernel_version) (Debian linux-source-6.12)"
	git -C "$TREE" tag base
	rm -f "$APPLIED"
}

kernel_version() {
	make -s -C "$TREE" kernelversion 2>/dev/null
}

check_version() {
	local v
	v=$(kernel_version)
	case "$v" in
	"$KVER"|"$KVER".*) log "kernel source: Linux $v from $(basename "$TARBALL")" ;;
	*) die "kernel source is '$v', not $KVER: refusing to build" ;;
	esac
}

apply_patches() {
	local sum
	sum=$(cat "$PATCHES"/*.patch | sha256sum | cut -d' ' -f1)
	if [ -f "$APPLIED" ] &&
	   [ "$(cat "$APPLIED")" = "$sum" ] &&
	   [ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
		return
	fi
	log "applying patches/$KVER to the pristine tree"
	git -C "$TREE" am --abort >/dev/null 2>&1 || true
	git -C "$TREE" reset -q --hard base
	git -C "$TREE" clean -q -f -d -x
	if ! git -C "$TREE" am -q "$PATCHES"/*.patch; then
		git -C "$TREE" am --abort >/dev/null 2>&1 || true
		die "a patch in patches/$KVER does not apply (see above)"
	fi
	log "applied $(ls "$PATCHES"/*.patch | wc -l) patches"
	echo "$sum" >"$APPLIED"
}

# The sources are written for 6.12; patches/KVER/port/*.diff carry what a
# later kernel's LSM framework needs.  rsync -c rewrites only files whose
# content changed.
overlay() {
	local stage=$BUILD/overlay-$KVER

	"$ROOT/scripts/stage-sources.sh" "$KVER" "$stage"
	rsync -rc --delete "$stage/security/checkpoint/" "$TREE/security/checkpoint/"
	rsync -rc "$stage/Documentation/" "$TREE/Documentation/"
}

[ -d "$TREE/.git" ] && git -C "$TREE" rev-parse -q --verify base >/dev/null ||
	unpack_pristine
check_version
apply_patches
overlay
