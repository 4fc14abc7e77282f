#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pack the guest initramfs: busybox-static, guest/init, the plans and the
# static test programs in build/selftests.  Extra files can be listed as
# SRC:DEST pairs in $INITRAMFS_EXTRA.  Mainline's selftests come from
# $MAINLINE_DIR (default build/mainline, built from the 6.12 tree).
#   build-initramfs.sh OUTPUT.cpio.gz
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/build/initramfs.cpio.gz}
STAGE=$(mktemp -d "$ROOT/build/initramfs.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] && file -L "$BUSYBOX" | grep -q "statically linked" ||
	{ echo "[initramfs] error: busybox-static is needed" >&2; exit 1; }

chmod 0755 "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,etc,proc,sys,dev,tmp,run,tests,plans}
cp "$BUSYBOX" "$STAGE/bin/busybox"
cp "$ROOT/guest/init" "$STAGE/init"
cp "$ROOT/guest/tap-wrap" "$STAGE/bin/tap-wrap"
cp "$ROOT"/guest/plans/* "$STAGE/plans/"
cp "$ROOT"/build/selftests/* "$STAGE/tests/" 2>/dev/null || true
MAINLINE=${MAINLINE_DIR:-$ROOT/build/mainline}
if [ -d "$MAINLINE" ]; then
	for suite in "$MAINLINE"/*/; do
		mkdir -p "$STAGE/tests/mainline/$(basename "$suite")"
		find "$suite" -maxdepth 1 -type f -executable \
			-exec cp {} "$STAGE/tests/mainline/$(basename "$suite")/" \;
	done
fi
for pair in ${INITRAMFS_EXTRA:-}; do
	mkdir -p "$STAGE/$(dirname "${pair#*:}")"
	cp -L "${pair%%:*}" "$STAGE/${pair#*:}"
done
echo "root:x:0:0:root:/:/bin/sh" >"$STAGE/etc/passwd"
echo "root:x:0:" >"$STAGE/etc/group"
(cd "$STAGE" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "[initramfs] $(du -h "$OUT" | cut -f1) -> ${OUT#$ROOT/}"
