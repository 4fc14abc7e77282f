#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lay out the kernel tree in build/linux: Debian's linux-source-6.12
# unpacked once and committed as the "base" tag, patches/ applied with
# git am (again only when patches/ changed), then the repo's LSM, KUnit
# suites and documentation overlaid.  Unchanged files keep their mtimes,
# so the out-of-tree build that follows is incremental.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
TREE=$BUILD/linux
TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}

log() { printf '[tree] %s\n' "$*"; }
die() { printf '[tree] error: %s\n' "$*" >&2; exit 1; }

unpack_pristine() {
	[ -f "$TARBALL" ] || die "$TARBALL missing (apt-get install linux-source-6.12)"
	log "unpacking $TARBALL"
	rm -rf "$TREE" "$BUILD/linux-source-6.12"
	mkdir -p "$BUILD"
	tar -C "$BUILD" -xf "$TARBALL"
	mv "$BUILD/linux-source-6.12" "$TREE"
	git -C "$TREE" init -q
	git -C "$TREE" config user.name "checkpoint LSM workbench"
	git -C "$TREE" config user.email "workbench@checkpoint-lsm.invalid"
	# Debian's .gitignore ignores the whole top level: add by force.
	git -C "$TREE" add -A -f .
	git -C "$TREE" commit -q -m "Linux $(kernel_version) (Debian linux-source-6.12)"
	git -C "$TREE" tag base
	rm -f "$BUILD/.patches-applied"
}

kernel_version() {
	make -s -C "$TREE" kernelversion 2>/dev/null
}

check_version() {
	local v
	v=$(kernel_version)
	case "$v" in
	6.12|6.12.*) log "kernel source: Linux $v from $(basename "$TARBALL")" ;;
	*) die "kernel source is '$v', not 6.12: refusing to build" ;;
	esac
}

apply_patches() {
	local sum
	sum=$(cat "$ROOT"/patches/*.patch | sha256sum | cut -d' ' -f1)
	if [ -f "$BUILD/.patches-applied" ] &&
	   [ "$(cat "$BUILD/.patches-applied")" = "$sum" ] &&
	   [ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
		return
	fi
	log "applying patches/ to the pristine tree"
	git -C "$TREE" am --abort >/dev/null 2>&1 || true
	git -C "$TREE" reset -q --hard base
	git -C "$TREE" clean -q -f -d -x
	if ! git -C "$TREE" am -q "$ROOT"/patches/*.patch; then
		git -C "$TREE" am --abort >/dev/null 2>&1 || true
		die "a patch in patches/ does not apply (see above)"
	fi
	log "applied $(ls "$ROOT"/patches/*.patch | wc -l) patches"
	echo "$sum" >"$BUILD/.patches-applied"
}

# rsync -c rewrites only files whose content changed.
overlay() {
	local stage=$BUILD/overlay
	rm -rf "$stage"
	mkdir -p "$stage/security/checkpoint"
	cp -p "$ROOT"/security/checkpoint/* "$stage/security/checkpoint/"
	cp -p "$ROOT"/kunit/*.c "$stage/security/checkpoint/"
	cp -p "$ROOT"/kunit/.kunitconfig "$stage/security/checkpoint/"
	rsync -rc --delete "$stage/security/checkpoint/" "$TREE/security/checkpoint/"
	rsync -rc "$ROOT/Documentation/" "$TREE/Documentation/"
}

[ -d "$TREE/.git" ] && git -C "$TREE" rev-parse -q --verify base >/dev/null ||
	unpack_pristine
check_version
apply_patches
overlay
