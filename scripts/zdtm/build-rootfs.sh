#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The zdtm guest: scripts/build-trixie-rootfs.sh's Debian 13 (trixie)
# minbase root with what CRIU's test harness needs on top (python3,
# python3-yaml, Debian's python3-pycriu with crit, make), the zdtm tree of
# scripts/zdtm/build-tests.sh unpacked under /opt, the runner
# criu/zdtm-run.sh and the zdtm plans, packed as a gzip initramfs.
#   build-rootfs.sh [smoke|all] [OUTPUT.cpio.gz]
#     default: smoke, build/zdtm/trixie-zdtm.cpio.gz
#     (all: build/zdtm/trixie-zdtm-all.cpio.gz, every built h test)
#
# It keeps its own mmdebstrap tarball (build/zdtm/trixie-zdtm-base.tar), so
# it never touches build/trixie-base.tar or build/trixie.cpio.gz.  Same
# mirror rule and same two caches as build-trixie-rootfs.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build
SET=${1:-smoke}
case "$SET" in
smoke) DEF_OUT=$BUILD/zdtm/trixie-zdtm.cpio.gz ;;
all) DEF_OUT=$BUILD/zdtm/trixie-zdtm-all.cpio.gz ;;
*) echo "usage: build-rootfs.sh [smoke|all] [OUTPUT]" >&2; exit 2 ;;
esac
OUT=${2:-$DEF_OUT}
case "$OUT" in /*) ;; *) OUT=$PWD/$OUT ;; esac
SUITE=trixie
HOST_SUITE=bookworm
# build-trixie-rootfs.sh's list, then zdtm's: zdtm.py (python3,
# python3-yaml), crit and pycriu (python3-pycriu), make (zdtm.py starts
# each test with "make -C zdtm/static TEST.pid")
PACKAGES="criu libcap2-bin procps util-linux iproute2 python3 python3-yaml python3-pycriu make"
ADDED=(criu/zdtm-run.sh guest/init-trixie guest/plans/zdtm guest/plans/zdtm-all)

log() { echo "[zdtm-rootfs] $*"; }
die() { echo "[zdtm-rootfs] error: $*" >&2; exit 1; }
start=$(date +%s)

TESTS_TAR=$("$ROOT/scripts/zdtm/build-tests.sh" "$SET")

# shellcheck source=scripts/host-mirror.sh
. "$ROOT/scripts/host-mirror.sh"
MIRROR=$(host_mirror)
[ -n "$MIRROR" ] || die "no apt source for $HOST_SUITE in the host's apt configuration"
MIRROR=${MIRROR%/}

mkdir -p "$BUILD/zdtm"
BASE=$BUILD/zdtm/trixie-zdtm-base.tar
base_sum=$(printf '%s\n' "$SUITE" "$MIRROR" "$PACKAGES" | sha256sum | cut -d' ' -f1)
out_sum=$( (echo "$base_sum"; cat "$TESTS_TAR.sum"; cd "$ROOT" &&
	    sha256sum scripts/zdtm/build-rootfs.sh "${ADDED[@]}") | sha256sum | cut -d' ' -f1)

if [ -s "$OUT" ] && [ "$(cat "$OUT.sum" 2>/dev/null)" = "$out_sum" ]; then
	log "$(du -h "$OUT" | cut -f1) ${OUT#"$ROOT"/} is up to date"
	exit 0
fi

if ! command -v mmdebstrap >/dev/null; then
	log "installing mmdebstrap"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
fi

# 1. the Debian part, cached on the package list and the mirror
if [ -s "$BASE" ] && [ "$(cat "$BASE.sum" 2>/dev/null)" = "$base_sum" ]; then
	log "reusing ${BASE#"$ROOT"/}"
else
	log "mmdebstrap --variant=minbase $SUITE from the host's mirror: $PACKAGES"
	rm -f "$BASE" "$BASE.sum"
	mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
		--include="${PACKAGES// /,}" \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/share/lintian/*' \
		--customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
		"$SUITE" "$BASE.tmp" "deb $MIRROR $SUITE main"
	mv "$BASE.tmp" "$BASE"
	echo "$base_sum" >"$BASE.sum"
	log "base: $(du -h "$BASE" | cut -f1) ${BASE#"$ROOT"/} after $(( $(date +%s) - start ))s"
fi

# 2. our files on top, then the initramfs
STAGE=$(mktemp -d "$BUILD/zdtm/stage.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
tar -C "$STAGE" --numeric-owner -xpf "$BASE"
mkdir -p "$STAGE/opt/ckpt" "$STAGE/plans"
# the test tree, mtimes kept (the guest has no compiler: make must find
# every test up to date)
tar -C "$STAGE/opt" --numeric-owner -xpf "$TESTS_TAR"
install -m 0755 "$ROOT/criu/zdtm-run.sh" "$STAGE/opt/ckpt/zdtm-run.sh"
install -m 0755 "$ROOT/guest/init-trixie" "$STAGE/init"
cp "$ROOT/guest/plans/zdtm" "$ROOT/guest/plans/zdtm-all" "$STAGE/plans/"
[ -e "$STAGE/dev/console" ] || mknod -m 0600 "$STAGE/dev/console" c 5 1
[ -e "$STAGE/dev/null" ] || mknod -m 0666 "$STAGE/dev/null" c 1 3

(cd "$STAGE" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$out_sum" >"$OUT.sum"
log "$(du -h "$OUT" | cut -f1) ${OUT#"$ROOT"/} ($(du -sh "$STAGE" | cut -f1) unpacked) in $(( $(date +%s) - start ))s"
