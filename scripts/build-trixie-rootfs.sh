#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The regular-user CRIU guest: a Debian 13 (trixie) minbase root built with
# mmdebstrap, so that the client is exactly Debian's criu 4.1, plus our
# files (the static workload, the story, a guest init and its plans),
# packed as a gzip initramfs.
#   build-trixie-rootfs.sh [OUTPUT.cpio.gz]     (default build/trixie.cpio.gz)
#
# The trixie source is the host's own Debian mirror (read from its apt
# configuration at run time), suite trixie, component main.  Two caches,
# each keyed by a hash file beside it: the mmdebstrap tarball (package list
# and mirror) and the initramfs (that, this script and the added files).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
OUT=${1:-$BUILD/trixie.cpio.gz}
case "$OUT" in /*) ;; *) OUT=$PWD/$OUT ;; esac
SUITE=trixie
HOST_SUITE=bookworm
# criu and what the story runs: setpriv, dmesg (util-linux), setcap/getcap
# (libcap2-bin), ps/pgrep (procps), ip (iproute2); auditd and ausearch
# read the LSM's records (criu/audit-check.sh)
PACKAGES="criu libcap2-bin procps util-linux iproute2 auditd"
# files the image carries besides the packages (their content is hashed)
ADDED=(criu/user-story.sh criu/scenario.sh criu/user-workload.c criu/audit-check.sh
       criu/rootless-story.sh criu/rootless-workload.c
       guest/init-trixie guest/plans/rootless
       guest/plans/user guest/plans/container)

log() { echo "[trixie] $*"; }
die() { echo "[trixie] error: $*" >&2; exit 1; }
start=$(date +%s)

# shellcheck source=scripts/host-mirror.sh
. "$ROOT/scripts/host-mirror.sh"

MIRROR=$(host_mirror)
[ -n "$MIRROR" ] || die "no apt source for $HOST_SUITE in the host's apt configuration"
MIRROR=${MIRROR%/}

mkdir -p "$BUILD"
BASE=$BUILD/trixie-base.tar
base_sum=$(printf '%s\n' "$SUITE" "$MIRROR" "$PACKAGES" | sha256sum | cut -d' ' -f1)
out_sum=$( (echo "$base_sum"; cd "$ROOT" &&
	    sha256sum scripts/build-trixie-rootfs.sh "${ADDED[@]}") | sha256sum | cut -d' ' -f1)

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
	# documentation, manuals and translations are no use in the guest
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
STAGE=$(mktemp -d "$BUILD/trixie-stage.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
tar -C "$STAGE" --numeric-owner -xpf "$BASE"
CRIU_BIN=$(cd "$STAGE" && for p in usr/sbin/criu usr/bin/criu sbin/criu; do
	[ -f "$p" ] && [ ! -L "$p" ] && echo "/$p" && break; done)
[ -n "$CRIU_BIN" ] || die "no criu binary in the $SUITE root"
log "criu: $CRIU_BIN ($(chroot "$STAGE" "$CRIU_BIN" --version 2>/dev/null | head -n 1))"

mkdir -p "$STAGE/opt/ckpt" "$STAGE/plans"
gcc -O2 -Wall -Werror -static -o "$STAGE/opt/ckpt/user-workload" \
	"$ROOT/criu/user-workload.c"
install -m 0755 "$ROOT/criu/user-story.sh" "$STAGE/opt/ckpt/user-story.sh"
install -m 0755 "$ROOT/criu/scenario.sh" "$STAGE/opt/ckpt/scenario.sh"
install -m 0755 "$ROOT/criu/audit-check.sh" "$STAGE/opt/ckpt/audit-check.sh"
gcc -O2 -Wall -Werror -static -o "$STAGE/opt/ckpt/rootless-workload" \
	"$ROOT/criu/rootless-workload.c"
install -m 0755 "$ROOT/criu/rootless-story.sh" "$STAGE/opt/ckpt/rootless-story.sh"
install -m 0755 "$ROOT/guest/init-trixie" "$STAGE/init"
# plans: one program per line, as in guest/plans
cp "$ROOT/guest/plans/user" "$ROOT/guest/plans/container" "$ROOT/guest/plans/rootless" \
	"$STAGE/plans/"
# the kernel opens /dev/console before init mounts devtmpfs
[ -e "$STAGE/dev/console" ] || mknod -m 0600 "$STAGE/dev/console" c 5 1
[ -e "$STAGE/dev/null" ] || mknod -m 0666 "$STAGE/dev/null" c 1 3

(cd "$STAGE" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$out_sum" >"$OUT.sum"
log "$(du -h "$OUT" | cut -f1) ${OUT#"$ROOT"/} ($(du -sh "$STAGE" | cut -f1) unpacked) in $(( $(date +%s) - start ))s"
