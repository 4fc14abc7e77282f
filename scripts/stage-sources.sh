#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lay out the LSM's sources as they stand in a kernel tree of base KVER:
# security/checkpoint/ (the LSM and its KUnit suites) and Documentation/,
# with patches/KVER/port/*.diff applied.  Used by prepare-tree.sh (the
# workbench's overlay) and make-series.sh (the series), so that both put
# the same files in the tree.
#   stage-sources.sh KVER DEST     DEST is emptied first
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KVER=${1:?usage: stage-sources.sh KVER DEST}
DEST=${2:?usage: stage-sources.sh KVER DEST}

rm -rf "$DEST"
mkdir -p "$DEST/security/checkpoint"
cp -p "$ROOT"/security/checkpoint/* "$DEST/security/checkpoint/"
cp -p "$ROOT"/kunit/*.c "$ROOT"/kunit/.kunitconfig "$DEST/security/checkpoint/"
cp -rp "$ROOT/Documentation" "$DEST/"
for d in "$ROOT/patches/$KVER"/port/*.diff; do
	[ -e "$d" ] || continue
	patch -s -p1 -d "$DEST" --no-backup-if-mismatch <"$d" || {
		echo "[stage] error: ${d#"$ROOT"/} does not apply to the sources" >&2
		exit 1
	}
done
