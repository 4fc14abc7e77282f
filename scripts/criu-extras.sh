#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the INITRAMFS_EXTRA list (SRC:DEST) that puts Debian's criu, every
# shared library it and util-linux's setpriv load, the workload and the
# scenario into the guest.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CRIU=$(command -v criu || echo /usr/sbin/criu)
SETPRIV=/usr/bin/setpriv

libs() {
	ldd "$1" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^\s*\(\/[^ ]*\) .*/\1/p'
}

echo "$CRIU:/usr/sbin/criu"
echo "$SETPRIV:/opt/criu/bin/setpriv"
echo "$ROOT/build/workload:/opt/criu/workload"
echo "$ROOT/criu/scenario.sh:/opt/criu/scenario.sh"
for lib in $( (libs "$CRIU"; libs "$SETPRIV") | sort -u); do
	echo "$lib:$lib"
done
