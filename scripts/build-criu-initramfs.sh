#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CRIU guest's initramfs (build/criu.cpio.gz): the test initramfs plus
# Debian's criu with its libraries, util-linux's setpriv, the workload and
# the scenario.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$ROOT/build"
gcc -O2 -Wall -static -o "$ROOT/build/workload" "$ROOT/criu/user-workload.c"
INITRAMFS_EXTRA="$("$ROOT/scripts/criu-extras.sh" | tr '\n' ' ')" \
	"$ROOT/scripts/build-initramfs.sh" "$ROOT/build/criu.cpio.gz"
